package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.worker.TracerProperties;

/**
 * Message indexes of recently read transcripts (LRU), each brought up to its file's
 * committed offset on every use: only complete lines the ingest has seen are shown, and a
 * grown file is read from where the index ended.
 */
@Component
class TranscriptCache {

	private static final int MAX_INDEXES = 64;

	/** The ingest's line cap: a line it skips as over-long is no message here either. */
	private final JsonlReader reader;

	/**
	 * {@code cctracer.ingest.follow-links}: read transcripts through links as the scanner
	 * does.
	 */
	private final boolean followLinks;

	TranscriptCache(TracerProperties properties) {
		this.followLinks = properties.ingest().followLinks();
		this.reader = new JsonlReader(1 << 20, properties.ingest().maxLineBytes().toBytes());
	}

	private final Map<Long, TranscriptIndex> indexes = new LinkedHashMap<>(16, 0.75f, true) {
		@Override
		protected boolean removeEldestEntry(Map.Entry<Long, TranscriptIndex> eldest) {
			return size() > MAX_INDEXES;
		}
	};

	/** An open transcript: its index and a channel to read text (close it). */
	record Open(TranscriptIndex index, FileChannel channel) implements AutoCloseable {

		@Override
		public void close() {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// read-only channel
			}
		}

	}

	/** Drops every index (they are rebuilt on next use); returns how many there were. */
	int clear() {
		synchronized (this.indexes) {
			int size = this.indexes.size();
			this.indexes.clear();
			return size;
		}
	}

	/**
	 * The complete lines of a transcript's first {@code maxBytes} (at most its committed
	 * offset), in an index of their own that is not kept.
	 */
	Open openHead(FileRef file, long maxBytes) {
		try {
			FileChannel channel = channel(file);
			try {
				long committed = Math.min(file.committedOffset(), channel.size());
				// the committed offset ends a line; a cut before it ends at the last
				// newline
				long end = (committed <= maxBytes) ? committed : JsonlReader.completeEnd(channel, 0, maxBytes);
				TranscriptIndex index = new TranscriptIndex(file.generation(), file.main());
				index.extend(channel, end, this.reader);
				return new Open(index, channel);
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read transcript " + file.relPath(), ex);
		}
	}

	/** Whether the transcript is on this machine's disk (and may be read). */
	boolean onDisk(FileRef file) {
		return file.onThisDisk(this.followLinks);
	}

	private FileChannel channel(FileRef file) throws IOException {
		Path root = Path.of(file.root());
		Path path = SafePaths.registered(root, file.relPath(), this.followLinks)
			.orElseThrow(() -> NotFoundException.notOnThisDisk(file.relPath()));
		return FileChannel.open(path, StandardOpenOption.READ);
	}

	/**
	 * Every complete line of a transcript up to its committed offset, framed as the
	 * ingest frames them (its buffer and line cap), without an index.
	 * @throws NotFoundException when the transcript is not on this machine's disk
	 * @throws UncheckedIOException when it cannot be read
	 */
	void forEachLine(FileRef file, JsonlReader.RawLineHandler handler) {
		try (FileChannel channel = channel(file)) {
			this.reader.forEachLine(channel, 0, Math.min(file.committedOffset(), channel.size()), handler);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read transcript " + file.relPath(), ex);
		}
	}

	/**
	 * The entries of a session's main transcript, by {@code uuid}: what a subagent's
	 * transcript repeats of it is the main conversation's (a side question's transcript
	 * starts with a copy of the session, its lines' uuids kept). Nothing when the main
	 * transcript is {@code null}.
	 * @throws java.io.UncheckedIOException when the transcript cannot be read
	 */
	Predicate<String> entriesOf(FileRef main) {
		if (main == null) {
			return (uuid) -> false;
		}
		try (Open open = open(main)) {
			TranscriptIndex index = open.index();
			return (uuid) -> uuid != null && index.byUuid(uuid) != null;
		}
	}

	Open open(FileRef file) {
		try {
			FileChannel channel = channel(file);
			TranscriptIndex index;
			synchronized (this.indexes) {
				index = this.indexes.get(file.id());
				if (index == null || index.generation() != file.generation()) {
					index = new TranscriptIndex(file.generation(), file.main());
					this.indexes.put(file.id(), index);
				}
			}
			try {
				index.extend(channel, Math.min(file.committedOffset(), channel.size()), this.reader);
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
			return new Open(index, channel);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read transcript " + file.relPath(), ex);
		}
	}

}
