package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cctracer.db.file.FileState;
import dev.cctracer.shared.discovery.AgentMeta;
import dev.cctracer.shared.discovery.FileIdentity;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LineHandler;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.usage.ChunkParser;
import dev.cctracer.shared.usage.ChunkResult;
import dev.cctracer.worker.TracerProperties;

/**
 * The read phase of an ingest, one transcript file at a time and safe to run on several
 * parse threads at once (no database access): stat the file; skip it unchanged (same
 * size, mtime and file key as at the scan) without opening it; check its identity (file
 * key, head fingerprint, {@code size >= offset}) and re-read it from byte 0 when it was
 * truncated or replaced, or rewritten in place (the same size at another modification
 * time, once the file has been quiet for {@code cctracer.ingest.quiet-tail}: a transcript
 * only grows, so an editor, a restore or a sync tool did that, and a change past the
 * head's fingerprint would be missed otherwise; until then it may be an append seen
 * half-way, and it is left for a later scan); parse the complete lines after the
 * committed offset (a quiet file's last line without a line break counts when it is one
 * whole JSON object; an unchanged file whose last read came before it was quiet is read
 * once more for it, {@link FileState#tailTurnedQuiet}); label a subagent's copies with
 * its agent type and description.
 */
final class TranscriptReader {

	private static final Logger log = LoggerFactory.getLogger(TranscriptReader.class);

	private final TracerProperties.Ingest settings;

	private final ChunkParser parser;

	private final AtomicLong filesOpened = new AtomicLong();

	private final AtomicLong parseNanos = new AtomicLong();

	private final Timer fileTimer;

	TranscriptReader(TracerProperties.Ingest settings, MeterRegistry meters) {
		this.settings = settings;
		this.parser = new ChunkParser(new JsonlReader(1 << 20, settings.maxLineBytes().toBytes()));
		this.fileTimer = Timer.builder("cctracer.ingest.file")
			.description("reading and parsing the new lines of one file")
			.register(meters);
	}

	/** How many files were opened for reading (unchanged files are never opened). */
	long filesOpened() {
		return this.filesOpened.get();
	}

	/** Nanoseconds spent in {@link #readSafely} so far, over every parse thread. */
	long parseNanos() {
		return this.parseNanos.get();
	}

	/**
	 * Reads one file, never throwing: an I/O or runtime failure is logged (file id and
	 * path, never transcript text) and becomes a {@code FAILED} read that commits
	 * nothing.
	 */
	FileRead readSafely(FileState state) {
		long started = System.nanoTime();
		try {
			return read(state);
		}
		catch (IOException | RuntimeException ex) {
			log.warn("cannot read file {} ({}): {}", state.id(), state.relPath(), ex.getClass().getSimpleName());
			return FileRead.failed(state, ex.getClass().getSimpleName());
		}
		finally {
			long took = System.nanoTime() - started;
			this.parseNanos.addAndGet(took);
			this.fileTimer.record(took, TimeUnit.NANOSECONDS);
		}
	}

	/**
	 * Reads the complete lines {@code s} gained since its committed offset (all of it
	 * after a truncation or replacement).
	 * @throws IOException when the file cannot be read
	 */
	FileRead read(FileState s) throws IOException {
		Path root = Path.of(s.root());
		Path path = root.resolve(s.relPath());
		BasicFileAttributes attrs;
		try {
			attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			if (attrs.isSymbolicLink()) {
				Optional<Path> real = SafePaths.registered(root, s.relPath(), this.settings.followLinks());
				if (real.isEmpty()) {
					return FileRead.gone(s);
				}
				path = real.get();
				attrs = Files.readAttributes(path, BasicFileAttributes.class);
			}
		}
		catch (NoSuchFileException ex) {
			return FileRead.gone(s);
		}
		if (!attrs.isRegularFile()) {
			return FileRead.gone(s);
		}
		long size = attrs.size();
		long mtime = attrs.lastModifiedTime().toMillis();
		String key = FileIdentity.fileKey(attrs);
		boolean sameSize = size == s.sizeAtScan() && Objects.equals(key, s.fileKey());
		if (sameSize && mtime == s.mtimeAtScan()
				&& !s.tailTurnedQuiet(size, mtime, System.currentTimeMillis(), this.settings.quietTail().toMillis())) {
			return FileRead.unchanged(s);
		}
		if (sameSize && s.committedOffset() > 0 && !isQuiet(mtime) && holdsTheBytesRead(path, s)) {
			// written without growing, just now, its head and the KiB before the
			// committed
			// offset as read: an append seen between its new mtime and its new size
			// (Linux
			// sets the time first; a network or bind mount may show a stale size longer),
			// or a rewrite in place between them; judged once the file is quiet (the next
			// scans look again: its stored mtime stays). An append never changes bytes
			// read, so a file that fails the check was rewritten: reset below, at once
			return FileRead.unchanged(s);
		}
		try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
			this.filesOpened.incrementAndGet();
			boolean reset = false;
			if (s.committedOffset() > 0 || s.headLength() > 0) {
				if (s.fileKey() != null && key != null && !s.fileKey().equals(key)) {
					reset = true;
				}
				else if (size < s.committedOffset() || size < s.headLength()) {
					reset = true;
				}
				else if (s.rewrittenInPlace(size, mtime)) {
					// written without growing and quiet since: rewritten in place
					reset = true;
				}
				else if (!s.holdsTheBytesRead(ch)) {
					// another head, or grown but not from the bytes read (rewritten
					// longer
					// by a restore or a sync tool): not appended to
					reset = true;
				}
			}
			long start = reset ? 0 : s.committedOffset();
			int headLength = (int) Math.min(size, FileIdentity.HEAD_BYTES);
			String head = (!reset && headLength == s.headLength()) ? s.headFingerprint()
					: FileIdentity.headFingerprint(ch, headLength);
			long end = JsonlReader.completeEnd(ch, start, size);
			if (end < size && isQuiet(mtime) && isOneJsonObject(ch, end, size)) {
				end = size;
			}
			ChunkResult chunk = this.parser.parse(ch, start, end, s.pathOrder());
			if (s.kind().isSubagent()) {
				AgentMeta meta = AgentMeta.read(path);
				chunk = chunk.withLabels(chunk.labels().withAgent(meta.agentType(), meta.description()));
			}
			// as the head's: read again only where the bytes before it may have changed
			String tail = (!reset && end == s.committedOffset()) ? s.tailFingerprint()
					: FileIdentity.tailFingerprint(ch, end);
			return new FileRead(s, FileRead.Outcome.READ, reset, end, size, mtime, key, head, headLength, tail, chunk,
					null);
		}
	}

	/** {@link FileState#holdsTheBytesRead} on the file at {@code path}. */
	private boolean holdsTheBytesRead(Path path, FileState s) throws IOException {
		try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
			this.filesOpened.incrementAndGet();
			return s.holdsTheBytesRead(ch);
		}
	}

	private boolean isQuiet(long mtime) {
		return System.currentTimeMillis() - mtime >= this.settings.quietTail().toMillis();
	}

	private boolean isOneJsonObject(FileChannel ch, long start, long end) throws IOException {
		if (end - start > this.settings.maxLineBytes().toBytes()) {
			return false;
		}
		int[] seen = new int[2];
		new JsonlReader().read(ch, start, end, new LineHandler() {
			@Override
			public void entry(long offset, LogEntry entry) {
				seen[0]++;
			}

			@Override
			public void invalid(long offset) {
				seen[1]++;
			}

			@Override
			public void overlong(long offset, long length) {
				seen[1]++;
			}
		});
		return seen[0] == 1 && seen[1] == 0;
	}

}
