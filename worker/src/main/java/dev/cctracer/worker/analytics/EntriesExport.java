package dev.cctracer.worker.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.duckdb.DuckDbEngine;
import dev.cctracer.worker.facts.CountingSession;
import dev.cctracer.worker.facts.CountingSessions;
import dev.cctracer.worker.facts.CountingSql;

/**
 * Entry-level export from the facts: one row per transcript line that is a JSON object
 * (project, session, agent, file, line — its ordinal among them, 1-based, not its
 * physical line number: blank, malformed and over-long lines are not counted —,
 * byte_offset — where it starts in the file, bytes —, type, uuid, timestamp — UTC: an
 * ISO-8601 instant with milliseconds in CSV and JSON (an array of objects), a Parquet
 * timestamp adjusted to UTC —, message and request ids, model, the line's token counts
 * with the cache writes split into their 5-minute and 1-hour parts, whether it is the
 * counted copy of its response, {@code cost}: the counted copy's cost in USD as the
 * totals price it in {@code calculate} mode — 0 for a model of no known family, which the
 * totals count as unpriced —, and how it is priced, as {@code /api/metrics/models} says
 * it: {@code priced} (a card applies), {@code estimated} (the card is the family's newest
 * for an id the price table does not list) and {@code priced_as} (the card's id); the
 * four {@code null} on every other line), without any transcript text, its strings
 * redacted, written by DuckDB as CSV (formula-like cells as text), JSON or Parquet to a
 * temporary file and renamed. The counted lines' costs add up to the totals' calculated
 * cost of the same project or session.
 */
@Component
public class EntriesExport {

	private static final Logger log = LoggerFactory.getLogger(EntriesExport.class);

	private static final Map<String, String> FORMATS = Map.of("csv", "FORMAT csv, HEADER", "json",
			"FORMAT json, ARRAY true", "parquet", "FORMAT parquet, COMPRESSION zstd");

	/**
	 * The CSV rows: every text cell through {@code csv_cell}, so a spreadsheet never
	 * reads one as a formula (OWASP's CSV injection rule: a leading {@code = + - @}, tab
	 * or carriage return gets a {@code '} before it).
	 */
	private static final String CSV_CELLS = """
			SELECT csv_cell(e.project) AS project, csv_cell(e.session) AS session, csv_cell(e.agent_id) AS agent_id,
			  csv_cell(e.file) AS file, e.line, e.byte_offset, csv_cell(e.type) AS type, csv_cell(e.uuid) AS uuid,
			  %s AS timestamp, csv_cell(e.message_id) AS message_id, csv_cell(e.request_id) AS request_id,
			  csv_cell(e.model) AS model, e.input_tokens, e.output_tokens, e.cache_creation_input_tokens,
			  e.cache_creation_5m_input_tokens, e.cache_creation_1h_input_tokens, e.cache_read_input_tokens, e.counted,
			  e.cost, e.priced, e.estimated, csv_cell(e.priced_as) AS priced_as FROM \s"""
		.formatted(EntriesExport.ISO_TIME);

	/** The JSON rows: the time as an ISO-8601 UTC instant, as in the CSV. */
	private static final String JSON_ROWS = "SELECT * REPLACE (%s AS timestamp) FROM "
		.formatted(EntriesExport.ISO_TIME);

	/**
	 * The Parquet rows: the time as a {@code TIMESTAMP WITH TIME ZONE} (Parquet's
	 * {@code isAdjustedToUTC}), built from its epoch milliseconds so that no session time
	 * zone takes part.
	 */
	private static final String PARQUET_ROWS = """
			SELECT * REPLACE (to_timestamp(epoch_ms(e.timestamp) // 1000) + to_milliseconds(epoch_ms(e.timestamp) % 1000)
			  AS timestamp) FROM \s""";

	/** A UTC {@code TIMESTAMP} column {@code timestamp} as ISO-8601 with milliseconds. */
	private static final String ISO_TIME = "strftime(e.timestamp, '%Y-%m-%dT%H:%M:%S.%gZ')";

	/** What was written. */
	public record Exported(String file, String format, long rows, long bytes, long millis) {

	}

	private final CountingSessions sessions;

	private final Path dir;

	private final PriceTable prices;

	public EntriesExport(CountingSessions sessions, PriceTable prices, TracerProperties properties) {
		this.sessions = sessions;
		this.prices = prices;
		this.dir = properties.exportsDir();
	}

	/**
	 * Writes the export of every project's lines, or {@code project}'s, or
	 * {@code session}'s.
	 * @param jobId names the file ({@code <jobId>.<format>} under the data dir's
	 * {@code exports})
	 * @param format {@code csv}, {@code json} or {@code parquet}
	 * @param project a project dir, or {@code null} for every project
	 * @param session a session id, or {@code null} for every session
	 * @throws IllegalArgumentException for another format
	 * @throws IOException when the file cannot be written or renamed
	 * @throws SQLException when DuckDB fails
	 */
	public Exported run(String jobId, String format, String project, String session) throws IOException, SQLException {
		return run(jobId, format, project, session, null, null);
	}

	/**
	 * As the other run, of the lines timed in {@code [from, to)} only (epoch
	 * milliseconds, either {@code null}: open; a line without a time is left out of a
	 * bounded range).
	 * @throws IllegalArgumentException for another format
	 * @throws IOException when the file cannot be written or renamed
	 * @throws SQLException when DuckDB fails
	 */
	public Exported run(String jobId, String format, String project, String session, Long from, Long to)
			throws IOException, SQLException {
		long started = System.nanoTime();
		String options = FORMATS.get(format);
		if (options == null) {
			throw new IllegalArgumentException("format must be csv, json or parquet");
		}
		SafePaths.ownerOnly(Files.createDirectories(this.dir));
		String name = jobId + "." + format;
		Path target = this.dir.resolve(name);
		Path tmp = this.dir.resolve(name + ".tmp");
		try {
			return write(target, tmp, format, options, new String[] { project, session }, new Long[] { from, to },
					started);
		}
		catch (IOException | SQLException | RuntimeException ex) {
			// a full disk, DuckDB failing: its part written is no one's (left, it stayed
			// for an hour, on the disk it filled: a fault trial)
			try {
				Files.deleteIfExists(tmp);
			}
			catch (IOException ignored) {
				// pruned after an hour
			}
			throw ex;
		}
	}

	/**
	 * Writes the file: {@code filter} the project and session (each {@code null}: any),
	 * {@code range} the lines' times (epoch ms, {@code [from, to)}, each {@code null}:
	 * open).
	 */
	private Exported write(Path target, Path tmp, String format, String options, String[] filter, Long[] range,
			long started) throws IOException, SQLException {
		String name = target.getFileName().toString();
		long rows = 0;
		try (CountingSession counting = this.sessions.open(this.prices, (n) -> {
		})) {
			Connection c = counting.connection();
			String table = "export_" + System.nanoTime();
			try {
				String select = counting.isEmpty() ? emptySelect() : counting.winners() + """
						, %s
						SELECT l.project, l.session, redact(l.agent) AS agent_id, l.rel AS file,
						  row_number() OVER (PARTITION BY l.f ORDER BY l.rn) AS line, l.rn AS byte_offset,
						  redact(l.type) AS type, redact(l.uuid) AS uuid,
						  make_timestamp(l.ts * 1000) AS timestamp, redact(l.mid) AS message_id,
						  redact(l.rid) AS request_id, redact(l.model) AS model, l.inp AS input_tokens,
						  l.outp AS output_tokens, l.w5m + l.w1h AS cache_creation_input_tokens,
						  l.w5m AS cache_creation_5m_input_tokens, l.w1h AS cache_creation_1h_input_tokens,
						  l.rd AS cache_read_input_tokens, (w.f IS NOT NULL) AS counted,
						  CAST(w.cost_pico AS DOUBLE) / 1e12 AS cost,
						  CASE WHEN w.f IS NOT NULL THEN w.priced_as IS NOT NULL END AS priced, w.estimated,
						  w.priced_as
						FROM lines l LEFT JOIN priced w ON w.f = l.f AND w.rn = l.rn
						WHERE (? IS NULL OR l.project = ?) AND (? IS NULL OR l.session = ?)
						  AND (CAST(? AS BIGINT) IS NULL OR l.ts >= ?) AND (CAST(? AS BIGINT) IS NULL OR l.ts < ?)
						ORDER BY l.f, l.rn
						""".formatted(counting.priced());
				try (PreparedStatement ps = c.prepareStatement("CREATE TABLE " + table + " AS " + select)) {
					if (!counting.isEmpty()) {
						ps.setString(1, filter[0]);
						ps.setString(2, filter[0]);
						ps.setString(3, filter[1]);
						ps.setString(4, filter[1]);
						for (int i = 0; i < 2; i++) {
							ps.setObject(5 + 2 * i, range[i], java.sql.Types.BIGINT);
							ps.setObject(6 + 2 * i, range[i], java.sql.Types.BIGINT);
						}
					}
					ps.execute();
				}
				try (Statement s = c.createStatement()) {
					// an empty export goes the same way: its columns typed as a full
					// one's
					String source = switch (format) {
						case "csv" -> "(" + CSV_CELLS + table + " e)";
						case "json" -> "(" + JSON_ROWS + table + " e)";
						default -> "(" + PARQUET_ROWS + table + " e)";
					};
					s.execute("COPY " + source + " TO " + DuckDbEngine.literal(tmp.toString()) + " (" + options + ")");
					try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
						rs.next();
						rows = rs.getLong(1);
					}
				}
			}
			finally {
				CountingSql.drop(c, table);
			}
		}
		SafePaths.ownerOnly(tmp);
		Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		long bytes = Files.size(target);
		prune(this.dir, name, System.currentTimeMillis());
		return new Exported(name, format, rows, bytes, (System.nanoTime() - started) / 1_000_000);
	}

	/** Finished exports kept beside the newest one: the newest this many. */
	static final int KEEP = 20;

	/** Finished exports older than this are removed, in milliseconds (a day). */
	static final long MAX_AGE_MILLIS = 24L * 3600 * 1000;

	/** A temporary file older than this is a crashed job's, in milliseconds (an hour). */
	static final long STALE_TMP_MILLIS = 3600L * 1000;

	/**
	 * Removes what no one will download: every export file but the one just written
	 * ({@code keep}) beyond the newest {@value #KEEP} or older than a day, and temporary
	 * files older than an hour. Each export holds every line of its scope, and the data
	 * version that names a new job moves with every append, so without this a live
	 * history's exports filled the disk. A job whose file is gone is run again when it is
	 * asked for again (the export API), and its download says the file is gone.
	 * @param now the clock, epoch milliseconds
	 */
	static void prune(Path dir, String keep, long now) {
		List<Path> finished = new ArrayList<>();
		try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
			for (Path f : files) {
				String name = f.getFileName().toString();
				if (name.equals(keep) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
					continue;
				}
				if (name.endsWith(".tmp")) {
					if (now - modified(f) > STALE_TMP_MILLIS) {
						Files.deleteIfExists(f);
					}
				}
				else {
					finished.add(f);
				}
			}
			finished.sort(Comparator.comparingLong(EntriesExport::modified).reversed());
			for (int i = 0; i < finished.size(); i++) {
				Path f = finished.get(i);
				if (i >= KEEP - 1 || now - modified(f) > MAX_AGE_MILLIS) {
					Files.deleteIfExists(f);
				}
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// the export itself is written: the next one tries again
			log.warn("exports: could not remove old export files ({})", LogText.failure(ex));
		}
	}

	private static long modified(Path f) {
		try {
			return Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis();
		}
		catch (IOException ex) {
			// removed meanwhile: oldest
			return 0;
		}
	}

	private static String emptySelect() {
		return """
				SELECT NULL::VARCHAR AS project, NULL::VARCHAR AS session, NULL::VARCHAR AS agent_id,
				  NULL::VARCHAR AS file, NULL::BIGINT AS line, NULL::BIGINT AS byte_offset, NULL::VARCHAR AS type,
				  NULL::VARCHAR AS uuid, NULL::TIMESTAMP AS timestamp, NULL::VARCHAR AS message_id,
				  NULL::VARCHAR AS request_id, NULL::VARCHAR AS model, NULL::BIGINT AS input_tokens,
				  NULL::BIGINT AS output_tokens, NULL::BIGINT AS cache_creation_input_tokens,
				  NULL::BIGINT AS cache_creation_5m_input_tokens, NULL::BIGINT AS cache_creation_1h_input_tokens,
				  NULL::BIGINT AS cache_read_input_tokens, NULL::BOOLEAN AS counted, NULL::DOUBLE AS cost, NULL::BOOLEAN AS priced,
				  NULL::BOOLEAN AS estimated, NULL::VARCHAR AS priced_as WHERE false""";
	}

}
