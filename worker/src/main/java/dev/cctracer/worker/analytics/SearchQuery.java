package dev.cctracer.worker.analytics;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.worker.verify.DuckDbEngine;

/**
 * Full-text search over every transcript (Parquet where archived, else JSONL up to the
 * committed offset): a case-insensitive substring of a message's content, newest first,
 * at most {@value #MAX_HITS} hits. The text to find is a bound value; snippets are cut
 * and redacted here.
 */
@Component
public class SearchQuery {

	static final int MAX_HITS = 200;

	/** One hit. */
	public record Hit(String project, String session, String agentId, String uuid, String timestamp, String type,
			String snippet, String link) {

	}

	/** The result. */
	public record SearchResult(String text, String project, List<Hit> hits, boolean truncated, long millis) {

	}

	private final JdbcClient jdbc;

	private final DuckDbEngine duckdb;

	public SearchQuery(JdbcClient jdbc, DuckDbEngine duckdb) {
		this.jdbc = jdbc;
		this.duckdb = duckdb;
	}

	public SearchResult run(String text, String project) throws IOException, SQLException {
		long started = System.nanoTime();
		String needle = text.toLowerCase(Locale.ROOT);
		List<Hit> hits = new ArrayList<>();
		boolean truncated = false;
		try (CountingSession session = CountingSession.open(this.jdbc, this.duckdb, null, (n) -> {
		})) {
			if (!session.isEmpty()) {
				String sql = session.winners(true) + """
						SELECT project, session, agent, uuid, ts, type, c::VARCHAR AS text
						FROM lines
						WHERE c IS NOT NULL AND contains(lower(c::VARCHAR), ?) AND (? IS NULL OR project = ?)
						ORDER BY ts DESC NULLS LAST, f, rn
						LIMIT %d
						""".formatted(MAX_HITS + 1);
				try (PreparedStatement ps = session.connection().prepareStatement(sql)) {
					ps.setString(1, needle);
					ps.setString(2, project);
					ps.setString(3, project);
					try (ResultSet rs = ps.executeQuery()) {
						while (rs.next()) {
							if (hits.size() == MAX_HITS) {
								truncated = true;
								break;
							}
							hits.add(hit(rs, needle));
						}
					}
				}
			}
		}
		return new SearchResult(text, project, hits, truncated, (System.nanoTime() - started) / 1_000_000);
	}

	private static Hit hit(ResultSet rs, String needle) throws SQLException {
		String project = rs.getString(1);
		String session = rs.getString(2);
		String agent = rs.getString(3);
		String uuid = rs.getString(4);
		Long ts = (Long) rs.getObject(5, Long.class);
		String content = rs.getString(7);
		int at = content.toLowerCase(Locale.ROOT).indexOf(needle);
		int from = Math.max(0, at - 100);
		int to = Math.min(content.length(), Math.max(at, 0) + needle.length() + 100);
		String snippet = Redactor
			.redact(((from > 0) ? "…" : "") + content.substring(from, to) + ((to < content.length()) ? "…" : ""));
		String link = (uuid == null || session == null) ? null
				: (agent == null) ? "/api/sessions/" + project + "/" + session + "/messages/" + uuid
						: "/api/subagents/" + project + "/" + session + "/" + agent + "/messages/" + uuid;
		return new Hit(project, session, agent, uuid, (ts != null) ? Instant.ofEpochMilli(ts).toString() : null,
				rs.getString(6), snippet, link);
	}

}
