package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.junit5.EmbeddedPostgresExtension;
import io.zonky.test.db.postgres.junit5.SingleInstancePostgresExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.shared.discovery.LogFile;
import dev.cctracer.worker.TestDatabases;
import dev.cctracer.worker.TracerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link LineCapCallback} on H2 and PostgreSQL.
 */
class LineCapCallbackTests {

	@RegisterExtension
	static final SingleInstancePostgresExtension postgres = EmbeddedPostgresExtension.singleInstance();

	/**
	 * The line cap raised since the files were read
	 * ({@code cctracer.ingest.max-line-bytes}): the files on disk that skipped a line as
	 * over-long are marked to be read again from their start (a trial lowered it, raised
	 * it again, and the skipped lines stayed uncounted); a cap lowered or kept marks
	 * none. Recorded at each start.
	 */
	@ParameterizedTest
	@MethodSource("dev.cctracer.worker.TestDatabases#kinds")
	void aRaisedLineCapReadsTheFilesThatSkippedALineAgain(String database) throws Exception {
		DataSource ds = newDatabase(database);
		try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
			if (database.equals("postgresql")) {
				s.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
			}
		}
		Flyway.configure().dataSource(ds).callbacks(new LineCapCallback(settings("64MB"))).load().migrate();
		SourceFileRepository files = new SourceFileRepository(JdbcClient.create(ds), new JdbcTemplate(ds));
		long skipped = files.insert(LogFile.classify(Path.of("/r"), "-p/aaaaaaaa-0000-4000-8000-000000000001.jsonl"),
				"host", 10, 20);
		long gone = files.insert(LogFile.classify(Path.of("/r"), "-p/aaaaaaaa-0000-4000-8000-000000000002.jsonl"),
				"host", 10, 20);
		long none = files.insert(LogFile.classify(Path.of("/r"), "-p/aaaaaaaa-0000-4000-8000-000000000003.jsonl"),
				"host", 10, 20);
		// another machine's file, read by its own worker with its own cap
		long other = files.insert(LogFile.classify(Path.of("/r"), "-p/aaaaaaaa-0000-4000-8000-000000000004.jsonl"),
				"laptop", 10, 20);
		JdbcClient jdbc = JdbcClient.create(ds);
		jdbc.sql("UPDATE source_file SET overlong_lines = 1, head_fingerprint = 'h' WHERE id IN (:a, :b, :c)")
			.param("a", skipped)
			.param("b", gone)
			.param("c", other)
			.update();
		jdbc.sql("UPDATE source_file SET deleted = TRUE WHERE id = :id").param("id", gone).update();
		// lowered: nothing marked
		Flyway.configure().dataSource(ds).callbacks(new LineCapCallback(settings("32MB"))).load().migrate();
		assertThat(heads(jdbc)).containsExactly("h", "h", null, "h");
		Flyway.configure().dataSource(ds).callbacks(new LineCapCallback(settings("16MB"))).load().migrate();
		assertThat(heads(jdbc)).containsExactly("h", "h", null, "h");
		// raised above what the files were last read with (16MB): the one on disk that
		// skipped a line
		Flyway.configure().dataSource(ds).callbacks(new LineCapCallback(settings("64MB"))).load().migrate();
		assertThat(heads(jdbc)).containsExactly("recount-line-cap", "h", null, "h");
		assertThat(jdbc.sql("SELECT long_value FROM app_meta WHERE name = 'max_line_bytes:host'")
			.query(Long.class)
			.single()).isEqualTo(64L << 20);
		assertThat(none).isPositive();
	}

	private static List<String> heads(JdbcClient jdbc) {
		return jdbc.sql("SELECT head_fingerprint FROM source_file ORDER BY id").query(String.class).list();
	}

	/** The settings a start binds, with this line cap. */
	private static TracerProperties settings(String lineCap) {
		return new Binder(new MapConfigurationPropertySource(Map.of("cctracer.ingest.max-line-bytes", lineCap,
				"cctracer.origin", "host", "cctracer.data-dir", DATA.toString())))
			.bindOrCreate("cctracer", TracerProperties.class);
	}

	/** A data dir for the settings' origin record. */
	private static final Path DATA = dataDir();

	private static Path dataDir() {
		try {
			return Files.createTempDirectory("callbacks-data");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static DataSource newDatabase(String database) {
		return TestDatabases.newDatabase(database, postgres);
	}

}
