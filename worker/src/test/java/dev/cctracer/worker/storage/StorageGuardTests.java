package dev.cctracer.worker.storage;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.jobrunr.server.BackgroundJobServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.unit.DataSize;

import dev.cctracer.db.support.DatabaseNames;
import dev.cctracer.worker.StorageHealth;
import dev.cctracer.worker.StoragePausedException;
import dev.cctracer.worker.StorageRecovered;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.startup.DataDirCheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * The storage guard on real directories and a real H2 database: each fault of the data
 * dir is named in one line, ingest is refused while it lasts, and a database H2 closed is
 * found.
 */
class StorageGuardTests {

	@TempDir
	Path tmp;

	private StorageGuard guard(Path dataDir, String url) {
		JdbcDataSource ds = new JdbcDataSource();
		ds.setURL(url);
		return new StorageGuard(ds, JdbcClient.create(ds),
				new TracerProperties(null, dataDir, null, "calculate", null, "off", null, null, null, null),
				new StorageProperties(Duration.ofSeconds(1), DataSize.ofMegabytes(1)),
				new StaticListableBeanFactory().getBeanProvider(BackgroundJobServer.class), (event) -> {
				});
	}

	@Test
	void aVanishedDataDirIsNamedAndPausesIngestUntilItIsBack() throws IOException {
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		StorageGuard guard = guard(data,
				"jdbc:h2:mem:guard1;DB_CLOSE_DELAY=-1;INIT=CREATE TABLE IF NOT EXISTS app_meta(k INT)");
		guard.tick();
		assertThat(guard.fault()).isEmpty();
		Files.delete(data);
		guard.tick();
		assertThat(guard.fault())
			.hasValueSatisfying((f) -> assertThat(f.cause()).startsWith("data dir vanished: " + data));
		assertThatThrownBy(guard::checkWritable).isInstanceOf(StoragePausedException.class)
			.hasMessageStartingWith("refused while the storage is at fault: data dir vanished: ");
		Files.createDirectories(data);
		guard.tick();
		assertThat(guard.fault()).isEmpty();
		assertThat(guard.lastRecovery()).hasValueSatisfying((r) -> assertThat(r.cause()).contains("vanished"));
	}

	/**
	 * A team's PostgreSQL that stops answering is named by its host, port and database (a
	 * team trial's fault named the worker's data dir, where no database lives), without
	 * the URL's credentials.
	 */
	@Test
	void aDatabaseServerThatIsDownIsNamedByWhereItIs() throws Exception {
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		assertThat(DatabaseNames.describe("jdbc:postgresql://db.example:5432/cctracer?user=u&password=hunter2", data))
			.isEqualTo("the PostgreSQL database at db.example:5432/cctracer");
		for (String url : new String[] { "jdbc:postgresql://u:p?ss@db.example:5432/cctracer",
				"jdbc:postgresql://u:p/s;s@db.example:5432/cctracer?ssl=true",
				"jdbc:postgresql://db.example:5432/cctracer;password=hunter2#x" }) {
			assertThat(DatabaseNames.describe(url, data)).as(url)
				.isEqualTo("the PostgreSQL database at db.example:5432/cctracer");
		}
		assertThat(DatabaseNames.describe("jdbc:postgresql:cctracer", data)).isEqualTo("the PostgreSQL database");
		// an '@' in a password given as a parameter is no end of user info
		assertThat(DatabaseNames.describe("jdbc:postgresql://db.example/cctracer?password=p@ss&ssl=true", data))
			.isEqualTo("the PostgreSQL database at db.example/cctracer");
		assertThat(DatabaseNames.describe("jdbc:h2:tcp://db.example/cctracer;PASSWORD=x@y", data))
			.isEqualTo("the H2 database at db.example/cctracer");
		assertThat(DatabaseNames.describe("jdbc:h2:file:" + data + "/cctracer", data))
			.isEqualTo("the database in " + data);
		// an H2 file shared through AUTO_SERVER is named by its file, an H2 server by
		// where
		// it is
		assertThat(DatabaseNames.describe("jdbc:h2:file:/shared/cctracer;AUTO_SERVER=TRUE", data))
			.isEqualTo("the H2 database /shared/cctracer");
		assertThat(DatabaseNames.describe("jdbc:h2:tcp://db.example:9092/~/cctracer;PASSWORD=hunter2", data))
			.isEqualTo("the H2 database at db.example:9092/~/cctracer");
		assertThat(DatabaseNames.describe("jdbc:h2:ssl://db.example/cctracer", data))
			.isEqualTo("the H2 database at db.example/cctracer");
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + port + "/cctracer?password=hunter2");
		pool.setConnectionTimeout(1000);
		pool.setInitializationFailTimeout(-1);
		try {
			StorageGuard guard = new StorageGuard(pool, JdbcClient.create(pool),
					new TracerProperties(null, data, null, "calculate", null, "off", null, null, null, null),
					new StorageProperties(Duration.ofSeconds(1), DataSize.ofMegabytes(1)),
					new StaticListableBeanFactory().getBeanProvider(BackgroundJobServer.class), (event) -> {
					});
			guard.tick();
			assertThat(guard.fault()).hasValueSatisfying((f) -> assertThat(f.cause())
				.startsWith("the PostgreSQL database at 127.0.0.1:" + port + "/cctracer cannot be read: ")
				.doesNotContain(data.toString())
				.doesNotContain("hunter2"));
		}
		finally {
			pool.close();
		}
	}

	/**
	 * A database server away: while the fault lasts a request waits 1 s for a connection
	 * the pool cannot make, not the configured 5 s; once the server is back the guard
	 * recovers and gives the pool its timeout again. The server is H2's over TCP, stopped
	 * and started on one port.
	 */
	@Test
	void whileTheDatabaseServerIsAwayTheWaitForAConnectionIsShortAndRestoredAfter() throws Exception {
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		int port;
		try (ServerSocket socket = new ServerSocket(0)) {
			port = socket.getLocalPort();
		}
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(
				"jdbc:h2:tcp://127.0.0.1:" + port + "/mem:away;INIT=CREATE TABLE IF NOT EXISTS app_meta(k INT)");
		pool.setConnectionTimeout(5000);
		pool.setInitializationFailTimeout(-1);
		// the pool as the app's: its housekeeping (which reads the timeout) every 2 s
		String housekeeping = System.getProperty("com.zaxxer.hikari.housekeeping.periodMs");
		System.setProperty("com.zaxxer.hikari.housekeeping.periodMs", "2000");
		try {
			pool.getConnection().close();
		}
		catch (SQLException ex) {
			// nothing listens yet: the pool is started, as the app's is before a fault
		}
		finally {
			if (housekeeping == null) {
				System.clearProperty("com.zaxxer.hikari.housekeeping.periodMs");
			}
			else {
				System.setProperty("com.zaxxer.hikari.housekeeping.periodMs", housekeeping);
			}
		}
		List<StorageRecovered> recoveries = new ArrayList<>();
		org.h2.tools.Server server = null;
		try {
			StorageGuard guard = new StorageGuard(pool, JdbcClient.create(pool),
					new TracerProperties(null, data, null, "calculate", null, "off", null, null, null, null),
					new StorageProperties(Duration.ofSeconds(1), DataSize.ofMegabytes(1)),
					new StaticListableBeanFactory().getBeanProvider(BackgroundJobServer.class),
					(event) -> recoveries.add((StorageRecovered) event));
			guard.tick();
			assertThat(guard.fault()).hasValueSatisfying((f) -> assertThat(f.cause())
				.startsWith("the H2 database at 127.0.0.1:" + port + "/mem:away cannot be read: "));
			assertThat(pool.getConnectionTimeout()).isEqualTo(StorageGuard.FAULT_CONNECTION_TIMEOUT_MS);
			// the wait the pool itself applies, as its refusal tells it ("request timed
			// out
			// after 1001ms"), once its housekeeping has run
			await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
				SQLException refused = catchThrowableOfType(SQLException.class, () -> pool.getConnection().close());
				Matcher waited = Pattern.compile("timed out after (\\d+)ms").matcher(refused.getMessage());
				assertThat(waited.find()).as(refused.getMessage()).isTrue();
				assertThat(Long.parseLong(waited.group(1))).isLessThan(4000);
			});

			server = org.h2.tools.Server.createTcpServer("-tcpPort", Integer.toString(port), "-ifNotExists").start();
			guard.tick();
			assertThat(guard.fault()).isEmpty();
			assertThat(recoveries).hasSize(1);
			assertThat(pool.getConnectionTimeout()).isEqualTo(5000);
			assertThat(JdbcClient.create(pool).sql("SELECT COUNT(*) FROM app_meta").query(Long.class).single())
				.isZero();
		}
		finally {
			pool.close();
			if (server != null) {
				server.stop();
			}
		}
	}

	/**
	 * An H2 file damaged in its middle (a trial overwrote 4 KiB at 30, 50 and 70 % of
	 * it): the check at start reads only the schema history, so H2 finds the damage when
	 * a query reads the page. The guard then names it, stays at fault (it said
	 * "recovered" every few seconds, and every page answered 503 for good), and asks the
	 * next start to move the database aside and rebuild it from the logs, which the check
	 * at start does.
	 */
	@Test
	void aDatabaseFoundDamagedInUseIsMovedAsideAtTheNextStart() throws Exception {
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		String url = "jdbc:h2:file:" + data.resolve("db/cctracer") + ";DB_CLOSE_ON_EXIT=FALSE";
		Random random = new Random(7);
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE app_meta(k INT)");
			s.execute("CREATE TABLE filler(id INT PRIMARY KEY, v VARCHAR(400))");
			try (PreparedStatement insert = c.prepareStatement("INSERT INTO filler VALUES (?, ?)")) {
				for (int i = 0; i < 20_000; i++) {
					insert.setInt(1, i);
					insert.setString(2, Long.toString(random.nextLong(), 36).repeat(12));
					insert.addBatch();
				}
				insert.executeBatch();
			}
		}
		Path file = data.resolve("db/cctracer.mv.db");
		byte[] bytes = Files.readAllBytes(file);
		for (double at : new double[] { 0.3, 0.5, 0.7 }) {
			for (int i = 0; i < 4096; i++) {
				bytes[(int) (bytes.length * at) + i] = (byte) random.nextInt();
			}
		}
		Files.write(file, bytes);
		SQLException damage = catchThrowableOfType(SQLException.class, () -> {
			try (Connection c = DriverManager.getConnection(url, "sa", "");
					Statement s = c.createStatement();
					ResultSet rs = s.executeQuery("SELECT * FROM filler")) {
				while (rs.next()) {
					rs.getString(2);
				}
			}
		});
		assertThat(DataDirCheck.isDamage(damage)).as("%s", damage).isTrue();

		StorageGuard guard = guard(data, url);
		assertThat(guard.failed(damage))
			.hasValueSatisfying((f) -> assertThat(f.cause()).startsWith("the database in " + data + " is damaged (")
				.containsAnyOf("(File corrupted", "(Unable to read the page")
				.endsWith("): restart cctracer to have it moved aside and rebuilt from the logs"));
		guard.tick();
		guard.tick();
		assertThat(guard.fault()).isPresent();
		assertThat(guard.lastRecovery()).isEmpty();
		assertThat(data.resolve(DataDirCheck.REBUILD_FILE)).content()
			.containsAnyOf("corrupted", "Unable to read the page");

		DataDirCheck.check(data, url);
		assertThat(data.resolve(DataDirCheck.REBUILD_FILE)).doesNotExist();
		assertThat(data.resolve(DataDirCheck.RECOVERY_FILE)).content().contains("cctracer.mv.db.corrupt-");
		try (var moved = Files.list(data.resolve("db"))) {
			assertThat(moved.map((p) -> p.getFileName().toString()).toList())
				.anyMatch((n) -> n.startsWith("cctracer.mv.db.corrupt-"))
				.doesNotContain("cctracer.mv.db");
		}
		// a new database opens there
		try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement s = c.createStatement()) {
			s.execute("CREATE TABLE app_meta(k INT)");
		}
		// a request written for a file since replaced (a backup restored) moves nothing,
		// and goes
		Path db = data.resolve("db/cctracer.mv.db");
		assertThat(DataDirCheck.requestRebuild(data, url, "File corrupted while reading record")).isTrue();
		Path copy = Files.copy(db, data.resolve("restored.mv.db"));
		Files.move(copy, db, StandardCopyOption.REPLACE_EXISTING);
		DataDirCheck.check(data, url);
		assertThat(data.resolve(DataDirCheck.REBUILD_FILE)).doesNotExist();
		assertThat(db).exists();
		try (var files = Files.list(data.resolve("db"))) {
			assertThat(files.filter((p) -> p.getFileName().toString().startsWith("cctracer.mv.db.corrupt-")))
				.hasSize(1);
		}
		// and one whose database was removed by hand goes with it
		assertThat(DataDirCheck.requestRebuild(data, url, "File corrupted while reading record")).isTrue();
		Files.delete(db);
		DataDirCheck.check(data, url);
		assertThat(data.resolve(DataDirCheck.REBUILD_FILE)).doesNotExist();
	}

	@Test
	void aClosedDatabaseIsAFaultAndAnUnrelatedFailureIsNot() throws Exception {
		Path data = Files.createDirectories(this.tmp.resolve("data"));
		StorageGuard guard = guard(data, "jdbc:h2:mem:guard2;INIT=CREATE TABLE IF NOT EXISTS app_meta(k INT)");
		// no table: the database cannot be read
		StorageGuard broken = guard(data, "jdbc:h2:mem:guard3");
		assertThat(broken.failed(new IllegalStateException("x", new IOException("No space left on device"))))
			.hasValueSatisfying((f) -> assertThat(f.cause()).startsWith("the database in " + data + " cannot be read"));
		assertThat(guard.failed(new IllegalArgumentException("a bad request"))).isEmpty();
		assertThat(StorageHealth.isStorageFailure(new RuntimeException(new SQLException("closed", "90098", 90098))))
			.isTrue();
		assertThat(StorageHealth.isStorageFailure(new RuntimeException(new SQLException("syntax", "42000", 42000))))
			.isFalse();
	}

	/**
	 * An export that took the last free megabyte: the guard removes the exports (written
	 * again when asked again) and the data dir is no fault, instead of one that lasted
	 * until someone deleted the file by hand (a fault trial).
	 */
	@Test
	void aFullDiskGivesUpTheExportsFirst() throws Exception {
		onTmpfs("mnt-exports", "3m", (mount) -> {
			Path data = Files.createDirectories(mount.resolve("data"));
			StorageGuard guard = guard(data,
					"jdbc:h2:mem:guard5;DB_CLOSE_DELAY=-1;INIT=CREATE TABLE IF NOT EXISTS app_meta(k INT)");
			Path export = Files.createDirectories(data.resolve("exports")).resolve("job-1.json");
			Files.write(export, new byte[(int) DataSize.ofMegabytes(2).toBytes() + 512 * 1024]);
			assertThat(Files.getFileStore(data).getUsableSpace()).isLessThan(DataSize.ofMegabytes(1).toBytes());
			assertThat(guard.dataDirProblem()).isNull();
			assertThat(export).doesNotExist();
			// a full disk without exports stays a fault
			Files.write(mount.resolve("filler"), new byte[(int) DataSize.ofMegabytes(2).toBytes() + 512 * 1024]);
			assertThat(guard.dataDirProblem()).startsWith("disk full on " + data);
		});
	}

	@Test
	void aReadOnlyAndAFullFileSystemAreNamed() throws Exception {
		onTmpfs("mnt", "2m", (mount) -> {
			Path data = Files.createDirectories(mount.resolve("data"));
			StorageGuard guard = guard(data,
					"jdbc:h2:mem:guard4;DB_CLOSE_DELAY=-1;INIT=CREATE TABLE IF NOT EXISTS app_meta(k INT)");
			assertThat(guard.dataDirProblem()).isNull();
			Files.write(mount.resolve("filler"), new byte[(int) DataSize.ofMegabytes(1).toBytes() + 512 * 1024]);
			assertThat(guard.dataDirProblem()).isEqualTo("disk full on " + data + " (0 MB free)");
			Files.delete(mount.resolve("filler"));
			assertThat(new ProcessBuilder("mount", "-o", "remount,ro", mount.toString()).start().waitFor()).isZero();
			assertThat(guard.dataDirProblem()).isEqualTo("data dir read-only: " + data);
		});
	}

	/** What runs on a mounted file system. */
	@FunctionalInterface
	private interface OnMount {

		void run(Path mount) throws Exception;

	}

	/**
	 * Runs {@code test} on a tmpfs of {@code size} mounted under the test's dir, then
	 * unmounts it; skipped where mounting needs root.
	 */
	private void onTmpfs(String dir, String size, OnMount test) throws Exception {
		Path mount = Files.createDirectories(this.tmp.resolve(dir));
		Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString())
			.redirectErrorStream(true)
			.start();
		assumeThat(mounting.waitFor(30, TimeUnit.SECONDS) && mounting.exitValue() == 0).as("needs root").isTrue();
		try {
			test.run(mount);
		}
		finally {
			new ProcessBuilder("umount", mount.toString()).start().waitFor(30, TimeUnit.SECONDS);
		}
	}

}
