package dev.cctracer.worker.facts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FactSegmentRepository.FactFile;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.EntryFactReader;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The entry-level facts: what every analytic reads instead of the raw JSONL. For each
 * committed byte range of a file this machine holds, the ingest's own parser
 * ({@link EntryFactReader}: the same framing, line cap and {@link LogEntry} as the
 * ingest) produces the rows of a segment; a sync writes the segments of many files as one
 * batch of two Parquet files (zstd) under {@code <facts dir>/origin=<origin>/} —
 * thousands of small files made every read 10× slower than one file — and records one
 * segment per file:
 * <ul>
 * <li>{@code entries}: one row per line that is a JSON object — {@code file_id},
 * {@code gen} (the file's generation), {@code off} (byte offset), {@code type},
 * {@code uuid}, {@code ts} (epoch ms; a usage line without one takes the previous line's,
 * as the ingest does), {@code mid}, {@code rid}, {@code side}, {@code line_agent},
 * {@code model} (redacted), {@code usage} (a usage record the ingest counts: not Claude
 * Code's own notice), {@code fast}, {@code geo}, {@code logged_usd}, the tokens
 * {@code inp}, {@code outp}, {@code w5m}, {@code w1h}, {@code rd} and web searches
 * {@code ws} (null without usage), and {@code text}: the content's searchable text,
 * redacted, at most {@value EntryFactReader#TEXT_MAX} characters (none for a line over
 * the reader's 1 MiB buffer);</li>
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

	static final String ENTRIES = """
			file_id BIGINT, gen INTEGER, off BIGINT, type VARCHAR, uuid VARCHAR, ts BIGINT, mid VARCHAR, rid VARCHAR,
			side BOOLEAN, line_agent VARCHAR, model VARCHAR, usage BOOLEAN, fast BOOLEAN, geo VARCHAR,
			logged_usd DOUBLE, inp BIGINT, outp BIGINT, w5m BIGINT, w1h BIGINT, rd BIGINT, ws BIGINT, text VARCHAR""";

	static final String TOOLS = """
			file_id BIGINT, gen INTEGER, off BIGINT, ts BIGINT, mid VARCHAR, rid VARCHAR, use BOOLEAN, id VARCHAR, name VARCHAR,
			error BOOLEAN""";

	/**
	 * What a sync did.
	 *
	 * @param written segments written and recorded
	 * @param bytesRead transcript bytes parsed (bytes)
	 * @param rows entry rows written
	 * @param removed stale segments removed
	 * @param millis wall time (milliseconds)
	 */
	public record Synced(int written, long bytesRead, long rows, int removed, long millis) {

	}

	private final FactSegmentRepository segments;

	private final DuckDbEngine duckdb;

	private final EntryFactReader reader;

	private final String origin;

	private final int parseThreads;

	private final Object lock = new Object();

	public FactsStore(FactSegmentRepository segments, DuckDbEngine duckdb, TracerProperties properties) {
		this.segments = segments;
		this.duckdb = duckdb;
		this.reader = new EntryFactReader(new JsonlReader(1 << 20, properties.ingest().maxLineBytes().toBytes()));
		this.origin = properties.effectiveOrigin();
		this.parseThreads = Math.max(1, properties.ingest().parseThreads());
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
	 * Brings the facts up to every committed offset of this machine's files: removes
	 * stale segments (and batch files no segment names any more), then parses what each
	 * file committed past its facts, many files into one batch (up to
	 * {@value #BATCH_BYTES} bytes of JSONL): one pair of Parquet files, one segment
	 * record per file. Run it exclusively of this process's ingest (a job's work) or
	 * beside it (after commits): a segment is recorded only if its file still holds that
	 * generation and range, and another process's commits only add past the offsets read
	 * here.
	 * @param progress receives the number of files looked at so far
	 * @return what was done
	 * @throws IOException when a batch cannot be written (e.g. a full disk)
	 * @throws SQLException when DuckDB fails to write one
	 */
	public Synced sync(LongConsumer progress) throws IOException, SQLException {
		synchronized (this.lock) {
			long started = System.nanoTime();
			int removed = removeStale();
			List<FactFile> todo = new ArrayList<>();
			long done = 0;
			for (FactFile f : this.segments.activeFiles()) {
				progress.accept(++done);
				if (f.covered() < f.committedOffset() && writes(f)
						&& Files.isRegularFile(Path.of(f.root()).resolve(f.relPath()))) {
					todo.add(f);
				}
			}
			List<Batch> batches = write(todo);
			int written = 0;
			long read = 0;
			long rows = 0;
			try {
				for (Batch batch : batches) {
					written += batch.record();
					read += batch.recordedBytes;
					rows += batch.recordedRows;
				}
			}
			finally {
				// a batch not recorded (a failure on the way) is removed, not left an
				// orphan
				batches.stream().filter((b) -> !b.recorded).forEach((b) -> deleteFiles(b.name + ".entries.parquet"));
			}
			Synced synced = new Synced(written, read, rows, removed, (System.nanoTime() - started) / 1_000_000);
			if (written > 0 || removed > 0) {
				log.info("facts: {} segments written ({} MB parsed, {} entries), {} stale removed, {} ms", written,
						String.format(Locale.ROOT, "%.1f", read / 1048576.0), rows, removed, synced.millis());
			}
			return synced;
		}
	}

	/**
	 * Parses the files' new ranges into batches on up to {@code parseThreads} threads
	 * (the ingest's setting), each writing its own batches; nothing is recorded yet.
	 */
	private List<Batch> write(List<FactFile> todo) throws IOException, SQLException {
		int threads = Math.max(1, Math.min(this.parseThreads, todo.size()));
		List<List<FactFile>> parts = new ArrayList<>();
		for (int t = 0; t < threads; t++) {
			parts.add(new ArrayList<>());
		}
		for (int i = 0; i < todo.size(); i++) {
			parts.get(i % threads).add(todo.get(i));
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
			List<Future<List<Batch>>> futures = new ArrayList<>();
			for (List<FactFile> part : parts) {
				futures.add(pool.submit(() -> writeBatches(part)));
			}
			List<Batch> all = new ArrayList<>();
			Exception failure = null;
			for (Future<List<Batch>> f : futures) {
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
				all.forEach((b) -> deleteFiles(b.name + ".entries.parquet"));
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

	/** Writes one thread's files as batches of up to {@link #BATCH_BYTES}. */
	private List<Batch> writeBatches(List<FactFile> files) throws IOException, SQLException {
		List<Batch> written = new ArrayList<>();
		Batch batch = null;
		try {
			for (FactFile f : files) {
				if (batch == null) {
					batch = new Batch(f.origin());
				}
				batch.add(f, Path.of(f.root()).resolve(f.relPath()));
				if (batch.bytes >= BATCH_BYTES) {
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
			written.forEach((b) -> deleteFiles(b.name + ".entries.parquet"));
			throw ex;
		}
		finally {
			if (batch != null) {
				batch.abandon();
			}
		}
	}

	/** JSONL bytes parsed into one batch before it is written. */
	static final long BATCH_BYTES = 256L << 20;

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
	 * One batch being written: the facts of several files' ranges appended to two DuckDB
	 * tables, then copied to Parquet (zstd) under temporary names, renamed, and recorded
	 * one segment per file.
	 */
	private final class Batch {

		private final String name;

		private final Path entries;

		private final Path tools;

		private final Connection connection;

		private final Statement statement;

		private final String suffix = Long.toString(System.nanoTime());

		private final DuckDBAppender entryAppender;

		private final DuckDBAppender toolAppender;

		private final List<Segment> pending = new ArrayList<>();

		private final List<Long> pendingBytes = new ArrayList<>();

		long bytes;

		long size;

		boolean recorded;

		long recordedBytes;

		long recordedRows;

		Batch(String origin) throws IOException, SQLException {
			this.name = "origin=" + dirName(origin) + "/b-" + this.suffix;
			this.entries = resolve(this.name + ".entries.parquet");
			this.tools = resolve(this.name + ".tools.parquet");
			SafePaths.ownerOnly(Files.createDirectories(this.entries.getParent()));
			this.connection = FactsStore.this.duckdb.connection();
			try {
				this.statement = this.connection.createStatement();
				this.statement.execute("CREATE TABLE fe_" + this.suffix + " (" + ENTRIES + ")");
				this.statement.execute("CREATE TABLE ft_" + this.suffix + " (" + TOOLS + ")");
				DuckDBConnection duck = (DuckDBConnection) this.connection;
				this.entryAppender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "fe_" + this.suffix);
				this.toolAppender = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, "ft_" + this.suffix);
			}
			catch (SQLException | RuntimeException ex) {
				this.connection.close();
				throw ex;
			}
		}

		/** Parses {@code [covered, committed)} of a file into the batch. */
		void add(FactFile f, Path path) throws IOException, SQLException {
			long from = f.covered();
			long to = f.committedOffset();
			try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
				if (channel.size() < to) {
					// shrank since its commit: the ingest resets it, then it is written
					// again
					return;
				}
				long[] rows = new long[1];
				// the ingest's rules: the latest timestamp so far is carried over a
				// range's
				// start; within it, a usage line without one takes the previous line's
				Long[] last = { f.coveredLastTs() };
				Long[] previous = { f.coveredLastTs() };
				FactsStore.this.reader.read(channel, from, to, (offset, entry, content) -> {
					try {
						Long ts = entry.timestamp();
						boolean usage = entry.hasUsage() && !entry.synthetic();
						Long lineTs = (ts != null) ? ts
								: usage ? ((previous[0] != null) ? previous[0] : Long.valueOf(0L)) : null;
						if (ts != null) {
							last[0] = (last[0] == null) ? ts : Math.max(last[0], ts);
							previous[0] = ts;
						}
						appendEntry(this.entryAppender, f.id(), f.generation(), offset, entry, content, usage, lineTs);
						for (EntryFactReader.ToolBlock b : content.tools()) {
							appendTool(this.toolAppender, f.id(), f.generation(), offset, entry, lineTs, b);
						}
						rows[0]++;
					}
					catch (SQLException ex) {
						throw new IllegalStateException(ex);
					}
				});
				this.pending.add(new Segment(f.id(), f.generation(), from, to, this.name + ".entries.parquet",
						this.name + ".tools.parquet", rows[0], 0, last[0], 0));
				this.pendingBytes.add(to - from);
				this.bytes += to - from;
			}
			catch (IllegalStateException ex) {
				if (ex.getCause() instanceof SQLException sql) {
					throw sql;
				}
				throw ex;
			}
		}

		/** Writes the batch's files (Parquet under temporary names, renamed). */
		void write() throws IOException, SQLException {
			Path entriesTmp = this.entries.resolveSibling(this.entries.getFileName() + ".tmp");
			Path toolsTmp = this.tools.resolveSibling(this.tools.getFileName() + ".tmp");
			try {
				this.entryAppender.close();
				this.toolAppender.close();
				this.statement.execute("COPY (SELECT * FROM fe_" + this.suffix + " ORDER BY file_id, off) TO "
						+ DuckDbEngine.literal(entriesTmp.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
				this.statement.execute("COPY (SELECT * FROM ft_" + this.suffix + " ORDER BY file_id, off) TO "
						+ DuckDbEngine.literal(toolsTmp.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
				SafePaths.ownerOnly(entriesTmp);
				SafePaths.ownerOnly(toolsTmp);
				Files.move(entriesTmp, this.entries, StandardCopyOption.REPLACE_EXISTING,
						StandardCopyOption.ATOMIC_MOVE);
				Files.move(toolsTmp, this.tools, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				this.size = Files.size(this.entries) + Files.size(this.tools);
			}
			finally {
				Files.deleteIfExists(entriesTmp);
				Files.deleteIfExists(toolsTmp);
				close();
			}
		}

		/**
		 * Records the written batch's segments (database work); its files go when none
		 * could be recorded.
		 * @return the segments recorded
		 */
		int record() {
			// from the first insert on, the files may be named: never removed blindly
			this.recorded = true;
			int recorded = 0;
			long now = System.currentTimeMillis();
			for (int i = 0; i < this.pending.size(); i++) {
				Segment p = this.pending.get(i);
				// each segment's share of the batch's size, by the JSONL bytes it holds
				long share = (this.bytes == 0) ? 0 : this.size * this.pendingBytes.get(i) / this.bytes;
				Segment s = new Segment(p.fileId(), p.generation(), p.fromOffset(), p.toOffset(), p.entriesPath(),
						p.toolsPath(), p.entryRows(), share, p.lastTs(), now);
				if (FactsStore.this.segments.insert(s)) {
					recorded++;
					this.recordedBytes += s.toOffset() - s.fromOffset();
					this.recordedRows += s.entryRows();
				}
			}
			if (recorded == 0) {
				deleteFiles(this.name + ".entries.parquet");
			}
			return recorded;
		}

		void abandon() {
			try {
				this.entryAppender.close();
				this.toolAppender.close();
			}
			catch (SQLException | RuntimeException ex) {
				// closing after a failure: the failure is what matters
			}
			close();
		}

		private void close() {
			try (Connection c = this.connection; Statement st = this.statement) {
				st.execute("DROP TABLE IF EXISTS fe_" + this.suffix);
				st.execute("DROP TABLE IF EXISTS ft_" + this.suffix);
			}
			catch (SQLException ex) {
				log.warn("facts: dropping a batch's tables failed: {}", ex.toString());
			}
		}

	}

	private static void appendEntry(DuckDBAppender a, long fileId, int generation, long offset, LogEntry e,
			EntryFactReader.Content content, boolean usage, Long ts) throws SQLException {
		a.beginRow();
		a.append(fileId);
		a.append(generation);
		a.append(offset);
		Appenders.string(a, e.rawType());
		Appenders.string(a, content.uuid());
		Appenders.number(a, ts);
		Appenders.string(a, e.messageId());
		Appenders.string(a, e.requestId());
		a.append(e.sidechain());
		Appenders.string(a, e.agentId());
		// a model id that held a secret prices as unknown either way
		Appenders.string(a, redacted(e.model()));
		a.append(usage);
		Usage u = e.usage();
		a.append(u != null && u.fast());
		Appenders.string(a, (u != null) ? u.inferenceGeo() : null);
		if (e.costUsd() != null) {
			a.append(e.costUsd().doubleValue());
		}
		else {
			a.appendNull();
		}
		Appenders.number(a, (u != null) ? u.input() : null);
		Appenders.number(a, (u != null) ? u.output() : null);
		Appenders.number(a, (u != null) ? u.cacheWrite5m() : null);
		Appenders.number(a, (u != null) ? u.cacheWrite1h() : null);
		Appenders.number(a, (u != null) ? u.cacheRead() : null);
		Appenders.number(a, (u != null) ? u.webSearches() : null);
		Appenders.string(a, searchable(content.text()));
		a.endRow();
	}

	private static void appendTool(DuckDBAppender a, long fileId, int generation, long offset, LogEntry e, Long ts,
			EntryFactReader.ToolBlock b) throws SQLException {
		a.beginRow();
		a.append(fileId);
		a.append(generation);
		a.append(offset);
		Appenders.number(a, ts);
		Appenders.string(a, e.messageId());
		Appenders.string(a, e.requestId());
		a.append(b.use());
		Appenders.string(a, b.id());
		Appenders.string(a, redacted(b.name()));
		a.append(b.error());
		a.endRow();
	}

	/** The text as stored: redacted whole (margin included), then cut to the cap. */
	static String searchable(String text) {
		if (text == null) {
			return null;
		}
		String redacted = Redactor.redact(text);
		return (redacted.length() <= EntryFactReader.TEXT_MAX) ? redacted
				: redacted.substring(0, EntryFactReader.TEXT_MAX);
	}

	/** A short string (model id, tool name) as stored: redacted, each value once. */
	private static String redacted(String value) {
		if (value == null) {
			return null;
		}
		String cached = SHORT_REDACTED.get(value);
		if (cached != null) {
			return cached;
		}
		String redacted = Redactor.redact(value);
		if (SHORT_REDACTED.size() < 10_000) {
			SHORT_REDACTED.put(value, redacted);
		}
		return redacted;
	}

	private static final Map<String, String> SHORT_REDACTED = new ConcurrentHashMap<>();

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
