package dev.cctracer.worker.startup;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import dev.cctracer.db.support.H2Urls;
import dev.cctracer.shared.log.Causes;

/**
 * Looks at the data dir's H2 database before the app opens it, so that every known fault
 * ends in one clear line or a recovery:
 * <ul>
 * <li>not writable → {@link StartupRefusal};</li>
 * <li>held by another process of this machine (a lock on {@code cctracer.lock}, or H2's
 * error 90020) → {@link StartupRefusal} naming it (from {@code cctracer.pid});</li>
 * <li>not opened for a reason other than damage (a wrong password, an option H2 refuses)
 * → {@link StartupRefusal} saying why;</li>
 * <li>written by a newer cctracer (a Flyway version above the newest migration here) →
 * {@link StartupRefusal};</li>
 * <li>damaged, and the data dir's own, not shared through {@code AUTO_SERVER} (else a
 * {@link StartupRefusal}) → the database files are moved aside (kept, named with the UTC
 * time), {@code recovery.json} records what happened, and a new database is built from
 * the logs, which are the source of truth (only JobRunr's job history and the console's
 * job records are lost).</li>
 * </ul>
 */
public final class DataDirCheck {

	private static final Logger log = LoggerFactory.getLogger(DataDirCheck.class);

	/** Written in the data dir by a running process: pid, start, port. */
	public static final String PID_FILE = "cctracer.pid";

	/** The holder records this JVM removes at shutdown (one hook each). */
	private static final Set<Path> HOOKED = ConcurrentHashMap.newKeySet();

	/** Written in the data dir when a corrupt database was moved aside. */
	public static final String RECOVERY_FILE = "recovery.json";

	/**
	 * H2's errors of a database file that is damaged: file corrupted (90030), an I/O
	 * error reading it (90028: not an H2 file), a file of an unsupported format (90048),
	 * a general error (50000: MVStore's own).
	 */
	static final Set<Integer> DAMAGE_CODES = Set.of(90030, 90028, 90048, 50000);

	/**
	 * Written in the data dir when its H2 database was found damaged while in use, or by
	 * a start that failed on the damage (H2 finds a damaged page only when it reads it:
	 * the check at start reads the schema history alone): the next start moves the
	 * database aside and rebuilds it from the logs, as for damage found here. Holds the
	 * reason.
	 */
	public static final String REBUILD_FILE = "rebuild-database";

	/** The lock on each data dir this JVM holds, for the JVM's life. */
	private static final Map<Path, FileChannel> LOCKS = new ConcurrentHashMap<>();

	/** The file in the data dir whose lock says a process uses it. */
	static final String LOCK_FILE = "cctracer.lock";

	private static final Pattern MIGRATION = Pattern.compile("V(\\d+)__.*\\.sql");

	/**
	 * What the name of a file moved aside as unreadable holds ({@link #corruptSuffix}).
	 */
	public static final String CORRUPT = ".corrupt-";

	private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
		.withZone(ZoneOffset.UTC);

	/**
	 * What a file of the data dir moved aside as unreadable gets after its name:
	 * {@code .corrupt-<UTC time>} ({@code .corrupt-20261206T071426Z}), for the database's
	 * files and the stored price files alike.
	 */
	public static String corruptSuffix(Instant at) {
		return CORRUPT + STAMP.format(at);
	}

	private DataDirCheck() {
	}

	/**
	 * Checks the data dir and its database.
	 * @param dataDir the data dir (created already)
	 * @param url the H2 file URL of the database (the app's own)
	 * @throws StartupRefusal when the app must not start, with the reason in one sentence
	 */
	public static void check(Path dataDir, String url) {
		check(dataDir, url, LogFactory.getLog(DataDirCheck.class));
	}

	/**
	 * Checks the data dir and its database.
	 * @param dataDir the data dir (created already)
	 * @param url the H2 file URL of the database (the app's own)
	 * @param report where a recovery is reported (a WARN line): Spring Boot's deferred
	 * log while logging is not set up yet
	 * @throws StartupRefusal when the app must not start, with the reason in one sentence
	 */
	public static void check(Path dataDir, String url, Log report) {
		check(dataDir, url, "sa", "", report);
	}

	/**
	 * Checks the data dir and its database, opened with the app's own credentials.
	 * @param dataDir the data dir (created already)
	 * @param url the JDBC URL of the database (only an H2 file is looked at)
	 * @param user the database user ({@code spring.datasource.username})
	 * @param password its password ({@code spring.datasource.password})
	 * @param report where a recovery is reported (a WARN line)
	 * @throws StartupRefusal when the app must not start, with the reason in one
	 * sentence: also when another process of this machine holds the data dir (a database
	 * server shared by several does not tell), and when the database cannot be opened for
	 * a reason other than damage (a wrong password, an option H2 refuses), or is damaged
	 * but not this data dir's own (a file shared through {@code AUTO_SERVER}: other
	 * processes may use it)
	 */
	public static void check(Path dataDir, String url, String user, String password, Log report) {
		writable(dataDir);
		lock(dataDir, report);
		Path dbFile = databaseFile(url);
		if (dbFile == null || !Files.exists(dbFile)) {
			// no database to rebuild: a request for one removed by hand goes with it, and
			// so does its commit mark (the new database is not the old one gone back)
			removeRequest(dataDir.resolve(REBUILD_FILE));
			Path mark = commitMarkOf(dbFile);
			if (mark != null) {
				try {
					Files.deleteIfExists(mark);
				}
				catch (IOException ex) {
					// not writable: the data dir check above would have refused
				}
			}
			return;
		}
		writableDatabase(dbFile);
		Path rebuild = dataDir.resolve(REBUILD_FILE);
		if (Files.isRegularFile(rebuild)) {
			List<String> request = List.of();
			try {
				request = Files.readAllLines(rebuild, StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				// the reason is lost, the request stands
			}
			removeRequest(rebuild);
			String file = (request.size() > 1) ? request.get(1) : null;
			// only for the file it was written for: not one restored from a backup since
			if (file == null || file.equals(FILE_PREFIX + fileKey(dbFile))) {
				moveAsideIfOwn(dataDir, url, dbFile, new FoundDamaged(request.isEmpty() ? "" : request.get(0).strip()),
						report);
				return;
			}
		}
		try (Connection c = DriverManager.getConnection(url + ";IFEXISTS=TRUE", (user != null) ? user : "sa",
				(password != null) ? password : "")) {
			newerSchema(c, dataDir);
		}
		catch (SQLException ex) {
			if (ex.getErrorCode() == 90020 || String.valueOf(ex.getMessage()).contains("already in use")) {
				throw new StartupRefusal("another process holds the data dir " + dataDir + holder(dataDir)
						+ ": stop it, or give this one another cctracer.data-dir");
			}
			if (ex.getErrorCode() == 90146 || ex.getErrorCode() == 90013) {
				// IFEXISTS and the file vanished in between: nothing to check
				return;
			}
			if (!DAMAGE_CODES.contains(ex.getErrorCode())) {
				throw new StartupRefusal("the database " + dbFile + " cannot be opened (" + Causes.headline(ex)
						+ "): check spring.datasource.url, .username and .password");
			}
			moveAsideIfOwn(dataDir, url, dbFile, ex, report);
		}
		catch (StartupRefusal ex) {
			throw ex;
		}
		catch (RuntimeException ex) {
			moveAsideIfOwn(dataDir, url, dbFile, ex, report);
		}
	}

	/**
	 * Moves a damaged database aside when it is this data dir's own and no other process
	 * shares it; refuses to start otherwise.
	 */
	private static void moveAsideIfOwn(Path dataDir, String url, Path dbFile, Exception cause, Log report) {
		boolean shared = H2Urls.isShared(url);
		String reason = Causes.reason(cause);
		if (!Files.isReadable(dbFile) || !Files.isWritable(dbFile) || reason.contains("No space left")
				|| Causes.find(cause, FileSystemException.class) != null) {
			// H2's 90028 is any I/O error: a file this user may not read or write, or a
			// full
			// disk, is not damage
			throw new StartupRefusal("the database " + dbFile + " cannot be opened (" + reason
					+ "): check its owner and permissions, and the disk's free space");
		}
		if (!isOwn(dataDir, url, dbFile)) {
			throw new StartupRefusal("the database " + dbFile + " cannot be read (" + Causes.headline(cause)
					+ ") and is not this data dir's own" + (shared ? " (shared through AUTO_SERVER)" : "")
					+ ": stop the processes that use it, then move it aside to have it rebuilt from the logs");
		}
		moveAside(dataDir, dbFile, cause, report);
	}

	/**
	 * Takes an exclusive lock on the data dir ({@value #LOCK_FILE}, held until the JVM
	 * exits; the operating system releases it after a kill -9 too), so that two processes
	 * of this machine never share one (contexts of one JVM, as tests start them, may).
	 * @throws StartupRefusal when another process holds it, naming it
	 */
	private static synchronized void lock(Path dataDir, Log report) {
		Path dir = dataDir.toAbsolutePath().normalize();
		if (LOCKS.containsKey(dir)) {
			return;
		}
		FileLock lock;
		FileChannel channel = null;
		try {
			channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			lock = channel.tryLock();
		}
		catch (IOException | RuntimeException ex) {
			// a file system without locks: the database's own lock still refuses a second
			// process on its file
			String why = "cannot lock the data dir " + dir + " (" + Causes.reason(ex)
					+ "): a second process on it would not be refused";
			if (report != null) {
				report.warn(why);
			}
			else {
				log.warn(why);
			}
			closeQuietly(channel);
			return;
		}
		if (lock == null) {
			closeQuietly(channel);
			throw new StartupRefusal("another process holds the data dir " + dir + holder(dir)
					+ ": stop it, or give this one another cctracer.data-dir");
		}
		LOCKS.put(dir, channel);
	}

	private static void closeQuietly(FileChannel channel) {
		try {
			if (channel != null) {
				channel.close();
			}
		}
		catch (IOException ex) {
			// nothing held
		}
	}

	private static void writable(Path dataDir) {
		try {
			probeWrite(dataDir);
		}
		catch (IOException | RuntimeException ex) {
			throw new StartupRefusal("the data dir " + dataDir + " is not writable (" + ex.getClass().getSimpleName()
					+ ": " + ex.getMessage() + "): fix its permissions or choose another cctracer.data-dir");
		}
	}

	/** Creates and deletes a temporary file in {@code dir}. */
	private static void probeWrite(Path dir) throws IOException {
		Files.delete(Files.createTempFile(dir, ".write-check", ".tmp"));
	}

	/**
	 * Refuses a database H2 could open only to read: its file, or its dir (where H2
	 * writes its lock and temporary files), not writable though the data dir is (a
	 * trial's read-only {@code db/} started "healthy", its ingest failing and every new
	 * query a 500). Opened for writing and closed, nothing written.
	 * @throws StartupRefusal naming the file and what to do
	 */
	private static void writableDatabase(Path dbFile) {
		Path dir = dbFile.toAbsolutePath().getParent();
		try {
			FileChannel.open(dbFile, StandardOpenOption.WRITE).close();
			probeWrite(dir);
		}
		catch (IOException | RuntimeException ex) {
			throw new StartupRefusal("the database " + dbFile + " (or its dir) is not writable ("
					+ ex.getClass().getSimpleName() + ": " + ex.getMessage()
					+ "): fix its permissions (the app's user must own the data dir) or choose another "
					+ "cctracer.data-dir");
		}
	}

	/**
	 * Whether the database file is the data dir's own: inside it and not shared through
	 * {@code AUTO_SERVER} (other processes may use a shared or outside one).
	 */
	private static boolean isOwn(Path dataDir, String url, Path dbFile) {
		return !H2Urls.isShared(url)
				&& dbFile.toAbsolutePath().normalize().startsWith(dataDir.toAbsolutePath().normalize());
	}

	/**
	 * Asks the next start to move the database aside and rebuild it from the logs
	 * ({@link #REBUILD_FILE}), when it is the data dir's own H2 file, not shared through
	 * {@code AUTO_SERVER} (a shared one is refused at start, as for damage found there).
	 * @param reason what was found (one line, no transcript text)
	 * @return whether the request was written
	 */
	public static boolean requestRebuild(Path dataDir, String url, String reason) {
		Path dbFile = databaseFile(url);
		if (dataDir == null || dbFile == null || !isOwn(dataDir, url, dbFile)) {
			return false;
		}
		try {
			Files.writeString(dataDir.resolve(REBUILD_FILE), reason + "\n" + FILE_PREFIX + fileKey(dbFile) + "\n",
					StandardCharsets.UTF_8);
			return true;
		}
		catch (IOException ex) {
			log.warn("cannot write {} in {}: {}", REBUILD_FILE, dataDir, ex.getMessage());
			return false;
		}
	}

	/**
	 * Whether a failure is H2's word for a damaged file: "file corrupted" (90030), or
	 * MVStore's "File corrupted" or "Unable to read the page" (in a general error,
	 * 50000), as H2 2.3 reports a page overwritten in the middle of the file.
	 */
	public static boolean isDamage(Throwable failure) {
		return damage(failure) != null;
	}

	/**
	 * H2's words for the damage {@link #isDamage} finds (its first line, from MVStore's
	 * own message on), or {@code null} when the failure is none.
	 */
	public static String damage(Throwable failure) {
		for (Throwable t : Causes.chain(failure)) {
			String message = String.valueOf(t.getMessage());
			// H2's own exceptions only: another database's error, or a value H2 quotes,
			// may hold the same words
			boolean mvStore = t.getClass().getName().equals("org.h2.mvstore.MVStoreException")
					&& (message.startsWith("File corrupted") || message.startsWith("Unable to read the page"));
			boolean h2 = t instanceof SQLException sql && t.getClass().getName().startsWith("org.h2.")
					&& (sql.getErrorCode() == 90030
							|| sql.getErrorCode() == 50000 && (message.contains("MVStoreException: File corrupted")
									|| message.contains("MVStoreException: Unable to read the page")));
			if (mvStore || h2) {
				int mv = message.indexOf("MVStoreException: ");
				String words = (mv >= 0) ? message.substring(mv + "MVStoreException: ".length()) : message;
				return headline(words);
			}
		}
		return null;
	}

	/**
	 * The words of H2's damage message a person can use: its first line up to its first
	 * detail (H2 goes on with the chunk's fields, its version and sometimes a class name:
	 * "chunk:8,block:27,…occupancy…", "offset 0xorg.h2…", a trial), at most 120
	 * characters: "File corrupted in chunk 8", "Unable to read the page at position
	 * 0x1e2a".
	 */
	static String headline(String message) {
		String words = message.lines().findFirst().orElse("").replace("\"", "");
		for (String stop : new String[] { ",", " [", "{", " org.", "org.h2", ";" }) {
			int at = words.indexOf(stop);
			words = (at > 0) ? words.substring(0, at) : words;
		}
		words = words.strip();
		return (words.length() > 120) ? words.substring(0, 120) + "…" : words;
	}

	/** How {@link #REBUILD_FILE} names the database file it was written for. */
	private static final String FILE_PREFIX = "file ";

	/**
	 * The file's identity (device and inode where the file system has them), or its path.
	 */
	private static String fileKey(Path file) {
		try {
			Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
			return (key != null) ? key.toString() : file.toAbsolutePath().toString();
		}
		catch (IOException ex) {
			return file.toAbsolutePath().toString();
		}
	}

	private static void removeRequest(Path rebuild) {
		try {
			Files.deleteIfExists(rebuild);
		}
		catch (IOException ex) {
			throw new StartupRefusal("cannot remove " + rebuild + " (" + ex.getMessage() + "): remove it by hand");
		}
	}

	/** Damage H2 found in use or in a start that failed ({@link #REBUILD_FILE}). */
	private static final class FoundDamaged extends Exception {

		FoundDamaged(String reason) {
			super("found damaged in use" + (reason.isEmpty() ? "" : ": " + reason));
		}

	}

	/**
	 * {@code <db>.last-commit} beside {@code <db>.mv.db}: the data version the data dir
	 * last committed ({@code CommitMark}); {@code null} for no database file.
	 */
	public static Path commitMarkOf(Path dbFile) {
		if (dbFile == null) {
			return null;
		}
		String name = dbFile.getFileName().toString();
		return dbFile.resolveSibling(name.substring(0, name.length() - ".mv.db".length()) + ".last-commit");
	}

	/** {@code …/db/cctracer.mv.db} of {@code jdbc:h2:file:…/db/cctracer;…}, or null. */
	public static Path databaseFile(String url) {
		return (url != null && url.startsWith("jdbc:h2:file:")) ? Path.of(H2Urls.database(url) + ".mv.db") : null;
	}

	private static void newerSchema(Connection c, Path dataDir) throws SQLException {
		int stored;
		try (Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(
						"SELECT MAX(CAST(\"version\" AS INT)) FROM \"flyway_schema_history\" WHERE \"success\" = TRUE")) {
			stored = rs.next() ? rs.getInt(1) : 0;
		}
		catch (SQLException ex) {
			if (ex.getErrorCode() == 42102 || ex.getErrorCode() == 42104) {
				// no schema yet
				return;
			}
			throw ex;
		}
		int known = newestMigration();
		if (known > 0 && stored > known) {
			throw new StartupRefusal("the data dir " + dataDir + " was written by a newer cctracer (schema version "
					+ stored + ", this one knows up to " + known + "): run that version, or give this one another "
					+ "cctracer.data-dir");
		}
	}

	static int newestMigration() {
		int newest = 0;
		try {
			for (Resource r : new PathMatchingResourcePatternResolver()
				.getResources("classpath*:db/migration/V*__*.sql")) {
				Matcher m = MIGRATION.matcher(String.valueOf(r.getFilename()));
				if (m.matches()) {
					newest = Math.max(newest, Integer.parseInt(m.group(1)));
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return newest;
	}

	private static String holder(Path dataDir) {
		Path pid = dataDir.resolve(PID_FILE);
		try {
			if (Files.isRegularFile(pid) && Files.size(pid) < 4096) {
				Properties p = new Properties();
				try (var in = Files.newBufferedReader(pid, StandardCharsets.UTF_8)) {
					p.load(in);
				}
				return " (cctracer pid " + p.getProperty("pid", "?") + ", started " + p.getProperty("started", "?")
						+ ((p.getProperty("port") != null) ? ", port " + p.getProperty("port") : "") + ")";
			}
		}
		catch (IOException | RuntimeException ex) {
			// unknown holder
		}
		return "";
	}

	/**
	 * Records this process as the data dir's holder (for the message another process
	 * gives when it finds the database in use), and removes the record when the JVM shuts
	 * down (a stop, SIGTERM, Ctrl-C; not a kill -9) if it is still this process's.
	 * @param port the web port, or {@code null} for a worker
	 */
	public static void recordHolder(Path dataDir, Integer port) {
		String text = "pid=" + ProcessHandle.current().pid() + "\nstarted="
				+ Instant.ofEpochMilli(ManagementFactory.getRuntimeMXBean().getStartTime()) + "\n"
				+ ((port != null) ? "port=" + port + "\n" : "");
		Path file = dataDir.resolve(PID_FILE);
		try {
			Files.writeString(file, text, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			log.debug("cannot write {}: {}", PID_FILE, ex.getMessage());
			return;
		}
		if (HOOKED.add(file.toAbsolutePath().normalize())) {
			Runtime.getRuntime().addShutdownHook(new Thread(() -> removeIfOurs(file, text), "cctracer-pid-file"));
		}
	}

	/**
	 * Removes the record if it is still the one this process wrote: pid and start time (a
	 * pid alone can be another machine's or container's on a shared data dir).
	 */
	private static void removeIfOurs(Path file, String written) {
		try {
			if (Files.isRegularFile(file) && Files.size(file) < 4096
					&& Files.readString(file, StandardCharsets.UTF_8).equals(written)) {
				Files.delete(file);
			}
		}
		catch (IOException | RuntimeException ex) {
			// shutting down: a stale record is only read when the database is held
		}
	}

	/**
	 * Records a recovery of the database in {@code file} ({@code recovery.json}: JSON of
	 * at — now, a UTC instant —, reason, moved, lost), which the admin console shows.
	 * @throws IOException when it cannot be written
	 */
	public static void writeRecovery(Path file, String reason, String moved, String lost) throws IOException {
		Map<String, String> record = new LinkedHashMap<>();
		record.put("at", Instant.now().toString());
		record.put("reason", reason);
		record.put("moved", moved);
		record.put("lost", lost);
		Files.writeString(file, new ObjectMapper().writeValueAsString(record) + "\n", StandardCharsets.UTF_8);
	}

	private static void moveAside(Path dataDir, Path dbFile, Exception cause, Log report) {
		String suffix = corruptSuffix(Instant.now());
		String reason = cause.getClass().getSimpleName() + ": " + Causes.headline(cause);
		List<String> moved = new ArrayList<>();
		Path dir = dbFile.getParent();
		String base = dbFile.getFileName().toString().replace(".mv.db", "");
		try (var files = Files.list(dir)) {
			// the database file named first (the WARN line's first word of what moved)
			for (Path f : files
				.sorted(Comparator.comparing((Path p) -> !p.toString().endsWith(".mv.db"))
					.thenComparing(Path::toString))
				.toList()) {
				String name = f.getFileName().toString();
				if (name.startsWith(base + ".") && !name.contains(CORRUPT)) {
					Path target = dir.resolve(name + suffix);
					Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
					moved.add(target.getFileName().toString());
				}
			}
			writeRecovery(dataDir.resolve(RECOVERY_FILE), reason, String.join(", ", moved),
					"JobRunr's job history, the console's job records, and the totals of transcripts "
							+ "deleted from disk since they were indexed (kept in the moved database only); every "
							+ "transcript on disk is counted again from the logs");
		}
		catch (IOException ex) {
			throw new StartupRefusal("the database in " + dir + " cannot be opened (" + reason
					+ ") and cannot be moved aside (" + ex.getMessage() + "): move it away by hand");
		}
		report.warn("the database in " + dir + " could not be opened (" + reason + "): moved aside as " + moved
				+ "; a new one is built from the logs (JobRunr's job history and the totals of transcripts deleted "
				+ "from disk since they were indexed are lost; " + RECOVERY_FILE
				+ " in the data dir and the admin console say so)");
	}

}
