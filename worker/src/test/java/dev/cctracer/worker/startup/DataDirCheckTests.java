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
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
			.contains("rebuilt from the logs");
		// a new database opens where the corrupt one was
		createDatabase("CREATE TABLE fresh (id INT)");
		DataDirCheck.check(this.tmp, url());
	}

	@Test
	void anotherProcessHoldingTheDatabaseIsNamed() throws Exception {
		createDatabase("CREATE TABLE t (id INT)");
		Files.writeString(this.tmp.resolve(DataDirCheck.PID_FILE),
				"pid=4242\nstarted=2026-11-30T01:00:00Z\nport=8420\n");
		Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
				System.getProperty("java.class.path"), HoldDatabase.class.getName(), url())
			.redirectErrorStream(true)
			.start();
		try (BufferedReader out = new BufferedReader(
				new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = out.readLine()) != null && !line.equals("ready")) {
				// H2's and the JVM's output before it holds the database
			}
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

	@Test
	void aDataDirThatCannotBeWrittenIsRefused() throws IOException {
		Path notADir = Files.writeString(this.tmp.resolve("a-file"), "x");
		assertThatThrownBy(() -> DataDirCheck.check(notADir, url())).isInstanceOf(StartupRefusal.class)
			.hasMessageContaining("the data dir " + notADir + " is not writable");
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

}
