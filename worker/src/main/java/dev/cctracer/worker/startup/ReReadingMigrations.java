package dev.cctracer.worker.startup;

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
 * Says in the log why the first scan after an upgrade reads every transcript again. Some
 * migrations change what is counted from the transcripts' lines and make every file on
 * disk be read again once from its start (V4: the counting rules of Claude Code of 2026;
 * V9: a response's tool calls count where its usage counts); on a large history that read
 * takes as long as a first index, and without a word it looks like a fault. A Flyway
 * callback (Spring Boot hands callback beans to its Flyway): after such a migration is
 * applied to a database that holds read files, one INFO line with the reason and the
 * number of files.
 */
@Component
class ReReadingMigrations implements Callback {

	private static final Logger log = LoggerFactory.getLogger(ReReadingMigrations.class);

	/** The migrations that make every file be read again, by version: why. */
	private static final Map<String, String> WHY = Map.of("4", "the counting rules of Claude Code of 2026", "9",
			"a response's tool calls now count where its usage counts");

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.AFTER_EACH_MIGRATE;
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		return true;
	}

	@Override
	public void handle(Event event, Context context) {
		MigrationInfo info = context.getMigrationInfo();
		if (info == null || info.getVersion() == null) {
			return;
		}
		String why = WHY.get(info.getVersion().getVersion());
		if (why == null) {
			return;
		}
		long files;
		try (Statement s = context.getConnection().createStatement();
				ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM source_file WHERE deleted = FALSE")) {
			files = rs.next() ? rs.getLong(1) : 0;
		}
		catch (SQLException ex) {
			log.debug("cannot count the files to read again: {}", ex.getMessage());
			return;
		}
		if (files > 0) {
			log.info(
					"schema {} ({}): the next scan reads every transcript on disk again from its start, once "
							+ "({} files; the totals of each are recounted as it is read)",
					info.getVersion(), why, files);
		}
	}

	@Override
	public String getCallbackName() {
		return "re-reading migrations";
	}

}
