package dev.cctracer.worker.verify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.db.file.CountedFile;
import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.shared.discovery.FileIdentity;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.usage.ChunkParser;
import dev.cctracer.shared.usage.ChunkResult;
import dev.cctracer.shared.usage.UsageCopy;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.indexing.UsageCopyMapper;

/**
 * Checks the incremental engine against a rebuild from scratch, file by file.
 * <p>
 * The incremental engine reads each file in appends, resets it when it is truncated or
 * replaced, and moves the dedup winners and totals by differences. The rebuild does none
 * of that: it reads every active file of this machine once, bytes
 * {@code [0, committed_offset)}, with the ingest's own parser and line cap, stores the
 * usage copies (as the ingest stores them) in a scratch H2 database of its own
 * ({@link ScratchStore}, in {@code <data-dir>/verify}), applies the dedup rule once over
 * all copies, and compares each file's seven totals (messages; input, output, 5-minute
 * and 1-hour cache-write and cache-read tokens; tool uses: those of its counted copies
 * and of its lines without usage) with the totals in {@code source_file}.
 * <p>
 * What cannot be read again takes part in the dedup through the copies the index stored
 * for it (the only record of it left), so its winners are not counted twice elsewhere,
 * but is not compared: deleted files (history), files another machine registered (team
 * database: their transcripts are on its disk), files not on this disk, files truncated
 * or replaced since their last ingest (the next ingest reads them again) and files that
 * fail to read. Those are counted and named in the report, never differences. A line no
 * reader can take (not JSON, or over {@code cctracer.ingest.max-line-bytes}) is counted
 * in the report, as the ingest counted it, never a failure.
 * <p>
 * Memory: the list of files with their incremental totals and path order, six totals per
 * compared file, one file's parsed copies at a time (as the ingest holds them on a file's
 * first read) and one message id's copies during the dedup pass; lines are streamed by
 * {@link JsonlReader} (a 1 MiB buffer, longer lines parsed from the channel, over-cap
 * lines skipped unread). All copies are on disk in the scratch database. Run it where no
 * ingest of this process moves an offset (the verify job runs on the ingest thread).
 */
@Component
public class RebuildVerifier {

	private static final Logger log = LoggerFactory.getLogger(RebuildVerifier.class);

	/** The compared totals, in report order: messages, tokens, tool uses. */
	static final List<String> MEASURES = List.of("messages", "input_tokens", "output_tokens", "cache_write_5m",
			"cache_write_1h", "cache_read", "tool_uses");

	/** Listed differences and not-compared files are capped; their counts are not. */
	private static final int MAX_LISTED = 1000;

	private final SourceFileRepository files;

	private final UsageCopyRepository storedCopies;

	private final UsageCopyMapper mapper;

	private final ChunkParser parser;

	private final Path scratchDir;

	private final String origin;

	private final boolean followLinks;

	public RebuildVerifier(SourceFileRepository files, UsageCopyRepository storedCopies, PriceTable prices,
			TracerProperties properties) {
		this.files = files;
		this.storedCopies = storedCopies;
		this.mapper = new UsageCopyMapper(prices);
		this.parser = new ChunkParser(new JsonlReader(1 << 20, properties.ingest().maxLineBytes().toBytes()));
		this.scratchDir = properties.dataDir().resolve("verify");
		this.origin = properties.effectiveOrigin();
		this.followLinks = properties.ingest().followLinks();
	}

	/** Why an active file was not compared. */
	public enum Reason {

		/** Registered by another machine of a team database: on that machine's disk. */
		OTHER_MACHINE,

		/** Not on this machine's disk (gone since the last scan, or a refused link). */
		NOT_ON_DISK,

		/**
		 * Shorter than its committed offset, or another file now (file key or head
		 * changed) since its last ingest: the next ingest reads it again.
		 */
		CHANGED_ON_DISK,

		/** Reading it failed (an I/O error). */
		UNREADABLE

	}

	/** An active file that was not compared, by its path below its Claude root. */
	public record NotCompared(String file, Reason reason) {

	}

	/**
	 * A file whose totals differ: its path below its Claude root, and both sides' totals
	 * by measure (messages, tokens).
	 */
	public record Difference(String file, Map<String, Long> incremental, Map<String, Long> rebuilt) {

	}

	/**
	 * The outcome.
	 *
	 * @param filesCompared active files compared
	 * @param filesNotCompared active files not compared (see {@link Reason})
	 * @param notCompared those files with the reason (at most 1,000 listed)
	 * @param deletedFiles deleted files (history kept, not re-readable, not compared)
	 * @param bytesRead committed bytes read again
	 * @param linesRead lines read again (blank ones included)
	 * @param invalidLines lines read that are not a JSON object (malformed, truncated,
	 * control characters): counted here, as the ingest counted them, never a difference
	 * @param overlongLines lines over the ingest's cap
	 * ({@code cctracer.ingest.max-line-bytes}), skipped unread as the ingest skipped them
	 * @param incremental the incremental engine's totals over the compared files
	 * (messages and tokens, by measure)
	 * @param rebuilt the rebuild's totals over the compared files
	 * @param differences compared files whose totals differ (at most 1,000 listed)
	 * @param differingFiles how many compared files differ
	 * @param equal whether every compared file's totals are equal
	 * @param millis wall time
	 */
	public record Report(int filesCompared, int filesNotCompared, List<NotCompared> notCompared, int deletedFiles,
			long bytesRead, long linesRead, long invalidLines, long overlongLines, Map<String, Long> incremental,
			Map<String, Long> rebuilt, List<Difference> differences, int differingFiles, boolean equal, long millis) {

	}

	/**
	 * Rebuilds and compares.
	 * @param progress receives the number of files read (or set aside) so far
	 * @return the report; files that could not be read are in it, not thrown
	 * @throws IOException when the scratch database's directory cannot be created or
	 * cleared
	 * @throws RuntimeException when the index or the scratch database fails (a database
	 * error)
	 */
	public Report verify(LongConsumer progress) throws IOException {
		long started = System.nanoTime();
		List<CountedFile> all = this.files.findAllCounted();
		// each file's place in the dedup order: its path order, and whether it is deleted
		Map<Long, FileState> states = new HashMap<>();
		Map<Long, long[]> rebuilt = new LinkedHashMap<>();
		Tally tally = new Tally();
		try (ScratchStore store = ScratchStore.create(this.scratchDir)) {
			long done = 0;
			for (CountedFile f : all) {
				FileState s = f.state();
				states.put(s.id(), s);
				if (s.deleted()) {
					tally.deleted++;
					store.insert(this.storedCopies.findByFile(s.id()));
				}
				else {
					Optional<Reason> skipped = rebuild(s, store, tally);
					if (skipped.isPresent()) {
						tally.notCompared(s.relPath(), skipped.get());
						store.insert(this.storedCopies.findByFile(s.id()));
					}
					else {
						long[] totals = new long[MEASURES.size()];
						totals[6] = tally.linesToolUses.getOrDefault(s.id(), 0L);
						rebuilt.put(s.id(), totals);
					}
				}
				progress.accept(++done);
			}
			store.forEachWinner((id) -> states.get(id).pathOrder(), (id) -> states.get(id).deleted(),
					(file, input, output, write5m, write1h, read, toolUses) -> {
						long[] t = rebuilt.get(file);
						if (t != null) {
							t[0]++;
							t[1] += input;
							t[2] += output;
							t[3] += write5m;
							t[4] += write1h;
							t[5] += read;
							t[6] += toolUses;
						}
					});
		}
		return compare(all, rebuilt, tally, (System.nanoTime() - started) / 1_000_000);
	}

	/**
	 * Reads one active file's committed bytes into the store.
	 * @return empty when it was read, else why it was not
	 */
	private Optional<Reason> rebuild(FileState s, ScratchStore store, Tally tally) {
		if (!s.origin().isEmpty() && !s.origin().equals(this.origin)) {
			return Optional.of(Reason.OTHER_MACHINE);
		}
		if (s.committedOffset() == 0) {
			return Optional.empty();
		}
		Read read = read(s);
		if (read.skipped() != null) {
			return Optional.of(read.skipped());
		}
		List<CopyRow> rows = new ArrayList<>(read.chunk().copies().size());
		for (UsageCopy u : read.chunk().copies()) {
			rows.add(this.mapper.toRow(s, u));
		}
		store.insert(rows);
		tally.bytes += s.committedOffset();
		tally.lines += read.chunk().counters().lines();
		tally.invalid += read.chunk().counters().invalidLines();
		tally.overlong += read.chunk().counters().overlongLines();
		tally.linesToolUses.put(s.id(), read.chunk().counters().toolUses());
		return Optional.empty();
	}

	/** A file's committed lines, or why they were not read. */
	private record Read(ChunkResult chunk, Reason skipped) {

	}

	/**
	 * Parses {@code [0, committed_offset)} of a file in one pass, after checking it is
	 * the file the ingest read (as the ingest checks it: size, file key, head), never
	 * throwing for the file's sake.
	 */
	private Read read(FileState s) {
		try {
			Path root = Path.of(s.root());
			Path path = root.resolve(s.relPath());
			BasicFileAttributes attrs = Files.readAttributes(path, BasicFileAttributes.class,
					LinkOption.NOFOLLOW_LINKS);
			if (attrs.isSymbolicLink()) {
				Optional<Path> real = SafePaths.registered(root, s.relPath(), this.followLinks);
				if (real.isEmpty()) {
					return new Read(null, Reason.NOT_ON_DISK);
				}
				path = real.get();
				attrs = Files.readAttributes(path, BasicFileAttributes.class);
			}
			if (!attrs.isRegularFile()) {
				return new Read(null, Reason.NOT_ON_DISK);
			}
			String key = FileIdentity.fileKey(attrs);
			if (attrs.size() < s.committedOffset() || (s.fileKey() != null && key != null && !s.fileKey().equals(key))
					|| s.rewrittenInPlace(attrs.size(), attrs.lastModifiedTime().toMillis())) {
				// a rewrite in place may change bytes the fingerprints do not cover: the
				// ingest reads it again once it is quiet
				return new Read(null, Reason.CHANGED_ON_DISK);
			}
			try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
				if (!s.holdsTheBytesRead(ch)) {
					return new Read(null, Reason.CHANGED_ON_DISK);
				}
				return new Read(this.parser.parse(ch, 0, s.committedOffset(), s.pathOrder()), null);
			}
		}
		catch (NoSuchFileException ex) {
			return new Read(null, Reason.NOT_ON_DISK);
		}
		catch (IOException | RuntimeException ex) {
			log.warn("verify: cannot read file {} ({}): {}", s.id(), s.relPath(), ex.getClass().getSimpleName());
			return new Read(null, Reason.UNREADABLE);
		}
	}

	private static Report compare(List<CountedFile> all, Map<Long, long[]> rebuilt, Tally tally, long millis) {
		long[] sumIncremental = new long[MEASURES.size()];
		long[] sumRebuilt = new long[MEASURES.size()];
		List<Difference> differences = new ArrayList<>();
		int differing = 0;
		for (CountedFile f : all) {
			long[] theirs = rebuilt.get(f.state().id());
			if (theirs == null) {
				continue;
			}
			long[] ours = { f.messages(), f.inputTokens(), f.outputTokens(), f.cacheWrite5m(), f.cacheWrite1h(),
					f.cacheRead(), f.toolUses() };
			for (int i = 0; i < ours.length; i++) {
				sumIncremental[i] += ours[i];
				sumRebuilt[i] += theirs[i];
			}
			if (!Arrays.equals(ours, theirs)) {
				differing++;
				if (differences.size() < MAX_LISTED) {
					differences.add(new Difference(f.state().relPath(), named(ours), named(theirs)));
				}
			}
		}
		return new Report(rebuilt.size(), tally.notCompared, tally.notComparedListed, tally.deleted, tally.bytes,
				tally.lines, tally.invalid, tally.overlong, named(sumIncremental), named(sumRebuilt), differences,
				differing, differing == 0, millis);
	}

	private static Map<String, Long> named(long[] values) {
		Map<String, Long> m = new LinkedHashMap<>();
		for (int i = 0; i < MEASURES.size(); i++) {
			m.put(MEASURES.get(i), values[i]);
		}
		return m;
	}

	/** What the rebuild read and set aside. */
	private static final class Tally {

		long bytes;

		long lines;

		long invalid;

		long overlong;

		int deleted;

		int notCompared;

		final List<NotCompared> notComparedListed = new ArrayList<>();

		/** Tool uses of lines without usage, by file id (read files only). */
		final Map<Long, Long> linesToolUses = new HashMap<>();

		void notCompared(String file, Reason reason) {
			this.notCompared++;
			if (this.notComparedListed.size() < MAX_LISTED) {
				this.notComparedListed.add(new NotCompared(file, reason));
			}
		}

	}

}
