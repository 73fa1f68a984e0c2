package dev.cctracer.worker.duckdb;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.duckdb.DuckDBConnection;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;

/**
 * The DuckDB instances of this process (in memory), the shared one of every job and query
 * and the facts writer's ({@link #writerConnection()}), each configured once and locked:
 * memory and thread limits, reads and writes only inside the Claude dirs and the data
 * dir, no external access, no extension auto-install; with the macros
 * {@code redact(text)} and {@code redact_json(json text)} ({@link Redactor}'s patterns)
 * and {@code csv_cell(text)} (a formula-like cell as text). Each job takes its own
 * connection ({@link #connection()}) and closes it. SQL and file lists are never built
 * from request text.
 */
@Component
public class DuckDbEngine implements DisposableBean {

	private final TracerProperties.Duckdb settings;

	private final List<Path> allowed = new ArrayList<>();

	private final Path workDir;

	private final Path factsDir;

	private DuckDBConnection root;

	private DuckDBConnection writer;

	public DuckDbEngine(TracerProperties properties, ClaudeRoots roots, Environment env) {
		this.settings = properties.duckdb();
		Path dataDir = Path.of(env.getRequiredProperty("cctracer.data-dir"));
		this.workDir = dataDir.resolve("duckdb");
		this.factsDir = Path.of(env.getProperty("cctracer.facts.dir", dataDir.resolve("facts").toString()))
			.toAbsolutePath()
			.normalize();
		this.allowed.add(dataDir);
		this.allowed.add(this.factsDir);
		for (Path projects : roots.candidates()) {
			this.allowed.add(projects.toAbsolutePath().normalize());
		}
		roots.current().forEach(this.allowed::add);
	}

	/** A directory DuckDB may write to, for a job's scratch files. */
	public Path workDir() {
		try {
			return Files.createDirectories(this.workDir);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Where the entry-level fact segments live ({@code cctracer.facts.dir}, by default
	 * {@code facts} in the data dir; a volume shared by web and workers in team mode).
	 */
	public Path factsDir() {
		return this.factsDir;
	}

	/** A new connection to the shared, locked instance; the caller closes it. */
	public synchronized Connection connection() throws SQLException {
		if (this.root == null) {
			this.root = open(this.settings.threads(), this.settings.memoryLimit(), "tmp");
		}
		return this.root.duplicate();
	}

	/**
	 * A new connection to the facts writer's own instance, configured and locked as the
	 * shared one but with one thread and {@code cctracer.duckdb.writer-memory-limit}; the
	 * caller closes it. With two threads, the thread that runs a batch's {@code COPY} (a
	 * batch is less than a row group: one task) spins on DuckDB's task queue while
	 * DuckDB's worker thread writes the file: perf put ~7 % of the process's CPU in that
	 * spin while the calibrated medium set's facts were written, and one thread took
	 * their CPU from 14.6 to 12.7 s (BENCHMARKS.md). With one, each writing thread runs
	 * its own {@code COPY}; the analytics keep the shared instance's threads.
	 */
	public synchronized Connection writerConnection() throws SQLException {
		if (this.writer == null) {
			this.writer = open(1, this.settings.writerMemoryLimit(), "tmp-writer");
		}
		return this.writer.duplicate();
	}

	private DuckDBConnection open(int threads, String memoryLimit, String tmp) throws SQLException {
		DuckDBConnection db = (DuckDBConnection) DriverManager.getConnection("jdbc:duckdb:");
		// loaded now: its 57 MB temporary copy goes (it was left behind by a killed
		// process)
		UnpackedLibrary.remove();
		try (Statement s = db.createStatement()) {
			s.execute("SET memory_limit = " + literal(memoryLimit));
			s.execute("SET threads = " + Math.max(1, threads));
			s.execute("SET temp_directory = " + literal(workDir().resolve(tmp).toString()));
			s.execute("SET allocator_flush_threshold = '16MB'");
			s.execute("SET allocator_background_threads = true");
			s.execute("SET autoinstall_known_extensions = false");
			s.execute("SET autoload_known_extensions = false");
			List<String> dirs = this.allowed.stream().map((p) -> literal(p.toString())).toList();
			s.execute("SET allowed_directories = [" + String.join(", ", dirs) + "]");
			s.execute("SET enable_external_access = false");
			s.execute("SET lock_configuration = true");
			// the redaction of the API, for what DuckDB writes to files (Parquet,
			// exports)
			s.execute("CREATE MACRO redact(t) AS regexp_replace(t, " + literal(Redactor.PATTERN) + ", "
					+ literal(Redactor.MASK) + ", 'g')");
			s.execute("CREATE MACRO redact_json(t) AS regexp_replace(t, " + literal(Redactor.JSON_TEXT_PATTERN) + ", "
					+ literal(Redactor.MASK) + ", 'g')");
			// a CSV cell a spreadsheet would read as a formula is written as text
			s.execute("CREATE MACRO csv_cell(t) AS CASE WHEN regexp_matches(t, '^[=+\\-@\\t\\r]') "
					+ "THEN '''' || t ELSE t END");
		}
		catch (SQLException | RuntimeException ex) {
			db.close();
			throw ex;
		}
		return db;
	}

	/**
	 * A SQL string literal of a value the application produced (a path, a size), quotes
	 * doubled.
	 */
	public static String literal(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

	@Override
	public synchronized void destroy() throws SQLException {
		try (DuckDBConnection r = this.root; DuckDBConnection w = this.writer) {
			// both closed (null ones skipped)
		}
	}

}
