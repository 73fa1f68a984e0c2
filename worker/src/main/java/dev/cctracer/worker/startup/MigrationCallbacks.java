package dev.cctracer.worker.startup;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;

import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * What the app does around Flyway's migrations (a Flyway callback: Spring Boot hands
 * callback beans to its Flyway), on every database, H2 or a team's PostgreSQL.
 * <ul>
 * <li><b>Before migrating</b>, refuses a database a newer cctracer migrated: Flyway by
 * default ignores applied migrations it does not know, so an older process would write
 * rows the newer schema counts otherwise (after V9, copies without their tool calls). The
 * H2 data dir is also checked before it is opened ({@link DataDirCheck}). A
 * {@link StartupRefusal}: one line, exit code 1.</li>
 * <li><b>After each migration</b> that changes what is counted from the transcripts'
 * lines and makes every file on disk be read again once from its start (V4: the counting
 * rules of Claude Code of 2026; V9: a response's tool calls count where its usage counts;
 * V10: a failed tool result counts once per session), one INFO line with the reason and
 * the number of files, when the database holds read files: on a large history that read
 * takes as long as a first index, and without a word it looks like a fault. Likewise
 * after V13 (a deleted file's copies lose ties to copies on disk), which reads again only
 * the files on disk that share responses with deleted ones, and V14 (a line with a count
 * no response has is invalid), which reads again only the files that stored one.</li>
 * </ul>
 */
@Component
class MigrationCallbacks implements Callback {

	private static final Logger log = LoggerFactory.getLogger(MigrationCallbacks.class);

	/** The migrations that make every file be read again, by version: why. */
	private static final Map<String, String> WHY = Map.of("4", "the counting rules of Claude Code of 2026", "9",
			"a response's tool calls now count where its usage counts", "10",
			"a failed tool result now counts once per session");

	/** The migrations that make some files be read again, by version: why, and which. */
	private static final Map<String, String> WHY_SOME = Map.of("13",
			"a deleted transcript's copies now lose the dedup's ties to copies on disk", "14",
			"a line with a count no response has is now invalid");

	/** The head fingerprint each of those sets on the files it marks, by version. */
	private static final Map<String, String> MARKS = Map.of("13", "recount-deleted-ties", "14", "recount-counts");

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.BEFORE_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		// the guard's look-up may fail (no history yet), which must not abort a
		// PostgreSQL transaction
		return event != Event.BEFORE_MIGRATE;
	}

	@Override
	public void handle(Event event, Context context) {
		if (event == Event.BEFORE_MIGRATE) {
			refuseNewer(context.getConnection(), context.getConfiguration().getTable(), DataDirCheck.newestMigration());
		}
		else {
			announceReRead(context);
		}
	}

	@Override
	public String getCallbackName() {
		return "cctracer migrations";
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

	private static void announceReRead(Context context) {
		MigrationInfo info = context.getMigrationInfo();
		if (info == null || info.getVersion() == null) {
			return;
		}
		String version = info.getVersion().getVersion();
		String why = WHY.get(version);
		String whySome = WHY_SOME.get(version);
		if (why == null && whySome == null) {
			return;
		}
		// the files a partial one marked (by the head fingerprint it set)
		String count = "SELECT COUNT(*) FROM source_file WHERE deleted = FALSE"
				+ ((whySome != null) ? " AND head_fingerprint = '" + MARKS.get(version) + "'" : "");
		long files;
		try (Statement s = context.getConnection().createStatement(); ResultSet rs = s.executeQuery(count)) {
			files = rs.next() ? rs.getLong(1) : 0;
		}
		catch (SQLException ex) {
			log.debug("cannot count the files to read again: {}", ex.getMessage());
			return;
		}
		if (files > 0 && whySome != null) {
			log.info("schema {} ({}): {} transcript(s) on disk are read again from their start by the next scan, "
					+ "once (their totals are recounted as they are read)", info.getVersion(), whySome, files);
		}
		else if (files > 0) {
			log.info(
					"schema {} ({}): the next scan reads every transcript on disk again from its start, once "
							+ "({} files; the totals of each are recounted as it is read)",
					info.getVersion(), why, files);
		}
	}

}
