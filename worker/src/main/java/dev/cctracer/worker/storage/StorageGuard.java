package dev.cctracer.worker.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfigMXBean;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.h2.jdbcx.JdbcDataSource;
import org.jobrunr.server.BackgroundJobServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.cctracer.db.support.DatabaseNames;
import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.worker.StorageFault;
import dev.cctracer.worker.StorageHealth;
import dev.cctracer.worker.StorageRecovered;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.startup.DataDirCheck;

/**
 * Watches the storage of the data dir and recovers from its faults without a restart.
 * <p>
 * A full disk, a read-only or vanished data dir, or any failed write makes H2 close the
 * database for good (every later statement fails with error 90098), and JobRunr's
 * background server shuts itself down after a few storage errors. Every
 * {@link StorageProperties#checkInterval()} this guard checks the data dir (it exists,
 * has {@link StorageProperties#minFree()} usable bytes, takes a small write), the
 * database (a read) and, once it ran, JobRunr's background server. On a fault it names
 * the cause ({@link #fault()}: health and the admin console show it) and pauses ingest
 * ({@link #checkWritable()}). Then, at each check, once the data dir takes writes again:
 * the pool's connections are evicted, so new ones reopen the database (H2 recovers the
 * file to its last complete commit), the database is read, JobRunr's background server is
 * started again, and {@link StorageRecovered} is published so the scan resumes ingest.
 * While at fault a request waits at most 1 s for a connection the pool cannot make, not
 * the pool's own {@code spring.datasource.hikari.connection-timeout} (30 s by default; 5
 * s as docs/operations.md has a team set it).
 * <p>
 * Nothing is lost or counted twice: a file's rows and its committed offset are written in
 * one transaction, so a commit the fault cut is undone as a whole and its lines are read
 * again.
 */
@Component
@EnableConfigurationProperties(StorageProperties.class)
public class StorageGuard implements SmartLifecycle, StorageHealth {

	private static final Logger log = LoggerFactory.getLogger(StorageGuard.class);

	private static final int PROBE_BYTES = 4096;

	/** How long a request waits for a connection while at fault, in ms. */
	static final long FAULT_CONNECTION_TIMEOUT_MS = 1000;

	private final DataSource dataSource;

	private final JdbcClient jdbc;

	private final Path dataDir;

	/** The entry-level exports' dir: what a full disk drops first. */
	private final Path exportsDir;

	/** The database as the fault names it: where it is, never its credentials. */
	private final String database;

	/** Whether this process ingests (not a web-only one): what a fault pauses. */
	private final boolean ingests;

	private final StorageProperties properties;

	private final ObjectProvider<BackgroundJobServer> jobServer;

	private final ApplicationEventPublisher events;

	private volatile StorageFault fault;

	/** The pool's connection timeout (ms) set aside while at fault; 0 when not. */
	private long configuredConnectionTimeout;

	private volatile boolean jobServerSeenRunning;

	private volatile StorageRecovered lastRecovery;

	/** Whether H2 found the database damaged (a rebuild requested for the next start). */
	private volatile boolean damaged;

	private ScheduledExecutorService ticker;

	public StorageGuard(DataSource dataSource, JdbcClient jdbc, TracerProperties tracer, StorageProperties properties,
			ObjectProvider<BackgroundJobServer> jobServer, ApplicationEventPublisher events) {
		this.dataSource = dataSource;
		this.jdbc = jdbc;
		this.dataDir = tracer.dataDir();
		this.exportsDir = tracer.exportsDir();
		this.database = DatabaseNames.describe(jdbcUrl(dataSource), this.dataDir);
		this.ingests = tracer.ingest() == null || tracer.ingest().enabled();
		this.properties = properties;
		this.jobServer = jobServer;
		this.events = events;
	}

	@Override
	public Optional<StorageFault> fault() {
		return Optional.ofNullable(this.fault);
	}

	@Override
	public Optional<StorageRecovered> lastRecovery() {
		return Optional.ofNullable(this.lastRecovery);
	}

	@Override
	public synchronized Optional<StorageFault> failed(Throwable failure) {
		String damage = this.damaged ? null : DataDirCheck.damage(failure);
		if (damage != null && DataDirCheck.requestRebuild(this.dataDir, jdbcUrl(this.dataSource), damage)) {
			// H2 read a damaged page: no reopening mends it (a trial saw "recovered"
			// every few seconds, and every page 503, for good); the next start moves the
			// database aside and rebuilds it from the logs
			this.damaged = true;
			enter(this.database + " is damaged (" + damage + "): " + StorageFault.RESTART);
		}
		else if (this.fault == null && StorageHealth.isStorageFailure(failure)) {
			enterIfFaulty();
		}
		return fault();
	}

	/** One check, or one recovery attempt while at fault; run by the ticker. */
	synchronized void tick() {
		try {
			StorageFault current = this.fault;
			if (current == null) {
				enterIfFaulty();
			}
			else {
				recover(current);
			}
		}
		catch (RuntimeException ex) {
			log.warn("storage check failed: {}", LogText.safe(ex.toString()));
		}
	}

	/** What is wrong with the data dir, the database or the job server; null: nothing. */
	private String check() {
		String dir = dataDirProblem();
		if (dir != null) {
			return dir;
		}
		String db = databaseProblem();
		if (db != null) {
			return db;
		}
		BackgroundJobServer server = this.jobServer.getIfAvailable();
		if (server != null) {
			if (server.isRunning()) {
				this.jobServerSeenRunning = true;
			}
			else if (this.jobServerSeenRunning && !server.isAnnounced()) {
				// its zookeeper's own report is off (a stack trace): this is the line
				return "JobRunr's background server stopped itself after too many storage or processing errors";
			}
		}
		return null;
	}

	private void enterIfFaulty() {
		String problem = check();
		if (problem != null) {
			enter(problem);
		}
	}

	private void enter(String problem) {
		this.fault = new StorageFault(problem, Instant.now(), 0);
		failFast(true);
		log.error("storage fault: {}; {}checked again every {} s", LogText.safe(problem),
				this.ingests ? "ingest paused, " : "", this.properties.checkInterval().toSeconds());
	}

	private void recover(StorageFault current) {
		if (this.damaged) {
			// until the restart that rebuilds it
			this.fault = current.retried(current.cause());
			return;
		}
		String dir = dataDirProblem();
		if (dir != null) {
			this.fault = current.retried(dir);
			return;
		}
		evictConnections();
		String db = databaseProblem();
		if (db != null) {
			this.fault = current.retried(db);
			return;
		}
		BackgroundJobServer server = this.jobServer.getIfAvailable();
		if (server != null && !server.isRunning()) {
			// stopped by its own zookeeper after storage errors: a stopped server starts
			// again
			server.stop();
			server.start();
			log.info("JobRunr's background server started again");
		}
		this.fault = null;
		failFast(false);
		Instant now = Instant.now();
		Duration lasted = Duration.between(current.since(), now);
		log.info("storage recovered after {} s ({}): database reopened{}{}", lasted.toSeconds(),
				LogText.safe(current.cause()), (server != null) ? ", job server running" : "",
				this.ingests ? ", ingest resumed" : "");
		this.lastRecovery = new StorageRecovered(current.cause(), now, lasted);
		this.events.publishEvent(this.lastRecovery);
	}

	/**
	 * Closes the pool's idle connections and retires the busy ones when they are
	 * returned: the next connection opens the database anew.
	 */
	private void evictConnections() {
		try {
			if (this.dataSource.isWrapperFor(HikariDataSource.class)) {
				HikariPoolMXBean pool = this.dataSource.unwrap(HikariDataSource.class).getHikariPoolMXBean();
				if (pool != null) {
					pool.softEvictConnections();
				}
			}
		}
		catch (SQLException ex) {
			log.warn("could not evict the pool's connections: {}", LogText.safe(ex.toString()));
		}
	}

	/**
	 * While at fault, a request waits at most {@link #FAULT_CONNECTION_TIMEOUT_MS} for a
	 * connection the pool cannot make (a team's database server away), not the configured
	 * timeout: pages and the API answer 503 within about a second (once the pool's
	 * housekeeping has read the new timeout: {@code Launcher} has it run every 2 s).
	 * Restored on recovery.
	 */
	private void failFast(boolean atFault) {
		try {
			if (this.dataSource.isWrapperFor(HikariDataSource.class)) {
				HikariDataSource pool = this.dataSource.unwrap(HikariDataSource.class);
				if (atFault && pool.getHikariPoolMXBean() == null) {
					// no pool started yet: one started now would take the short wait as
					// its JDBC driver's login timeout too, for the whole JVM
					return;
				}
				HikariConfigMXBean config = pool.getHikariConfigMXBean();
				if (atFault && this.configuredConnectionTimeout == 0) {
					this.configuredConnectionTimeout = config.getConnectionTimeout();
					config
						.setConnectionTimeout(Math.min(FAULT_CONNECTION_TIMEOUT_MS, this.configuredConnectionTimeout));
				}
				else if (!atFault && this.configuredConnectionTimeout != 0) {
					config.setConnectionTimeout(this.configuredConnectionTimeout);
					this.configuredConnectionTimeout = 0;
				}
			}
		}
		catch (SQLException | RuntimeException ex) {
			log.warn("could not set the pool's connection timeout: {}", LogText.failure(ex));
		}
	}

	private String databaseProblem() {
		try {
			this.jdbc.sql("SELECT COUNT(*) FROM app_meta").query(Long.class).single();
			return null;
		}
		catch (RuntimeException ex) {
			return this.database + " cannot be read: " + Causes.reason(ex);
		}
	}

	/** The JDBC URL of the pool or data source, or null when it does not say. */
	private static String jdbcUrl(DataSource dataSource) {
		try {
			if (dataSource.isWrapperFor(HikariDataSource.class)) {
				return dataSource.unwrap(HikariDataSource.class).getJdbcUrl();
			}
			if (dataSource.isWrapperFor(JdbcDataSource.class)) {
				return dataSource.unwrap(JdbcDataSource.class).getURL();
			}
		}
		catch (SQLException ex) {
			// named by the data dir
		}
		return null;
	}

	/**
	 * The data dir's fault in one line, or null when it exists, has room and takes a
	 * small write.
	 */
	String dataDirProblem() {
		if (!Files.isDirectory(this.dataDir)) {
			return "data dir vanished: " + this.dataDir + " (restore it, or restart to build a new database)";
		}
		try {
			long usable = Files.getFileStore(this.dataDir).getUsableSpace();
			if (usable < this.properties.minFree().toBytes() && dropExports() > 0) {
				usable = Files.getFileStore(this.dataDir).getUsableSpace();
			}
			if (usable < this.properties.minFree().toBytes()) {
				return diskFull(usable);
			}
		}
		catch (IOException ex) {
			// the write below says more
		}
		Path probe = this.dataDir.resolve(".write-probe");
		try {
			Files.write(probe, new byte[PROBE_BYTES], StandardOpenOption.CREATE, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING);
			Files.delete(probe);
			return null;
		}
		catch (AccessDeniedException ex) {
			return "data dir not writable: " + this.dataDir;
		}
		catch (NoSuchFileException ex) {
			return "data dir vanished: " + this.dataDir;
		}
		catch (IOException ex) {
			deleteQuietly(probe);
			String reason = (ex instanceof FileSystemException fs && fs.getReason() != null) ? fs.getReason()
					: String.valueOf(ex.getMessage());
			if (reason.contains("No space left")) {
				return diskFull(0);
			}
			if (reason.contains("Read-only file system")) {
				return "data dir read-only: " + this.dataDir;
			}
			return "cannot write to the data dir " + this.dataDir + ": " + firstLine(reason);
		}
	}

	/**
	 * On a full disk, removes the entry-level exports (files any asker gets written again
	 * by asking again): an export that took the last free megabyte kept the app at fault
	 * until someone deleted it by hand (a fault trial).
	 * @return the bytes removed
	 */
	private long dropExports() {
		if (!Files.isDirectory(this.exportsDir, LinkOption.NOFOLLOW_LINKS)) {
			return 0;
		}
		long bytes = 0;
		int files = 0;
		try (DirectoryStream<Path> exports = Files.newDirectoryStream(this.exportsDir)) {
			for (Path f : exports) {
				if (Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
					long size = Files.size(f);
					Files.delete(f);
					bytes += size;
					files++;
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			log.debug("cannot remove the exports: {}", ex.getMessage());
		}
		if (files > 0) {
			log.warn("disk full on {}: removed {} export file(s), {} MB (an export is written again when asked again)",
					this.dataDir, files, bytes >> 20);
		}
		return bytes;
	}

	private String diskFull(long usable) {
		return "disk full on " + this.dataDir + " (" + (usable >> 20) + " MB free)";
	}

	private static void deleteQuietly(Path file) {
		try {
			Files.deleteIfExists(file);
		}
		catch (IOException ex) {
			// left for the next probe to truncate
		}
	}

	private static String firstLine(String text) {
		if (text == null) {
			return "unknown error";
		}
		int nl = text.indexOf('\n');
		return (nl < 0) ? text : text.substring(0, nl);
	}

	@Override
	public void start() {
		this.ticker = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "cctracer-storage");
			t.setDaemon(true);
			return t;
		});
		long every = Math.max(100, this.properties.checkInterval().toMillis());
		this.ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public void stop() {
		if (this.ticker != null) {
			this.ticker.shutdownNow();
			this.ticker = null;
		}
	}

	@Override
	public boolean isRunning() {
		return this.ticker != null;
	}

}
