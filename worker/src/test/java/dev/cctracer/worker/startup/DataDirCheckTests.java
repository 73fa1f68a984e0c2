package dev.cctracer.worker.startup;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.flywaydb.core.api.FlywayException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.mock.env.MockEnvironment;

import dev.cctracer.db.support.H2Urls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Start-up faults of the data dir end in one clear refusal or a recovery: a corrupt
 * database is moved aside and a new one starts; another process holding it, a schema of a
 * newer version and a data dir that cannot be written are refused, naming what to do.
 */
class DataDirCheckTests {

	@TempDir
	Path tmp;

	private String url() {
		return "jdbc:h2:file:" + this.tmp.resolve("db/cctracer") + ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=0";
	}

	private void createDatabase(String... statements) throws SQLException {
		try (Connection c = DriverManager.getConnection(url(), "sa", "")) {
			for (String sql : statements) {
				c.createStatement().execute(sql);
			}
		}
	}

	@Test
	void aCorruptDatabaseIsMovedAsideAndANewOneStarts() throws Exception {
		createDatabase("CREATE TABLE t (id INT)", "INSERT INTO t VALUES (1)");
		Path file = this.tmp.resolve("db/cctracer.mv.db");
		byte[] bytes = Files.readAllBytes(file);
		// both of MVStore's file headers (at 0 and at 4 KiB)
		for (int i = 0; i < 8192 && i < bytes.length; i++) {
			bytes[i] = (byte) 'x';
		}
		Files.write(file, bytes);
		DataDirCheck.check(this.tmp, url());
		try (Stream<Path> files = Files.list(this.tmp.resolve("db"))) {
			assertThat(files.map((p) -> p.getFileName().toString()).toList())
				.anyMatch((n) -> n.startsWith("cctracer.mv.db.corrupt-"));
		}
		assertThat(Files.readString(this.tmp.resolve(DataDirCheck.RECOVERY_FILE))).contains("\"reason\"")
			.contains("cctracer.mv.db.corrupt-")
			.contains("the totals of transcripts deleted from disk since they were indexed")
			.contains("counted again from the logs");
		// a new database opens where the corrupt one was
		createDatabase("CREATE TABLE fresh (id INT)");
		DataDirCheck.check(this.tmp, url());
	}

	/**
	 * Another JVM running {@link HoldDatabase} with {@code args}, once it says it holds
	 * what it was given.
	 */
	private static Process holder(String... args) throws IOException {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
						System.getProperty("java.class.path"), HoldDatabase.class.getName()));
		command.addAll(List.of(args));
		Process holder = new ProcessBuilder(command).redirectErrorStream(true).start();
		BufferedReader out = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
		String line;
		while ((line = out.readLine()) != null && !line.equals("ready")) {
			// H2's and the JVM's output before it holds the database or the lock
		}
		return holder;
	}

	@Test
	void anotherProcessHoldingTheDatabaseIsNamed() throws Exception {
		createDatabase("CREATE TABLE t (id INT)");
		Files.writeString(this.tmp.resolve(DataDirCheck.PID_FILE),
				"pid=4242\nstarted=2026-11-30T01:00:00Z\nport=8420\n");
		Process holder = holder(url());
		try {
			assertThatThrownBy(() -> DataDirCheck.check(this.tmp, url())).isInstanceOf(StartupRefusal.class)
				.hasMessageContaining("another process holds the data dir " + this.tmp)
				.hasMessageContaining("pid 4242")
				.hasMessageContaining("port 8420")
				.hasMessageContaining("another cctracer.data-dir");
		}
		finally {
			holder.destroyForcibly().waitFor();
		}
		// nothing was moved aside
		assertThat(this.tmp.resolve("db/cctracer.mv.db")).exists();
		assertThat(this.tmp.resolve(DataDirCheck.RECOVERY_FILE)).doesNotExist();
	}

	/**
	 * A second process on a data dir whose database is not in it (a team's database
	 * server, a file shared through AUTO_SERVER) is refused by the data dir's lock: two
	 * workers on one data dir overwrote each other's holder record.
	 */
	@Test
	void aDataDirLockedByAnotherProcessIsRefused() throws Exception {
		Path dataDir = Files.createDirectories(this.tmp.resolve("worker-data"));
		Files.writeString(dataDir.resolve(DataDirCheck.PID_FILE), "pid=4343\nstarted=2026-12-06T10:00:00Z\n");
		Process holder = holder("--lock", dataDir.resolve(DataDirCheck.LOCK_FILE).toString());
		try {
			assertThatThrownBy(() -> DataDirCheck.check(dataDir, "jdbc:postgresql://127.0.0.1:5432/cctracer"))
				.isInstanceOf(StartupRefusal.class)
				.hasMessageContaining("another process holds the data dir " + dataDir)
				.hasMessageContaining("pid 4343");
		}
		finally {
			holder.destroyForcibly().waitFor();
		}
		// the holder gone, its lock is released
		DataDirCheck.check(dataDir, "jdbc:postgresql://127.0.0.1:5432/cctracer");
	}

	/**
	 * A database that opens with an error other than damage is refused in one line, not
	 * moved aside: a wrong password, an option H2 refuses (a trial's worker moved a
	 * team's live shared database aside); and a damaged database shared through
	 * AUTO_SERVER is refused too (other processes may use it).
	 */
	@Test
	void aDatabaseThatOpensWithAnotherErrorThanDamageIsRefusedAndLeftAlone() throws Exception {
		try (Connection c = DriverManager.getConnection(url(), "sa", "secret")) {
			c.createStatement().execute("CREATE TABLE t (id INT)");
		}
		assertThatThrownBy(() -> DataDirCheck.check(this.tmp, url(), "sa", "wrong", null))
			.isInstanceOf(StartupRefusal.class)
			.hasMessageContaining("the database " + this.tmp.resolve("db/cctracer.mv.db") + " cannot be opened (")
			.hasMessageContaining("Wrong user name or password")
			.hasMessageContaining("check spring.datasource.url, .username and .password");
		String clash = "jdbc:h2:file:" + this.tmp.resolve("db/cctracer") + ";AUTO_SERVER=TRUE;DB_CLOSE_ON_EXIT=FALSE";
		assertThatThrownBy(() -> DataDirCheck.check(this.tmp, clash, "sa", "secret", null))
			.isInstanceOf(StartupRefusal.class)
			.hasMessageContaining("Feature not supported");
		DataDirCheck.check(this.tmp, url(), "sa", "secret", null);
		// damaged, and shared
		Path file = this.tmp.resolve("db/cctracer.mv.db");
		byte[] bytes = Files.readAllBytes(file);
		for (int i = 0; i < 8192 && i < bytes.length; i++) {
			bytes[i] = (byte) 'x';
		}
		Files.write(file, bytes);
		String shared = "jdbc:h2:file:" + this.tmp.resolve("db/cctracer") + ";AUTO_SERVER=TRUE";
		assertThatThrownBy(() -> DataDirCheck.check(this.tmp, shared, "sa", "secret", null))
			.isInstanceOf(StartupRefusal.class)
			.hasMessageContaining("is not this data dir's own (shared through AUTO_SERVER)");
		assertThat(file).exists();
		assertThat(this.tmp.resolve(DataDirCheck.RECOVERY_FILE)).doesNotExist();
	}

	@Test
	void aDatabaseOfANewerVersionIsRefused() throws Exception {
		createDatabase("CREATE TABLE \"flyway_schema_history\" (\"version\" VARCHAR(50), \"success\" BOOLEAN)",
				"INSERT INTO \"flyway_schema_history\" VALUES ('1', TRUE), ('99', TRUE)");
		assertThat(DataDirCheck.newestMigration()).isGreaterThanOrEqualTo(4).isLessThan(99);
		assertThatThrownBy(() -> DataDirCheck.check(this.tmp, url())).isInstanceOf(StartupRefusal.class)
			.hasMessageContaining("written by a newer cctracer (schema version 99, this one knows up to "
					+ DataDirCheck.newestMigration() + ")");
		assertThat(this.tmp.resolve("db/cctracer.mv.db")).exists();
	}

	/**
	 * The database's dir read-only though the data dir takes writes (a trial's
	 * {@code chmod -R a-w db} started "healthy" with nothing working): refused in one
	 * line. A read-only bind mount of {@code db/}, which holds for root too (CI runs as
	 * root; elsewhere the test is skipped, as mounting needs root).
	 */
	@Test
	void aDatabaseThatCannotBeWrittenIsRefusedThoughTheDataDirCan() throws Exception {
		createDatabase("CREATE TABLE t (id INT)");
		Path db = this.tmp.resolve("db");
		boolean mounted = run("mount", "--bind", db.toString(), db.toString())
				&& run("mount", "-o", "remount,bind,ro", db.toString());
		try {
			assumeThat(mounted).as("a read-only bind mount needs root").isTrue();
			assertThatThrownBy(() -> DataDirCheck.check(this.tmp, url())).isInstanceOf(StartupRefusal.class)
				.hasMessageStartingWith(
						"the database " + db.resolve("cctracer.mv.db") + " (or its dir) is not writable")
				.hasMessageContaining("fix its permissions");
		}
		finally {
			run("umount", db.toString());
		}
		// writable again: it opens
		DataDirCheck.check(this.tmp, url());
	}

	private static boolean run(String... command) throws IOException, InterruptedException {
		Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
		p.getInputStream().readAllBytes();
		return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
	}

	@Test
	void aDataDirThatCannotBeWrittenIsRefused() throws IOException {
		Path notADir = Files.writeString(this.tmp.resolve("a-file"), "x");
		assertThatThrownBy(() -> DataDirCheck.check(notADir, url())).isInstanceOf(StartupRefusal.class)
			.hasMessageContaining("the data dir " + notADir + " is not writable");
	}

	/**
	 * A start that fails on its database is one line naming the database by where it is,
	 * never its credentials, and the innermost reason (a trial saw 117–151 lines with
	 * ~100 stack frames for a wrong password or a server that does not answer).
	 */
	@Test
	void aDatabaseThatCannotBeUsedIsOneLine() {
		MockEnvironment env = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgresql://u:hunter2@db.example:5432/cctracer?ssl=true")
			.withProperty("cctracer.data-dir", this.tmp.toString());
		Exception failure = new IllegalStateException("Failed to initialize pool",
				new SQLException("FATAL: password authentication failed for user \"cctracer\"\n  Where: …", "28P01"));
		FailureAnalysis analysis = new DatabaseFailureAnalyzer(env).analyze(failure);
		assertThat(analysis).isNotNull();
		assertThat(OneLineFailureReporter.line(analysis))
			.isEqualTo("cctracer: cannot start: the PostgreSQL database at db.example:5432/cctracer cannot be used "
					+ "(FATAL: password authentication failed for user \"cctracer\") "
					+ "(check spring.datasource.url, .username and .password)")
			.doesNotContain("hunter2");
		// Flyway is the first to connect: a refused connection is still the database's
		FailureAnalysis refused = new DatabaseFailureAnalyzer(env)
			.analyze(new FlywayException("Unable to obtain connection from database",
					new SQLException("Connection to 127.0.0.1:5432 refused.", "08001")));
		assertThat(OneLineFailureReporter.line(refused))
			.startsWith("cctracer: cannot start: the PostgreSQL database at db.example:5432/cctracer cannot be used "
					+ "(Connection to 127.0.0.1:5432 refused.)");
		// a database the server does not have: the connection's, once, not a migration
		// to restore (a team trial)
		FailureAnalysis noDatabase = new DatabaseFailureAnalyzer(env)
			.analyze(new FlywayException("Unable to obtain connection from database",
					new SQLException("FATAL: database \"nosuchdb\" does not exist", "3D000")));
		assertThat(OneLineFailureReporter.line(noDatabase))
			.isEqualTo("cctracer: cannot start: the PostgreSQL database at db.example:5432/cctracer cannot be used "
					+ "(FATAL: database \"nosuchdb\" does not exist) "
					+ "(check spring.datasource.url, .username and .password)");
		// a URL no driver takes (postgres: for postgresql:): one line, no credentials
		MockEnvironment typo = new MockEnvironment()
			.withProperty("spring.datasource.url", "jdbc:postgres://u:hunter2@db.example:5432/cctracer")
			.withProperty("cctracer.data-dir", this.tmp.toString());
		FailureAnalysis noDriver = new DatabaseFailureAnalyzer(typo).analyze(new IllegalStateException(
				"Failed to initialize pool", new RuntimeException("Driver org.h2.Driver claims to not accept jdbcUrl, "
						+ "jdbc:postgres://u:hunter2@db.example:5432/cctracer")));
		assertThat(noDriver).isNotNull();
		assertThat(OneLineFailureReporter.line(noDriver))
			.isEqualTo("cctracer: cannot start: the postgres database at db.example:5432/cctracer cannot be used "
					+ "(no JDBC driver of cctracer takes its URL) (check spring.datasource.url: "
					+ "jdbc:postgresql://host:5432/name for PostgreSQL, jdbc:h2:file:/path/name for H2)")
			.doesNotContain("hunter2");
		// the database answered, a migration failed: said so, not a credentials hint
		FailureAnalysis migration = new DatabaseFailureAnalyzer(env).analyze(new FlywayException(
				"Migration V9__tool_uses.sql failed", new SQLException("Column \"TOOL_USES\" already exists")));
		assertThat(OneLineFailureReporter.line(migration))
			.isEqualTo("cctracer: cannot start: migrating the PostgreSQL database at db.example:5432/cctracer failed "
					+ "(Migration V9__tool_uses.sql failed: Column \"TOOL_USES\" already exists) "
					+ "(the log above has the migration; restore the database, or report it)");
		// a full disk while migrating: said so, not "restore the database" (a trial)
		MockEnvironment h2 = new MockEnvironment().withProperty("cctracer.data-dir", this.tmp.toString());
		FailureAnalysis full = new DatabaseFailureAnalyzer(h2).analyze(new FlywayException("Unable to migrate",
				new SQLException("IO Exception: \"java.io.IOException: No space left on device\"", "90028", 90028)));
		assertThat(OneLineFailureReporter.line(full)).contains(" cannot be written: its disk is full (")
			.endsWith("(free space on the disk of " + this.tmp.toAbsolutePath().normalize()
					+ ", then start cctracer again)")
			.doesNotContain("restore");
		// AUTO_SERVER in any of H2's spellings of true
		assertThat(H2Urls.isShared("jdbc:h2:file:/x;AUTO_SERVER=TRUE")).isTrue();
		assertThat(H2Urls.isShared("jdbc:h2:file:/x;MODE=X; auto_server = yes;A=1")).isTrue();
		assertThat(H2Urls.isShared("jdbc:h2:file:/x;AUTO_SERVER=1")).isTrue();
		assertThat(H2Urls.isShared("jdbc:h2:file:/x;AUTO_SERVER=FALSE")).isFalse();
		assertThat(H2Urls.isShared("jdbc:h2:file:/x")).isFalse();
	}

	@Test
	void aRefusalIsOneLine() {
		String line = OneLineFailureReporter
			.line(new FailureAnalysis("Web server failed to start.\nPort 8420 was already in use.",
					"Identify and stop the process\nthat's listening on port 8420.", null));
		assertThat(line).isEqualTo("cctracer: cannot start: Web server failed to start. Port 8420 was already in use. "
				+ "(Identify and stop the process that's listening on port 8420.)");
		assertThat(List.of(line.split("\n"))).hasSize(1);
	}

	/**
	 * What a damaged database is said to be: H2's words up to their first detail, no
	 * chunk fields, version or class name (a trial read "…occupancy… offset 0xorg.h2…").
	 */
	@Test
	void shouldDescribeADamagedDatabaseByH2sHeadlineAlone() {
		assertThat(DataDirCheck.headline("File corrupted in chunk 8, expected page length 4..1536, got 0 [2.3.232/6]"))
			.isEqualTo("File corrupted in chunk 8");
		assertThat(DataDirCheck.headline("Unable to read the page at position 0x48e5c7bd7, chunk "
				+ "chunk:8,block:27,len:4,liveC:0,map:e,max:2240,next:31,occupancy:...,pinCount:0, offset "
				+ "0xorg.h2.mvstore.MVStoreException: File corrupted [2.3.232/6]\n\tat org.h2.mvstore.DataUtils"))
			.isEqualTo("Unable to read the page at position 0x48e5c7bd7");
		assertThat(DataDirCheck.headline("\"File corrupted while reading record\""))
			.isEqualTo("File corrupted while reading record");
	}

}
