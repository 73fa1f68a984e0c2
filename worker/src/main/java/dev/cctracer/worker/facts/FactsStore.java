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
import java.util.List;
import java.util.Locale;
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
 * ingest) writes a segment of two Parquet files (zstd) under
 * {@code <facts dir>/origin=<origin>/}:
 * <ul>
 * <li>{@code entries}: one row per line that is a JSON object — {@code file_id},
 * {@code off} (byte offset), {@code type}, {@code uuid}, {@code ts} (epoch ms; a usage
 * line without one takes the previous line's, as the ingest does), {@code mid},
 * {@code rid}, {@code side}, {@code line_agent}, {@code model}, {@code usage} (a usage
 * record the ingest counts: not Claude Code's own notice), {@code fast}, {@code geo},
 * {@code logged_usd}, the tokens {@code inp}, {@code outp}, {@code w5m}, {@code w1h},
 * {@code rd} and web searches {@code ws} (null without usage), and {@code text}: the
 * content's searchable text, redacted, at most {@value EntryFactReader#TEXT_MAX}
 * characters (none for a line over the reader's 1 MiB buffer);</li>
 * <li>{@code tools}: one row per {@code tool_use} ({@code use}, {@code id}, {@code name})
 * or {@code tool_result} ({@code id} = its tool_use_id, {@code error}) block, with its
 * line's {@code file_id}, {@code off}, {@code ts}, {@code mid}, {@code rid}.</li>
 * </ul>
 * A segment is recorded only when it continues its file's current facts and the file
 * still holds its generation and range committed ({@link FactSegmentRepository#insert});
 * a segment whose record was not written (a crash) is an orphan file that compaction
 * removes; a reset file's segments are removed by the next {@link #sync}, and never read
 * meanwhile (readers take the current generation only).
 */
@Component
public class FactsStore {

	private static final Logger log = LoggerFactory.getLogger(FactsStore.class);

	static final String ENTRIES = """
			file_id BIGINT, off BIGINT, type VARCHAR, uuid VARCHAR, ts BIGINT, mid VARCHAR, rid VARCHAR,
			side BOOLEAN, line_agent VARCHAR, model VARCHAR, usage BOOLEAN, fast BOOLEAN, geo VARCHAR,
			logged_usd DOUBLE, inp BIGINT, outp BIGINT, w5m BIGINT, w1h BIGINT, rd BIGINT, ws BIGINT, text VARCHAR""";

	static final String TOOLS = """
			file_id BIGINT, off BIGINT, ts BIGINT, mid VARCHAR, rid VARCHAR, use BOOLEAN, id VARCHAR, name VARCHAR,
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

	private final Object lock = new Object();

	public FactsStore(FactSegmentRepository segments, DuckDbEngine duckdb, TracerProperties properties) {
		this.segments = segments;
		this.duckdb = duckdb;
		this.reader = new EntryFactReader(new JsonlReader(1 << 20, properties.ingest().maxLineBytes().toBytes()));
		this.origin = properties.effectiveOrigin();
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
	 * stale segments, then writes one segment per file whose facts end before its
	 * committed offset. Run it exclusively of this process's ingest (a job's work, or the
	 * ingest thread's): another process's commits only add past the offsets read here.
	 * @param progress receives the number of files looked at so far
	 * @return what was done
	 * @throws IOException when a segment cannot be written (e.g. a full disk)
	 * @throws SQLException when DuckDB fails to write one
	 */
	public Synced sync(LongConsumer progress) throws IOException, SQLException {
		synchronized (this.lock) {
			long started = System.nanoTime();
			int removed = 0;
			for (Segment s : this.segments.staleSegments()) {
				deleteFiles(s);
				this.segments.delete(s);
				removed++;
			}
			int written = 0;
			long read = 0;
			long rows = 0;
			long done = 0;
			for (FactFile f : this.segments.activeFiles()) {
				progress.accept(++done);
				if (f.covered() >= f.committedOffset() || !writes(f)) {
					continue;
				}
				Path path = Path.of(f.root()).resolve(f.relPath());
				if (!Files.isRegularFile(path)) {
					continue;
				}
				Segment s = write(f, path, f.covered(), f.committedOffset());
				if (s == null) {
					continue;
				}
				if (this.segments.insert(s)) {
					written++;
					read += s.toOffset() - s.fromOffset();
					rows += s.entryRows();
				}
				else {
					deleteFiles(s);
				}
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
	 * Writes the facts of {@code [from, to)} of a file: parsed by
	 * {@link EntryFactReader}, appended to DuckDB, copied to Parquet under temporary
	 * names and renamed.
	 * @return the segment (not yet recorded), or {@code null} when the file no longer
	 * holds {@code to} bytes
	 */
	Segment write(FactFile f, Path path, long from, long to) throws IOException, SQLException {
		String name = "origin=" + dirName(f.origin()) + "/" + f.id() + "-" + f.generation() + "-" + from + "-" + to;
		Path entries = dir().resolve(name + ".entries.parquet");
		Path tools = dir().resolve(name + ".tools.parquet");
		Path entriesTmp = dir().resolve(name + ".entries.parquet.tmp");
		Path toolsTmp = dir().resolve(name + ".tools.parquet.tmp");
		SafePaths.ownerOnly(Files.createDirectories(entries.getParent()));
		String suffix = Long.toString(System.nanoTime());
		try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
				Connection c = this.duckdb.connection();
				Statement st = c.createStatement()) {
			if (channel.size() < to) {
				return null;
			}
			st.execute("CREATE TABLE fe_" + suffix + " (" + ENTRIES + ")");
			st.execute("CREATE TABLE ft_" + suffix + " (" + TOOLS + ")");
			try {
				long[] rows = new long[1];
				// the ingest's rules: the latest timestamp so far is carried over a
				// range's
				// start; within it, a usage line without one takes the previous line's
				Long[] last = { f.coveredLastTs() };
				Long[] previous = { f.coveredLastTs() };
				try (DuckDBAppender e = ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
						"fe_" + suffix);
						DuckDBAppender t = ((DuckDBConnection) c).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
								"ft_" + suffix)) {
					this.reader.read(channel, from, to, (offset, entry, content) -> {
						try {
							Long ts = entry.timestamp();
							boolean usage = entry.hasUsage() && !entry.synthetic();
							Long lineTs = (ts != null) ? ts
									: usage ? ((previous[0] != null) ? previous[0] : Long.valueOf(0L)) : null;
							if (ts != null) {
								last[0] = (last[0] == null) ? ts : Math.max(last[0], ts);
								previous[0] = ts;
							}
							appendEntry(e, f.id(), offset, entry, content, usage, lineTs);
							for (EntryFactReader.ToolBlock b : content.tools()) {
								appendTool(t, f.id(), offset, entry, lineTs, b);
							}
							rows[0]++;
						}
						catch (SQLException ex) {
							throw new IllegalStateException(ex);
						}
					});
				}
				st.execute("COPY fe_" + suffix + " TO " + DuckDbEngine.literal(entriesTmp.toString())
						+ " (FORMAT parquet, COMPRESSION zstd)");
				st.execute("COPY ft_" + suffix + " TO " + DuckDbEngine.literal(toolsTmp.toString())
						+ " (FORMAT parquet, COMPRESSION zstd)");
				SafePaths.ownerOnly(entriesTmp);
				SafePaths.ownerOnly(toolsTmp);
				Files.move(entriesTmp, entries, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				Files.move(toolsTmp, tools, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				return new Segment(f.id(), f.generation(), from, to, name + ".entries.parquet", name + ".tools.parquet",
						rows[0], Files.size(entries) + Files.size(tools), last[0], System.currentTimeMillis());
			}
			finally {
				st.execute("DROP TABLE IF EXISTS fe_" + suffix);
				st.execute("DROP TABLE IF EXISTS ft_" + suffix);
			}
		}
		catch (IllegalStateException ex) {
			if (ex.getCause() instanceof SQLException sql) {
				throw sql;
			}
			throw ex;
		}
		finally {
			Files.deleteIfExists(entriesTmp);
			Files.deleteIfExists(toolsTmp);
		}
	}

	private static void appendEntry(DuckDBAppender a, long fileId, long offset, LogEntry e,
			EntryFactReader.Content content, boolean usage, Long ts) throws SQLException {
		a.beginRow();
		a.append(fileId);
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

	private static void appendTool(DuckDBAppender a, long fileId, long offset, LogEntry e, Long ts,
			EntryFactReader.ToolBlock b) throws SQLException {
		a.beginRow();
		a.append(fileId);
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

	/** Removes a segment's files (absent ones are fine). */
	void deleteFiles(Segment s) {
		for (String p : List.of(s.entriesPath(), s.toolsPath())) {
			try {
				Files.deleteIfExists(resolve(p));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
	}

	/** A directory name for an origin: its letters, digits, dots and dashes. */
	static String dirName(String origin) {
		String name = origin.replaceAll("[^A-Za-z0-9._-]", "_");
		return name.isEmpty() || name.startsWith(".") ? "_" + name : name;
	}

}
