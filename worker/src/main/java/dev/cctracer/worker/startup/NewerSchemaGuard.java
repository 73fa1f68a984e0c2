package dev.cctracer.worker.startup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.springframework.stereotype.Component;

/**
 * Refuses to start on a database a newer cctracer migrated: Flyway by default ignores
 * applied migrations it does not know, so an older process would write rows the newer
 * schema counts otherwise (after V9, copies without their tool calls). The H2 data dir is
 * checked before it is opened ({@link DataDirCheck}); this Flyway callback checks every
 * database, the team's PostgreSQL included, before it is migrated, and throws a
 * {@link StartupRefusal}: one line, exit code 1.
 */
@Component
class NewerSchemaGuard implements Callback {

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.BEFORE_MIGRATE;
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		// a failed look-up (no history yet) must not abort a PostgreSQL transaction
		return false;
	}

	@Override
	public void handle(Event event, Context context) {
		refuseNewer(context.getConnection(), context.getConfiguration().getTable(), DataDirCheck.newestMigration());
	}

	/**
	 * Throws when the schema history holds a successful migration above {@code known};
	 * nothing when there is no history yet.
	 * @throws StartupRefusal when a newer cctracer migrated the database
	 */
	static void refuseNewer(Connection c, String table, int known) {
		int applied;
		try (Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(
						"SELECT MAX(CAST(\"version\" AS INT)) FROM \"" + table + "\" WHERE \"success\" = TRUE")) {
			applied = rs.next() ? rs.getInt(1) : 0;
		}
		catch (SQLException ex) {
			// no history yet (a new database): nothing to compare
			return;
		}
		if (known > 0 && applied > known) {
			throw new StartupRefusal("the database was migrated by a newer cctracer (schema version " + applied
					+ ", this one knows up to " + known + "): run that version here too; every process on a shared "
					+ "database runs the same version");
		}
	}

	@Override
	public String getCallbackName() {
		return "newer schema guard";
	}

}
