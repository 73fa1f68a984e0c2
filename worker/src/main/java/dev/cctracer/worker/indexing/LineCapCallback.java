package dev.cctracer.worker.indexing;

import java.sql.Connection;

import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.worker.TracerProperties;

/**
 * After Flyway's migrate (a Flyway callback: Spring Boot hands callback beans to its
 * Flyway), before any file is read: compares {@code cctracer.ingest.max-line-bytes} with
 * the cap this machine's files were read with, and has the files that skipped a line
 * under a lower one read again (see {@link #reReadPastAnOldLineCap}).
 */
@Component
public class LineCapCallback implements Callback {

	private static final Logger log = LoggerFactory.getLogger(LineCapCallback.class);

	/**
	 * The line cap a machine's files were last read with, in {@code app_meta} (bytes),
	 * named {@code max_line_bytes:<origin>}.
	 */
	static final String LINE_CAP = "max_line_bytes";

	private final TracerProperties properties;

	public LineCapCallback(TracerProperties properties) {
		this.properties = properties;
	}

	@Override
	public boolean supports(Event event, Context context) {
		return event == Event.AFTER_MIGRATE;
	}

	@Override
	public boolean canHandleInTransaction(Event event, Context context) {
		return true;
	}

	@Override
	public void handle(Event event, Context context) {
		reReadPastAnOldLineCap(context.getConnection());
	}

	@Override
	public String getCallbackName() {
		return "cctracer line cap";
	}

	/**
	 * When {@code cctracer.ingest.max-line-bytes} is above the cap the files were read
	 * with, the files on disk that skipped a line as over-long are read again from their
	 * start by the next scan (their head fingerprint and size marked, as V14 does): a
	 * line skipped under a lower cap was never counted, and raising the cap did not bring
	 * it back (a trial). A lower cap applies to lines read from now on. Records the cap.
	 */
	void reReadPastAnOldLineCap(Connection c) {
		if (this.properties.ingest() == null) {
			return;
		}
		long cap = this.properties.ingest().maxLineBytes().toBytes();
		String origin = this.properties.effectiveOrigin();
		// each machine's own: its files, read with its cap
		String name = LINE_CAP + ":" + origin;
		// Flyway's connection, not the pool's: the callback runs inside its migrate
		JdbcClient jdbc = JdbcClient.create(new SingleConnectionDataSource(c, true));
		MetaRepository meta = new MetaRepository(jdbc);
		try {
			compare(jdbc, meta, name, origin, cap);
		}
		catch (DataAccessException ex) {
			log.warn("cannot compare the line cap with the one the files were read with: {}", ex.getMessage());
		}
	}

	private static void compare(JdbcClient jdbc, MetaRepository meta, String name, String origin, long cap) {
		Long stored = meta.getLong(name).orElse(null);
		if (stored != null && cap > stored) {
			int marked = jdbc
				.sql("UPDATE source_file SET head_fingerprint = 'recount-line-cap', size_at_scan = -1,"
						+ " mtime_at_scan = -1 WHERE deleted = FALSE AND overlong_lines > 0 AND origin = :origin")
				.param("origin", origin)
				.update();
			if (marked > 0) {
				log.info("cctracer.ingest.max-line-bytes raised from {} to {} bytes: {} transcript(s) on disk that "
						+ "skipped a line over the old cap are read again from their start by the next scan, once",
						stored, cap, marked);
			}
		}
		if (stored == null || stored != cap) {
			meta.setLong(name, cap);
		}
	}

}
