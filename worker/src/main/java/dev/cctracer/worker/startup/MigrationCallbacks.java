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
 * V10: a failed tool result counts once per session; V18: a response's tool calls count
 * each call id once), one INFO line with the reason and the number of files, when the
 * database holds read files: on a large history that read takes as long as a first index,
 * and without a word it looks like a fault. Likewise after V13 (a deleted file's copies
 * lose ties to copies on disk), which reads again only the files on disk that share
 * responses with deleted ones, V14 (a line with a count no response has is invalid),
 * which reads again only the files that stored one, V16 (a time before 1970 or after 9999
 * reads as none), likewise, V17 (a forked session's copy loses ties to the line it
 * copies), which reads again the files that share a response with another file, and V19
 * (a logged cost no line has reads as none, its line's tokens counted), which reads again
 * the files with an invalid line. After V20 (the facts' search text holds hook errors and
 * system lines), one INFO line with the number of files whose facts are written again
 * (the totals are not read again).</li>
 * </ul>
 */
@Component
class MigrationCallbacks implements Callback {

	private static final Logger log = LoggerFactory.getLogger(MigrationCallbacks.class);

	/**
	 * A migration that makes files be read again: why, and the head fingerprint it sets
	 * on the files it marks ({@code null}: it marks every file).
	 */
	private record ReRead(String why, String mark) {

	}

	/** The migrations that make files be read again, by version. */
	private static final Map<String, ReRead> RE_READS = Map.of("4",
			new ReRead("the counting rules of Claude Code of 2026", null), "9",
			new ReRead("a response's tool calls now count where its usage counts", null), "10",
			new ReRead("a failed tool result now counts once per session", null), "13",
			new ReRead("a deleted transcript's copies now lose the dedup's ties to copies on disk",
					"recount-deleted-ties"),
			"14", new ReRead("a line with a count no response has is now invalid", "recount-counts"), "16",
			new ReRead("a line's time before 1970 or after 9999 now reads as none", "recount-times"), "17",
			new ReRead("a line a forked session copied now loses the dedup's ties to the line it copies",
					"recount-fork-ties"),
			"18", new ReRead("a response's tool calls now count each call id once", null), "19",
			new ReRead("a logged cost no line has is now read as none, and its line's tokens count",
					"recount-logged-cost"));

	/**
	 * The migration that makes the facts of every file on disk be written again (V20:
	 * their search text holds hook and system lines).
	 */
	private static final String FACTS_REWRITE = "20";

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

	/**
	 * After V20: says how many files' facts are marked to be written again (the totals
	 * are not read again), when there are any.
	 */
	private static void announceFactsRewrite(Context context) {
		long files = count(context, "SELECT COUNT(*) FROM facts_rewrite");
		if (files > 0) {
			log.info("schema 20 (the search text now holds hook errors and system lines): the facts of {} "
					+ "transcript(s) are written again from the logs once, after the start-up index, where the file on "
					+ "disk still holds the lines read (the old facts count until then, and for a transcript gone "
					+ "from the disk; the totals are not read again)", files);
		}
	}

	private static void announceReRead(Context context) {
		MigrationInfo info = context.getMigrationInfo();
		if (info == null || info.getVersion() == null) {
			return;
		}
		if (FACTS_REWRITE.equals(info.getVersion().getVersion())) {
			announceFactsRewrite(context);
			return;
		}
		ReRead reRead = RE_READS.get(info.getVersion().getVersion());
		if (reRead == null) {
			return;
		}
		// a migration that marks some files counts those it marked
		String count = "SELECT COUNT(*) FROM source_file WHERE deleted = FALSE"
				+ ((reRead.mark() != null) ? " AND head_fingerprint = '" + reRead.mark() + "'" : "");
		long files = count(context, count);
		if (files > 0 && reRead.mark() != null) {
			log.info(
					"schema {} ({}): {} transcript(s) on disk are read again from their start by the next scan, "
							+ "once (their totals are recounted as they are read)",
					info.getVersion(), reRead.why(), files);
		}
		else if (files > 0) {
			log.info(
					"schema {} ({}): the next scan reads every transcript on disk again from its start, once "
							+ "({} files; the totals of each are recounted as it is read)",
					info.getVersion(), reRead.why(), files);
		}
	}

	/**
	 * The count a migration's announcement names (files it marked); 0 when it cannot be
	 * counted (the line is then left out, said at DEBUG).
	 */
	private static long count(Context context, String sql) {
		try (Statement s = context.getConnection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
			return rs.next() ? rs.getLong(1) : 0;
		}
		catch (SQLException ex) {
			log.debug("cannot count the files a migration marked: {}", ex.getMessage());
			return 0;
		}
	}

}
