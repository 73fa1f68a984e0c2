package dev.cctracer.worker;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cctracer.shared.pricing.CostMode;

import dev.cctracer.worker.startup.DataDirCheck;

/**
 * Settings under {@code cctracer.*}.
 *
 * @param claudeDirs comma list of Claude config dirs (or their {@code projects/});
 * overrides {@code CLAUDE_CONFIG_DIR}; empty: {@code ~/.config/claude} and
 * {@code ~/.claude}
 * @param dataDir the tracer's own data dir (database); never inside a Claude dir
 * @param pricesFile a user price file overriding the bundled table, model by model
 * @param costMode calculate (default), auto or display
 * @param origin name of this machine in a team database (default: the host name); every
 * file it registers carries it, and it only scans and ingests its own files
 * @param demo {@code auto}: index a generated demo dataset when no Claude logs exist;
 * {@code on}; {@code off}
 * @param ingest ingest settings
 * @param duckdb DuckDB settings for heavy jobs
 * @param archive the Parquet archive of quiet transcripts
 * @param slowThreshold requests, database statements and DuckDB jobs slower than this are
 * logged once
 */
@ConfigurationProperties("cctracer")
public record TracerProperties(String claudeDirs, Path dataDir, Path pricesFile,
		@DefaultValue("calculate") String costMode, String origin, @DefaultValue("auto") String demo,
		@DefaultValue Ingest ingest, @DefaultValue Duckdb duckdb, @DefaultValue Archive archive,
		@DefaultValue("500ms") Duration slowThreshold) {

	/**
	 * @throws IllegalArgumentException naming the property when a value cannot work (the
	 * start is refused in one line)
	 */
	public TracerProperties {
		try {
			CostMode.parse(costMode);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException(
					"cctracer.cost-mode must be one of calculate, auto, display: " + costMode);
		}
		if (slowThreshold != null && slowThreshold.isNegative()) {
			throw new IllegalArgumentException("cctracer.slow-threshold must be 0 or more: " + slowThreshold);
		}
	}

	/**
	 * Where a recovery from a corrupt database is recorded
	 * ({@code <data-dir>/recovery.json}, JSON: at, reason, moved, lost), whether or not
	 * one happened.
	 */
	public Path recoveryFile() {
		return this.dataDir.resolve(DataDirCheck.RECOVERY_FILE);
	}

	/**
	 * Where the entry-level exports are written ({@code <data-dir>/exports}) and their
	 * downloads read.
	 */
	public Path exportsDir() {
		return this.dataDir.resolve("exports");
	}

	/**
	 * The origin in force: the configured one, recorded in the data dir ({@code origin}),
	 * else the one recorded there, else the host name, recorded there on first use — so a
	 * host name that changes later (a laptop on another network, a new container), or a
	 * restart without the {@code cctracer.origin} a worker was started with once, does
	 * not make this machine's files another machine's (a team trial's worker restarted
	 * without its flag registered its files again under the host name).
	 */
	public String effectiveOrigin() {
		String configured = (this.origin != null && !this.origin.isBlank()) ? this.origin.strip() : null;
		if (this.dataDir == null) {
			return (configured != null) ? configured : HostName.VALUE;
		}
		Path file = this.dataDir.resolve("origin");
		try {
			String recorded = Files.isRegularFile(file) ? Files.readString(file).strip() : "";
			if (configured == null && !recorded.isEmpty()) {
				return recorded;
			}
			String origin = (configured != null) ? configured : HostName.VALUE;
			if (!origin.equals(recorded)) {
				Files.createDirectories(this.dataDir);
				Files.writeString(file, origin + "\n");
			}
			return origin;
		}
		catch (IOException ex) {
			// a read-only data dir: unrecorded
			return (configured != null) ? configured : HostName.VALUE;
		}
	}

	/** This machine's host name (looked up once; the environment's, else "local"). */
	public static String hostName() {
		return HostName.VALUE;
	}

	/** The host name, looked up once. */
	private static final class HostName {

		static final String VALUE = lookUp();

		private static String lookUp() {
			String env = System.getenv("HOSTNAME");
			try {
				String name = InetAddress.getLocalHost().getHostName();
				if (name != null && !name.isBlank()) {
					return name;
				}
			}
			catch (IOException ex) {
				// no resolvable host name: the environment's, else "local"
			}
			return (env != null && !env.isBlank()) ? env : "local";
		}

	}

	/**
	 * @param enabled whether quiet transcripts are converted to Parquet
	 * @param interval period of the recurring archive job
	 * @param quiet how long a file must be unchanged before it is archived
	 */
	public record Archive(@DefaultValue("true") boolean enabled, @DefaultValue("5m") Duration interval,
			@DefaultValue("30m") Duration quiet) {

		public Archive {
			Settings.positive("cctracer.archive.interval", interval);
			if (quiet == null || quiet.isNegative()) {
				throw new IllegalArgumentException("cctracer.archive.quiet must be 0 or more: " + quiet);
			}
		}

	}

	/**
	 * @param memoryLimit DuckDB's {@code memory_limit} of the shared instance
	 * @param threads DuckDB's {@code threads} of the shared instance
	 * @param writerMemoryLimit {@code memory_limit} of the facts writer's instance (one
	 * thread, {@link dev.cctracer.worker.duckdb.DuckDbEngine#writerConnection()}): it
	 * holds a batch per parse thread (32 to 64 MB of JSONL each, a long file read in
	 * pieces) until it is copied to Parquet, and an appender's table cannot spill: a
	 * batch past it fails
	 * @param queryRows the most rows an ad-hoc query's answer keeps
	 * ({@code POST /api/queries}; its note says how many there were): hour by session
	 * over a year is 100,000s of rows, more than a page shows or a job's stored result
	 * should hold (~300 bytes of JSON a row)
	 */
	public record Duckdb(@DefaultValue("1GB") String memoryLimit, @DefaultValue("2") int threads,
			@DefaultValue("1GB") String writerMemoryLimit, @DefaultValue("20000") int queryRows) {

		public Duckdb {
			Settings.duckdbSize("cctracer.duckdb.memory-limit", memoryLimit);
			Settings.duckdbSize("cctracer.duckdb.writer-memory-limit", writerMemoryLimit);
			Settings.atLeast("cctracer.duckdb.threads", threads, 1);
			Settings.atLeast("cctracer.duckdb.query-rows", queryRows, 1);
		}

	}

	/**
	 * @param enabled whether this process scans and ingests (off for a web-only process)
	 * @param scanInterval period of the recurring scan job
	 * @param watch whether to watch the dirs for changes
	 * @param debounce how long the watcher gathers events before ingesting
	 * @param maxLineBytes lines longer than this are skipped whole and counted
	 * @param quietTail an unterminated last line that is valid JSON is consumed once the
	 * file has been quiet this long
	 * @param parseThreads threads that parse files in parallel
	 * @param batchFiles files per commit and per scan-enqueued job
	 * @param startup {@code inline}: the start-up index runs in this process (one
	 * process); {@code jobs}: the start-up scan enqueues ingest jobs that JobRunr spreads
	 * over every worker (several workers on one database)
	 * @param bulkMinSize a run into an empty {@code usage_copy} (a first index, on an H2
	 * file no other process opens) with at least this many bytes to read drops the
	 * message-hash index and builds it after its last commit (see {@code IngestService});
	 * above the history's size it never does
	 */
	public record Ingest(@DefaultValue("true") boolean enabled, @DefaultValue("30s") Duration scanInterval,
			@DefaultValue("true") boolean watch, @DefaultValue("150ms") Duration debounce,
			@DefaultValue("64MB") DataSize maxLineBytes, @DefaultValue("5m") Duration quietTail,
			@DefaultValue("2") int parseThreads, @DefaultValue("200") int batchFiles,
			@DefaultValue("inline") String startup, @DefaultValue("true") boolean followLinks,
			@DefaultValue("64MB") DataSize bulkMinSize) {

		public Ingest {
			Settings.positive("cctracer.ingest.scan-interval", scanInterval);
			Settings.positive("cctracer.ingest.quiet-tail", quietTail);
			if (debounce == null || debounce.isNegative()) {
				throw new IllegalArgumentException("cctracer.ingest.debounce must be 0 or more: " + debounce);
			}
			Settings.atLeast("cctracer.ingest.max-line-bytes", maxLineBytes, DataSize.ofKilobytes(64),
					"a line past it is skipped whole, its usage not counted");
			Settings.atLeast("cctracer.ingest.parse-threads", parseThreads, 1);
			Settings.atLeast("cctracer.ingest.batch-files", batchFiles, 1);
			Settings.atLeast("cctracer.ingest.bulk-min-size", bulkMinSize, DataSize.ofBytes(0), "0 or more");
		}

	}

}
