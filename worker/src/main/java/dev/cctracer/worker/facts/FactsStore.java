package dev.cctracer.worker.facts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FactSegmentRepository.FactFile;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.log.EntryFactReader;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.worker.FactsOutOfMemoryException;
import dev.cctracer.worker.FactsWritten;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The entry-level facts: what every analytic reads instead of the raw JSONL. For each
 * committed byte range of a file this machine holds, the ingest's own parser
 * ({@link EntryFactReader}: the same framing, line cap and {@link LogEntry} as the
 * ingest) produces the rows of a segment; a sync writes the segments of many files as one
 * batch of two Parquet files (zstd) under {@code <facts dir>/origin=<origin>/} —
 * thousands of small files made every read 10× slower than one file — and records one
 * segment per file and batch (a range over {@value #BATCH_BYTES} bytes is read in pieces,
 * one segment each):
 * <ul>
 * <li>{@code entries}: one row per line that is a JSON object — {@code file_id},
 * {@code gen} (the file's generation), {@code off} (byte offset), {@code type},
 * {@code uuid}, {@code ts} (epoch ms; a usage line without one takes that of the last
 * line before it in the file that has one, 0 when none, as the ingest does), {@code mid},
 * {@code rid}, {@code side}, {@code line_agent}, {@code model} (redacted), {@code usage}
 * (a usage record the ingest counts: not Claude Code's own notice), {@code fast},
 * {@code geo}, {@code logged_usd}, the tokens {@code inp}, {@code outp}, {@code w5m},
 * {@code w1h}, {@code rd} and web searches {@code ws} (null without usage), and
 * {@code text}: the content's searchable text, redacted, at most
 * {@value EntryFactReader#TEXT_MAX} characters (none for a line over the reader's 1 MiB
 * buffer);</li>
 * <li>{@code tools}: one row per {@code tool_use} ({@code use}, {@code id}, {@code name},
 * redacted) or {@code tool_result} ({@code id} = its tool_use_id, {@code error}) block,
 * with its line's {@code file_id}, {@code gen}, {@code off}, {@code ts}, {@code mid},
 * {@code rid}.</li>
 * </ul>
 * Readers take a batch's rows only within a current segment (file, generation, range): a
 * segment is recorded only when it continues its file's facts and the file still holds
 * its generation and range committed ({@link FactSegmentRepository#insert}); a reset
 * file's segments are removed by the next {@link #sync} (and a batch once no segment
 * names it); a batch written but never recorded (a crash) is an orphan that compaction
 * removes.
 */
@Component
public class FactsStore {

	private static final Logger log = LoggerFactory.getLogger(FactsStore.class);

	/**
	 * DuckDB's words for a file it could not open or reach, which say nothing of its
	 * content (a batch is removed only when its content failed).
	 */
	private static final Pattern NOT_DAMAGE = Pattern
		.compile("(?i)cannot open file|permission denied|too many open files|no such file|not a directory|interrupt");

	/** DuckDB's words for a Parquet file damaged inside a page, which name no file. */
	private static final Pattern UNNAMED_DAMAGE = Pattern
		.compile("(?i)invalid ttype|don't know what type|invalid error|corrupt|thrift|invalid input error");

	/** A file path in quotes, as DuckDB's errors name the file they could not read. */
	private static final Pattern NAMED_FILE = Pattern.compile("['\"]([^'\"\\n]+\\.parquet)['\"]");

	/**
	 * What a sync did.
	 *
	 * @param written segments written and recorded
	 * @param bytesRead transcript bytes parsed (bytes)
	 * @param rows entry rows written
	 * @param removed stale segments removed
	 * @param millis wall time (milliseconds)
	 * @param files every active file as the sync found it (before writing)
	 */
	public record Synced(int written, long bytesRead, long rows, int removed, long millis, List<FactFile> files) {

	}

	private final FactSegmentRepository segments;

	private final DuckDbEngine duckdb;

	/** The ingest's framing and parser, for the facts' reader and reading back. */
	private final JsonlReader lines;

	private final EntryFactReader reader;

	private final String origin;

	private final int parseThreads;

	/** The writer's memory limit as configured, for the error that names it. */
	private final String writerMemoryLimit;

	private final Object lock = new Object();

	private final ApplicationEventPublisher events;

	private final SourceFileRepository sourceFiles;

	private final TransactionTemplate transactions;

	/**
	 * Set once no file is marked for its facts to be written again (V20's
	 * {@code facts_rewrite} is empty; only a migration fills it): the sync stops asking.
	 */
	private volatile boolean rewritesDone;

	public FactsStore(FactSegmentRepository segments, DuckDbEngine duckdb, TracerProperties properties,
			ApplicationEventPublisher events, SourceFileRepository sourceFiles, TransactionTemplate transactions) {
		this.segments = segments;
		this.sourceFiles = sourceFiles;
		this.transactions = transactions;
		this.events = events;
		this.duckdb = duckdb;
		this.lines = new JsonlReader(1 << 20, properties.ingest().maxLineBytes().toBytes());
		this.reader = new EntryFactReader(this.lines);
		this.origin = properties.effectiveOrigin();
		this.parseThreads = Math.max(1, properties.ingest().parseThreads());
		this.writerMemoryLimit = properties.duckdb().writerMemoryLimit();
	}

	FactSegmentRepository segments() {
		return this.segments;
	}

	DuckDbEngine engine() {
		return this.duckdb;
	}

	EntryFactReader reader() {
		return this.reader;
	}

	/**
	 * The ingest's reader (the same framing and line cap), for reading back timestamps.
	 */
	JsonlReader lines() {
		return this.lines;
	}

	/** The facts directory. */
	public Path dir() {
		return this.duckdb.factsDir();
	}

	/** This machine's origin: the files whose facts it writes. */
	public String origin() {
		return this.origin;
	}

	/** Whether this machine writes the facts of a file (its own, or one of no origin). */
	public boolean writes(FactFile f) {
		return f.origin().isEmpty() || this.origin.equals(f.origin());
	}

	/** An absolute path of a recorded (relative) segment path. */
	public Path resolve(String relative) {
		return dir().resolve(relative);
	}

	/**
	 * Brings the facts up to every committed offset of this machine's files that are not
	 * marked deleted (a deleted file's facts stay as written: its path may hold another
	 * file now): removes stale segment records (their batch files go with compaction,
	 * once no record names them and they are an hour old: {@link #removeStale}), then
	 * parses what each file committed past its facts, many files into one batch (about
	 * {@value #BATCH_BYTES} bytes of JSONL): one pair of Parquet files, one segment
	 * record per file or piece of a long one. Run it exclusively of this process's ingest
	 * (a job's work) or beside it (after commits): a segment is recorded only if its file
	 * still holds that generation and range, and another process's commits only add past
	 * the offsets read here. Then writes again, whole, the facts of the files a migration
	 * marked that can be now ({@link #rewritable}), each swapped for its old ones in one
	 * transaction ({@link #recordRewrites}). Publishes {@link FactsWritten} when it wrote
	 * segments.
	 * @param progress receives the number of files looked at so far
	 * @return what was done
	 * @throws IOException when a batch cannot be written (e.g. a full disk)
	 * @throws SQLException when DuckDB fails to write one
	 * ({@link FactsOutOfMemoryException} when the writer's memory limit is too small)
	 */
	public Synced sync(LongConsumer progress) throws IOException, SQLException {
		synchronized (this.lock) {
			long started = System.nanoTime();
			int removed = removeStale();
			List<FactFile> todo = new ArrayList<>();
			long done = 0;
			List<FactFile> files = this.segments.indexedFiles();
			List<FactFile> rewrite = rewritable(files);
			Set<Long> rewriting = new HashSet<>();
			rewrite.forEach((f) -> rewriting.add(f.id()));
			for (FactFile f : files) {
				progress.accept(++done);
				if (!f.deleted() && f.covered() < f.committedOffset() && writes(f) && !rewriting.contains(f.id())
						&& Files.isRegularFile(Path.of(f.root()).resolve(f.relPath()))) {
					todo.add(f);
				}
			}
			List<FactBatch> batches = new ArrayList<>();
			Recorded r;
			Recorded again;
			try {
				try {
					batches.addAll(write(todo, false));
					r = record(batches);
					List<FactBatch> rewritten = write(rewrite, true);
					batches.addAll(rewritten);
					again = recordRewrites(rewritten, rewrite);
				}
				catch (SQLException ex) {
					throw FactsOutOfMemoryException.isOutOfMemory(ex)
							? new FactsOutOfMemoryException(this.writerMemoryLimit, ex) : ex;
				}
			}
			finally {
				// a batch not recorded (a failure on the way) is removed, not left an
				// orphan
				batches.stream().filter((b) -> !b.recorded()).forEach(FactBatch::delete);
			}
			if (again.segments() > 0) {
				log.info(
						"facts: the facts of {} transcript(s) written again with the search text of hook and system "
								+ "lines ({} MB parsed)",
						again.files(), String.format(Locale.ROOT, "%.1f", again.bytes() / 1048576.0));
			}
			int written = r.segments() + again.segments();
			long read = r.bytes() + again.bytes();
			long rows = r.rows() + again.rows();
			Synced synced = new Synced(written, read, rows, removed, (System.nanoTime() - started) / 1_000_000, files);
			if (written > 0 || removed > 0) {
				log.info("facts: {} segments written ({} MB parsed, {} entries), {} stale removed, {} ms", written,
						String.format(Locale.ROOT, "%.1f", read / 1048576.0), rows, removed, synced.millis());
			}
			if (written > 0) {
				this.events.publishEvent(new FactsWritten(written, read));
			}
			return synced;
		}
	}

	/**
	 * Parses the files' new ranges (with {@code whole}: their committed bytes from their
	 * start) into batches on up to {@code parseThreads} threads (the ingest's setting),
	 * each writing its own batches; nothing is recorded yet. A range longer than
	 * {@link #BATCH_BYTES} is cut into pieces ({@link #pieceEnd}); the pieces go, in
	 * (file id, offset) order, each to the thread with the fewest bytes so far, so that
	 * one long session keeps every thread busy.
	 */
	private List<FactBatch> write(List<FactFile> todo, boolean whole) throws IOException, SQLException {
		List<Piece> pieces = new ArrayList<>();
		for (FactFile f : todo) {
			Path path = Path.of(f.root()).resolve(f.relPath());
			// up to the next segment when a lost one left a gap, else to the commit; a
			// file written again, from its start to its commit
			long end = (f.gapEnd() != null && !whole) ? Math.min(f.gapEnd(), f.committedOffset()) : f.committedOffset();
			for (long from = whole ? 0 : f.covered(); from < end;) {
				long to = pieceEnd(path, from, end);
				pieces.add(new Piece(f, path, from, to));
				from = to;
			}
		}
		int threads = Math.max(1, Math.min(this.parseThreads, pieces.size()));
		List<List<Piece>> parts = new ArrayList<>();
		long[] load = new long[threads];
		for (int t = 0; t < threads; t++) {
			parts.add(new ArrayList<>());
		}
		// indexedFiles() is in id order and a file's pieces in offset order, so each part
		// is too: a batch's rows are appended in (file id, offset) order and written
		// without a sort
		for (Piece piece : pieces) {
			int least = 0;
			for (int t = 1; t < threads; t++) {
				least = (load[t] < load[least]) ? t : least;
			}
			parts.get(least).add(piece);
			load[least] += piece.to() - piece.from();
		}
		if (threads == 1) {
			return writeBatches(parts.get(0));
		}
		ExecutorService pool = Executors.newFixedThreadPool(threads, (r) -> {
			Thread t = new Thread(r, "facts-parse");
			t.setDaemon(true);
			return t;
		});
		try {
			List<Future<List<FactBatch>>> futures = new ArrayList<>();
			for (List<Piece> part : parts) {
				futures.add(pool.submit(() -> writeBatches(part)));
			}
			List<FactBatch> all = new ArrayList<>();
			Exception failure = null;
			for (Future<List<FactBatch>> f : futures) {
				try {
					all.addAll(f.get());
				}
				catch (ExecutionException ex) {
					failure = (failure != null) ? failure
							: (ex.getCause() instanceof Exception cause) ? cause : new IllegalStateException(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					failure = (failure != null) ? failure : new IOException("interrupted while writing facts", ex);
				}
			}
			if (failure != null) {
				all.forEach(FactBatch::delete);
				if (failure instanceof IOException io) {
					throw io;
				}
				if (failure instanceof SQLException sql) {
					throw sql;
				}
				throw (failure instanceof RuntimeException rt) ? rt : new IllegalStateException(failure);
			}
			return all;
		}
		finally {
			pool.shutdownNow();
		}
	}

	/**
	 * A piece of a file's new range: whole lines, at most about {@link #BATCH_BYTES}
	 * bytes.
	 *
	 * @param file the file
	 * @param path where it is read
	 * @param from its first byte (bytes)
	 * @param to past its last line (bytes)
	 */
	record Piece(FactFile file, Path path, long from, long to) {

	}

	/** Writes one thread's pieces as batches of about {@link #BATCH_BYTES}. */
	private List<FactBatch> writeBatches(List<Piece> pieces) throws IOException, SQLException {
		List<FactBatch> written = new ArrayList<>();
		FactBatch batch = null;
		try {
			for (Piece piece : pieces) {
				if (batch == null) {
					batch = new FactBatch(this, piece.file().origin());
				}
				batch.add(piece.file(), piece.path(), piece.from(), piece.to());
				if (batch.bytes() >= BATCH_BYTES) {
					batch.write();
					written.add(batch);
					batch = null;
				}
			}
			if (batch != null) {
				batch.write();
				written.add(batch);
				batch = null;
			}
			return written;
		}
		catch (IOException | SQLException | RuntimeException ex) {
			written.forEach(FactBatch::delete);
			throw ex;
		}
		finally {
			if (batch != null) {
				batch.abandon();
			}
		}
	}

	/**
	 * What {@link #record} recorded: segments, the JSONL bytes and entry rows they hold
	 * (and of {@link #recordRewrites}, the files whose segments were swapped).
	 */
	record Recorded(int segments, long bytes, long rows, int files) {

		Recorded(int segments, long bytes, long rows) {
			this(segments, bytes, rows, 0);
		}

	}

	/**
	 * The files marked for their facts to be written again ({@code facts_rewrite},
	 * migration V20) that can be now: this machine's, not deleted, at the generation
	 * marked, on disk and still holding the bytes read (their head and the bytes before
	 * their committed offset, as the ingest checks them). A mark is dropped for a file
	 * read again from its start since (its new facts are written anyway) or no longer
	 * indexed; a file not on disk, changed, or marked deleted keeps its old facts and its
	 * mark: the scan reads it again, or finds it back (a claude dir on a volume not
	 * mounted at the upgrade: the trial that found it saw a restored transcript keep
	 * facts without the new text for good).
	 */
	private List<FactFile> rewritable(List<FactFile> files) {
		if (this.rewritesDone) {
			return List.of();
		}
		Map<Long, Integer> marks = this.segments.rewrites();
		if (marks.isEmpty()) {
			this.rewritesDone = true;
			return List.of();
		}
		Map<Long, FactFile> candidates = new HashMap<>();
		Set<Long> indexed = new HashSet<>();
		for (FactFile f : files) {
			Integer marked = marks.get(f.id());
			if (marked == null) {
				continue;
			}
			indexed.add(f.id());
			if (f.generation() != marked) {
				this.segments.dropRewrite(f.id());
			}
			else if (!f.deleted() && writes(f) && Files.isRegularFile(Path.of(f.root()).resolve(f.relPath()))) {
				candidates.put(f.id(), f);
			}
		}
		marks.keySet().stream().filter((id) -> !indexed.contains(id)).forEach(this.segments::dropRewrite);
		List<FactFile> ready = new ArrayList<>();
		for (FileState state : this.sourceFiles.findByIds(candidates.keySet())) {
			FactFile f = candidates.get(state.id());
			if (f != null && state.generation() == f.generation() && holdsTheBytesRead(state)) {
				ready.add(f);
			}
		}
		ready.sort(Comparator.comparingLong(FactFile::id));
		return ready;
	}

	/**
	 * Whether the file on disk is at least as long as its commit and holds the bytes its
	 * last read fingerprinted ({@link FileState#holdsTheBytesRead}); {@code false} when
	 * it cannot be read.
	 */
	private static boolean holdsTheBytesRead(FileState state) {
		try (FileChannel channel = FileChannel.open(Path.of(state.root()).resolve(state.relPath()),
				StandardOpenOption.READ)) {
			long size = channel.size();
			return size >= state.committedOffset() && size >= state.headLength() && state.holdsTheBytesRead(channel);
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Records the facts of files written again ({@link #rewritable}): each file's new
	 * segments are swapped for its old ones in one transaction
	 * ({@link FactSegmentRepository#swapRewritten}), only when they cover its commit from
	 * offset 0 and it is still at its generation, not deleted; else its old facts stay,
	 * and so does its mark (tried again by the next sync). Batches named by no swap are
	 * removed.
	 */
	private Recorded recordRewrites(List<FactBatch> batches, List<FactFile> files) {
		record Pending(FactBatch batch, Segment segment) {
		}
		Map<Long, List<Pending>> byFile = new HashMap<>();
		for (FactBatch batch : batches) {
			batch.pending()
				.forEach(
						(s) -> byFile.computeIfAbsent(s.fileId(), (k) -> new ArrayList<>()).add(new Pending(batch, s)));
		}
		Set<FactBatch> named = new HashSet<>();
		int recorded = 0;
		int swappedFiles = 0;
		long bytes = 0;
		long rows = 0;
		long now = System.currentTimeMillis();
		for (FactFile f : files) {
			List<Pending> pending = byFile.getOrDefault(f.id(), List.of());
			if (pending.isEmpty()) {
				continue;
			}
			pending.sort(Comparator.comparingLong((Pending p) -> p.segment().fromOffset()));
			List<Segment> fresh = new ArrayList<>();
			for (Pending p : pending) {
				// from here on, the batch's files may be named: never removed blindly
				p.batch().recording();
				fresh.add(p.batch().recordable(p.segment(), now));
			}
			boolean swapped = Boolean.TRUE.equals(this.transactions.execute((tx) -> {
				if (this.segments.swapRewritten(f.id(), f.generation(), fresh)) {
					return true;
				}
				tx.setRollbackOnly();
				return false;
			}));
			if (swapped) {
				pending.forEach((p) -> named.add(p.batch()));
				swappedFiles++;
				for (Segment s : fresh) {
					recorded++;
					bytes += s.toOffset() - s.fromOffset();
					rows += s.entryRows();
				}
			}
		}
		batches.stream().filter((b) -> b.recorded() && !named.contains(b)).forEach(FactBatch::delete);
		return new Recorded(recorded, bytes, rows, swappedFiles);
	}

	/**
	 * Records the written batches' segments in (file id, offset) order, so that each
	 * continues the one before it whichever thread wrote it; a batch none of whose
	 * segments could be recorded is removed (and one not reached, by the caller).
	 */
	private Recorded record(List<FactBatch> batches) {
		record Pending(FactBatch batch, Segment segment) {
		}
		List<Pending> pending = new ArrayList<>();
		for (FactBatch batch : batches) {
			batch.pending().forEach((s) -> pending.add(new Pending(batch, s)));
		}
		pending.sort(Comparator.comparingLong((Pending p) -> p.segment().fileId())
			.thenComparingLong((p) -> p.segment().fromOffset()));
		Set<FactBatch> named = new HashSet<>();
		int recorded = 0;
		long bytes = 0;
		long rows = 0;
		long now = System.currentTimeMillis();
		for (Pending p : pending) {
			Segment s = p.segment();
			// from its first insert on, the batch's files may be named: never removed
			// blindly
			p.batch().recording();
			if (this.segments.insert(p.batch().recordable(s, now))) {
				named.add(p.batch());
				recorded++;
				bytes += s.toOffset() - s.fromOffset();
				rows += s.entryRows();
			}
		}
		batches.stream().filter((b) -> b.recorded() && !named.contains(b)).forEach(FactBatch::delete);
		return new Recorded(recorded, bytes, rows);
	}

	/**
	 * Where a piece of a file's range that starts at {@code from} ends: {@code committed}
	 * when at most {@link #BATCH_BYTES} are left, else just past the first newline that
	 * gives the piece at least {@link #BATCH_BYTES} bytes ({@code committed} when none
	 * comes before it). The reader frames lines at newlines, so a piece is whole lines.
	 */
	static long pieceEnd(Path path, long from, long committed) throws IOException {
		if (committed - from <= BATCH_BYTES) {
			return committed;
		}
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
			// a file shorter than its commit gives committed: the batch's own check finds
			// it so
			return JsonlReader.lineStartAfter(channel, from + BATCH_BYTES - 1, committed);
		}
	}

	/**
	 * JSONL bytes parsed into one batch before it is written. DuckDB holds a batch's rows
	 * in memory until they are copied to Parquet, one batch per parse thread, and an
	 * appender's table cannot spill to disk: past the writer's memory limit the batch
	 * fails. 256 MB batches took the process to 1.8 GB of RSS on the 0.9 GB calibrated
	 * set, 32 MB ones to 0.8 GB, and wrote the facts in 11 s instead of 18 s
	 * (BENCHMARKS.md); compaction merges the small batches later. A file's range is read
	 * in pieces of this size ({@link #pieceEnd}), so one long session makes several
	 * batches, not one of its size.
	 */
	static final long BATCH_BYTES = 32L << 20;

	/**
	 * Removes stale segment records. Their batches stay on disk: a job may be reading
	 * them (the search stream reads after the ingest lock is released); compaction
	 * removes batches no record names once they are an hour old.
	 * @return the records removed
	 */
	int removeStale() {
		List<Segment> stale = this.segments.staleSegments();
		for (Segment s : stale) {
			this.segments.delete(s);
		}
		return stale.size();
	}

	/**
	 * Removes a damaged batch's files (named by its entries file, relative to the facts
	 * dir), saying so in one WARN line: its facts are written again from the transcripts
	 * by the next sync once their segments are forgotten
	 * ({@link CommittedFiles#forgetUnreadable}); a file that cannot be removed stays,
	 * still unread.
	 */
	public void setAsideDamaged(String entriesPath) {
		try {
			deleteFiles(entriesPath);
			log.warn("facts: the batch {} (its entries or tools file) was damaged (cut short or overwritten): "
					+ "removed, its facts are written again from the transcripts", LogText.safe(entriesPath));
		}
		catch (UncheckedIOException ex) {
			log.warn("facts: the batch {} is damaged and cannot be removed ({}): it is not read",
					LogText.safe(entriesPath), LogText.safe(String.valueOf(ex.getCause().getMessage())));
		}
	}

	/**
	 * The batch a DuckDB error names as unreadable by its content (a fact file of this
	 * store's dir, by its path relative to the dir), or {@code null}: DuckDB names the
	 * file it could not read ({@code … at end of file '<path>'}); an error that it could
	 * not open or reach the file ({@link #NOT_DAMAGE}) names none.
	 */
	public String batchNamedIn(Throwable failure) {
		Path root = dir().toAbsolutePath().normalize();
		for (String message : messages(failure)) {
			if (NOT_DAMAGE.matcher(message).find()) {
				// the file could not be opened: nothing says its content is bad
				continue;
			}
			Matcher m = NAMED_FILE.matcher(message);
			while (m.find()) {
				Path named = Path.of(m.group(1)).toAbsolutePath().normalize();
				String name = named.getFileName().toString();
				if (named.startsWith(root) && (name.endsWith(".entries.parquet") || name.endsWith(".tools.parquet"))) {
					String rel = root.relativize(named).toString();
					return rel.endsWith(".tools.parquet")
							? rel.substring(0, rel.length() - ".tools.parquet".length()) + ".entries.parquet" : rel;
				}
			}
		}
		return null;
	}

	/**
	 * Runs a read of the facts, and once more after a repair when it failed on a damaged
	 * batch ({@link #repairAfter}): the analytics jobs and the search stream alike.
	 * @param facts the facts store, if this process has one (else the work runs once)
	 * @throws Exception what the work threw, when no batch was to blame or it failed
	 * again
	 */
	public static <T> T callRepairing(ObjectProvider<FactsStore> facts, Callable<T> work) throws Exception {
		try {
			return work.call();
		}
		catch (Exception ex) {
			FactsStore store = facts.getIfAvailable();
			if (store == null || !store.repairAfter(ex)) {
				throw ex;
			}
			return work.call();
		}
	}

	/**
	 * Repairs what a failed read of the facts points to: removes each damaged batch
	 * ({@link #damagedIn}, {@link #setAsideDamaged}), whose facts the next sync writes
	 * again. The caller reads once more when this answers true.
	 * @return whether a batch was removed
	 */
	boolean repairAfter(Throwable failure) {
		List<String> damaged = damagedIn(failure);
		damaged.forEach(this::setAsideDamaged);
		return !damaged.isEmpty();
	}

	/**
	 * The damaged batches a failed read of the facts points to: the one its error names
	 * ({@link #batchNamedIn}), else, for an error that names none but looks like damage
	 * ({@link #looksLikeDamage}), every batch that does not read whole
	 * ({@link #findDamaged}); none for any other failure.
	 */
	public List<String> damagedIn(Throwable failure) {
		String named = batchNamedIn(failure);
		if (named != null) {
			return List.of(named);
		}
		return looksLikeDamage(failure) ? findDamaged() : List.of();
	}

	/**
	 * Whether a failure looks like DuckDB reading a damaged Parquet file without naming
	 * it (damage inside a page: "Invalid Error: invalid TType", "don't know what type").
	 */
	public boolean looksLikeDamage(Throwable failure) {
		return messages(failure).stream().anyMatch((m) -> UNNAMED_DAMAGE.matcher(m).find());
	}

	/** The messages of a failure and its causes, outermost first. */
	private static List<String> messages(Throwable failure) {
		return Causes.chain(failure).stream().map((t) -> String.valueOf(t.getMessage())).toList();
	}

	/**
	 * The batches (by entries path) whose entries or tools file DuckDB cannot read whole:
	 * every column of every row decoded, one file at a time. As long as reading every
	 * current batch: for a failure that named no file ({@link #looksLikeDamage}).
	 */
	public List<String> findDamaged() {
		Set<String> batches = new LinkedHashSet<>();
		this.segments.currentSegments().forEach((s) -> batches.add(s.entriesPath()));
		List<String> damaged = new ArrayList<>();
		try (Connection c = this.duckdb.connection(); Statement st = c.createStatement()) {
			for (String batch : batches) {
				for (String file : List.of(batch, toolsPathOf(batch))) {
					try (ResultSet rs = st
						.executeQuery("SELECT max(length(CAST(COLUMNS(*) AS VARCHAR))) FROM read_parquet("
								+ DuckDbEngine.literal(resolve(file).toString()) + ")")) {
						rs.next();
					}
					catch (SQLException ex) {
						if (!NOT_DAMAGE.matcher(String.valueOf(ex.getMessage())).find()) {
							damaged.add(batch);
							break;
						}
					}
				}
			}
		}
		catch (SQLException ex) {
			log.warn("facts: cannot look for a damaged batch: {}", LogText.safe(String.valueOf(ex.getMessage())));
		}
		return damaged;
	}

	/** Removes a batch's files, named by its entries file (absent ones are fine). */
	void deleteFiles(String entriesPath) {
		for (String p : List.of(entriesPath, toolsPathOf(entriesPath))) {
			try {
				Files.deleteIfExists(resolve(p));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/** The tool-blocks file of a batch, named by its entries file. */
	static String toolsPathOf(String entriesPath) {
		return entriesPath.substring(0, entriesPath.length() - ".entries.parquet".length()) + ".tools.parquet";
	}

	/** A directory name for an origin: its letters, digits, dots and dashes. */
	static String dirName(String origin) {
		String name = origin.replaceAll("[^A-Za-z0-9._-]", "_");
		return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
	}

}
