package dev.cctracer.worker.startup;

import java.sql.Connection;
import java.sql.Statement;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.junit5.EmbeddedPostgresExtension;
import io.zonky.test.db.postgres.junit5.SingleInstancePostgresExtension;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.cctracer.worker.TestDatabases;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link MigrationCallbacks}: a database a newer cctracer migrated is refused before this
 * one migrates or writes it, on H2 and on a team's PostgreSQL: Flyway alone would ignore
 * the migration it does not know.
 */
class MigrationCallbacksTests {

	@RegisterExtension
	static final SingleInstancePostgresExtension postgres = EmbeddedPostgresExtension.singleInstance();

	@ParameterizedTest
	@MethodSource("dev.cctracer.worker.TestDatabases#kinds")
	void aDatabaseANewerCctracerMigratedIsRefused(String database) throws Exception {
		DataSource ds = newDatabase(database);
		Flyway flyway = Flyway.configure().dataSource(ds).callbacks(new MigrationCallbacks()).load();
		// a new database, then one up to date: migrated, no refusal
		flyway.migrate();
		flyway.migrate();
		int known = DataDirCheck.newestMigration();
		assertThat(known).isGreaterThanOrEqualTo(9);
		// a newer cctracer's migration in the history
		try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
			s.execute("INSERT INTO \"flyway_schema_history\" (\"installed_rank\", \"version\", \"description\", "
					+ "\"type\", \"script\", \"checksum\", \"installed_by\", \"execution_time\", \"success\") "
					+ "VALUES (1000, '" + (known + 1) + "', 'from the future', 'SQL', 'V" + (known + 1)
					+ "__from_the_future.sql', 0, 'sa', 1, TRUE)");
		}
		Throwable thrown = catchThrowable(flyway::migrate);
		StartupRefusal refusal = null;
		for (Throwable t = thrown; t != null && refusal == null; t = (t.getCause() != t) ? t.getCause() : null) {
			refusal = (t instanceof StartupRefusal r) ? r : null;
		}
		assertThat(refusal).as("%s", thrown).isNotNull();
		assertThat(refusal.getMessage()).isEqualTo("the database was migrated by a newer cctracer (schema version "
				+ (known + 1) + ", this one knows up to " + known
				+ "): run that version here too; every process on a shared database runs the same version");
	}

	private static DataSource newDatabase(String database) {
		return TestDatabases.newDatabase(database, postgres);
	}

}
