package dev.cctracer.worker;

import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.junit5.SingleInstancePostgresExtension;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The databases a test runs on, H2 and PostgreSQL: {@code @MethodSource} of
 * {@link #kinds}, then {@link #newDatabase}.
 */
public final class TestDatabases {

	private TestDatabases() {
	}

	/** {@code h2} and {@code postgresql}. */
	public static Stream<String> kinds() {
		return Stream.of("h2", "postgresql");
	}

	/**
	 * A new database: H2 in memory, or the PostgreSQL the test class started (one for the
	 * class: a test that needs it empty drops its schema).
	 */
	public static DataSource newDatabase(String kind, SingleInstancePostgresExtension postgres) {
		if (kind.equals("h2")) {
			JdbcDataSource h2 = new JdbcDataSource();
			h2.setURL("jdbc:h2:mem:test-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
			h2.setUser("sa");
			return h2;
		}
		return postgres.getEmbeddedPostgres().getPostgresDatabase();
	}

}
