package dev.cctracer.worker.facts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cctracer.db.facts.FactSegmentRepository.FactFile;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.EntryFactReader;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.log.PreviousTimestamp;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.log.Utf8Text;
import dev.cctracer.shared.transcript.Redactor;

/**
 * One batch being written: the facts of several files' ranges (or pieces of them)
 * appended to two DuckDB tables, then copied to Parquet (zstd) under temporary names,
 * renamed, and recorded one segment per range ({@link FactsStore#sync}).
 */
final class FactBatch {

	private static final Logger LOG = LoggerFactory.getLogger(FactBatch.class);

	private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

	static final String ENTRIES = """
			file_id BIGINT, gen INTEGER, off BIGINT, type VARCHAR, uuid VARCHAR, ts BIGINT, mid VARCHAR, rid VARCHAR,
			side BOOLEAN, line_agent VARCHAR, model VARCHAR, usage BOOLEAN, fast BOOLEAN, geo VARCHAR,
			logged_usd DOUBLE, inp BIGINT, outp BIGINT, w5m BIGINT, w1h BIGINT, rd BIGINT, ws BIGINT, text VARCHAR""";

	static final String TOOLS = """
			file_id BIGINT, gen INTEGER, off BIGINT, ts BIGINT, mid VARCHAR, rid VARCHAR, use BOOLEAN, id VARCHAR, name VARCHAR,
			error BOOLEAN""";

	private final String name;

	private final Path entries;

	private final Path tools;

	private final Connection connection;

	private final Statement statement;

	private final String suffix = Long.toString(System.nanoTime());

	private final DuckDBAppender entryAppender;

	private final DuckDBAppender toolAppender;

	private final FactsStore store;

	private final List<Segment> pending = new ArrayList<>();

	private long bytes;

	private long size;

	/** Nanoseconds spent parsing files into the batch's tables. */
	private long parseNanos;

	/** CPU nanoseconds of this thread in the same. */
	private long parseCpuNanos;

	/** Whether this batch times itself for the debug line (read once, at its start). */
	private final boolean timed = LOG.isDebugEnabled() && CPU.isCurrentThreadCpuTimeSupported();

	private boolean recorded;

	private boolean closed;

	FactBatch(FactsStore store, String origin) throws IOException, SQLException {
		this.store = store;
		this.name = "origin=" + FactsStore.dirName(origin) + "/b-" + this.suffix;
		this.entries = store.resolve(this.name + ".entries.parquet");
		this.tools = store.resolve(this.name + ".tools.parquet");
		SafePaths.ownerOnly(Files.createDirectories(this.entries.getParent()));
		this.connection = store.engine().writerConnection();
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

	/**
	 * Parses {@code [from, to)} of a file ({@code to} a line end, at most its committed
	 * offset) into the batch, as one segment; nothing when the file shrank below
	 * {@code to} since its commit or while it is read (the ingest resets it, then it is
	 * written again). A usage line without a timestamp counts at the time
	 * {@link PreviousTimestamp} gives it: the ingest's rule, whatever the pieces or
	 * syncs.
	 * @throws IOException when the file cannot be read
	 * @throws SQLException when DuckDB refuses a row
	 */
	void add(FactFile f, Path path, long from, long to) throws IOException, SQLException {
		long started = System.nanoTime();
		long cpu = cpuNow();
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
			if (channel.size() < to) {
				return;
			}
			long[] rows = new long[1];
			PreviousTimestamp time = new PreviousTimestamp(this.store.lines(), channel, from);
			if (!read(channel, from, to, (offset, entry, content) -> {
				try {
					Long ts = entry.timestamp();
					boolean usage = entry.hasUsage() && !entry.synthetic();
					time.see(ts);
					Long lineTs = usage ? Long.valueOf(time.countedAt(ts)) : ts;
					appendEntry(this.entryAppender, f.id(), f.generation(), offset, entry, content, usage, lineTs);
					for (EntryFactReader.ToolBlock b : content.tools()) {
						appendTool(this.toolAppender, f.id(), f.generation(), offset, entry, lineTs, b);
					}
					rows[0]++;
				}
				catch (SQLException ex) {
					throw new IllegalStateException(ex);
				}
			})) {
				return;
			}
			this.pending.add(new Segment(f.id(), f.generation(), from, to, this.name + ".entries.parquet",
					this.name + ".tools.parquet", rows[0], 0, 0));
			this.bytes += to - from;
		}
		catch (IllegalStateException ex) {
			if (ex.getCause() instanceof SQLException sql) {
				throw sql;
			}
			throw ex;
		}
		finally {
			this.parseNanos += System.nanoTime() - started;
			this.parseCpuNanos += cpuNow() - cpu;
		}
	}

	/**
	 * Reads the range, or returns {@code false} when the file shrank below it while it
	 * was read (a truncation the ingest has not seen yet: it resets the file, then the
	 * facts are written again). The rows appended before that stay in the batch without a
	 * segment, so no reader takes them; the other files' pieces are still written.
	 */
	private boolean read(FileChannel channel, long from, long to, EntryFactReader.Handler handler) throws IOException {
		try {
			try {
				this.store.reader().read(channel, from, to, handler);
			}
			catch (UncheckedIOException ex) {
				// reading back before the range
				throw ex.getCause();
			}
			return true;
		}
		catch (IOException ex) {
			if (channel.size() < to) {
				LOG.info("facts: a file shrank while its range was read ({}); it is written again after the ingest",
						LogText.failure(ex));
				return false;
			}
			throw ex;
		}
	}

	/** This thread's CPU time in nanoseconds when the batch is timed, else 0. */
	private long cpuNow() {
		return this.timed ? CPU.getCurrentThreadCpuTime() : 0;
	}

	/** Writes the batch's files (Parquet under temporary names, renamed). */
	void write() throws IOException, SQLException {
		try {
			long started = System.nanoTime();
			this.entryAppender.close();
			this.toolAppender.close();
			long appended = System.nanoTime();
			long cpu = cpuNow();
			// no ORDER BY: rows were appended by file id (the sync's files are in id
			// order), then offset, and DuckDB keeps insertion order; a sort held the
			// whole batch in memory a second time (CompactionTests checks the order)
			FactParquet.copy(this.statement, "SELECT * FROM fe_" + this.suffix, this.entries);
			FactParquet.copy(this.statement, "SELECT * FROM ft_" + this.suffix, this.tools);
			this.size = Files.size(this.entries) + Files.size(this.tools);
			if (this.timed) {
				LOG.debug(
						"facts batch: {} MB parsed and appended in {} ms ({} ms of CPU), appenders closed in {} ms, "
								+ "Parquet {} MB in {} ms ({} ms of this thread's CPU)",
						this.bytes >> 20, this.parseNanos / 1_000_000, this.parseCpuNanos / 1_000_000,
						(appended - started) / 1_000_000, this.size >> 20, (System.nanoTime() - appended) / 1_000_000,
						(cpuNow() - cpu) / 1_000_000);
			}
		}
		finally {
			close();
		}
	}

	long bytes() {
		return this.bytes;
	}

	boolean recorded() {
		return this.recorded;
	}

	/** Removes the batch's files. */
	void delete() {
		this.store.deleteFiles(this.name + ".entries.parquet");
	}

	/** The segments of the batch, in the order they were added (not yet recorded). */
	List<Segment> pending() {
		return this.pending;
	}

	/**
	 * Marks the batch as being recorded: from then on a record may name its files, which
	 * are never removed blindly.
	 */
	void recording() {
		this.recorded = true;
	}

	/**
	 * A pending segment as recorded: its share of the batch's Parquet size (by the JSONL
	 * bytes it holds) and {@code now} (epoch ms).
	 */
	Segment recordable(Segment p, long now) {
		long share = (this.bytes == 0) ? 0 : this.size * (p.toOffset() - p.fromOffset()) / this.bytes;
		return new Segment(p.fileId(), p.generation(), p.fromOffset(), p.toOffset(), p.entriesPath(), p.toolsPath(),
				p.entryRows(), share, now);
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
		if (this.closed) {
			return;
		}
		this.closed = true;
		// a fresh statement: DuckDB closes one whose query failed (an appender's error
		// too), and the tables would stay in the writer's memory
		try (Connection c = this.connection; Statement failed = this.statement; Statement st = c.createStatement()) {
			st.execute("DROP TABLE IF EXISTS fe_" + this.suffix);
			st.execute("DROP TABLE IF EXISTS ft_" + this.suffix);
		}
		catch (SQLException ex) {
			LOG.warn("facts: dropping a batch's tables failed: {}", LogText.failure(ex));
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
		Appenders.utf8(a, searchable(content.text()));
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

	/**
	 * The text as stored, UTF-8: redacted whole (margin included,
	 * {@link Redactor#redact(byte[])}), then cut to {@link EntryFactReader#TEXT_MAX}
	 * UTF-16 chars.
	 */
	static byte[] searchable(byte[] text) {
		return (text != null) ? Utf8Text.cut(Redactor.redact(text), EntryFactReader.TEXT_MAX) : null;
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

}
