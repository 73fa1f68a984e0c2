package dev.cctracer.worker.analytics;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.shared.transcript.SearchNeedle;
import dev.cctracer.worker.SearchStream;
import dev.cctracer.worker.facts.CountingSession;
import dev.cctracer.worker.facts.CountingSessions;
import dev.cctracer.worker.facts.FactsStore;
import dev.cctracer.worker.indexing.Indexer;

/**
 * Full-text search over the facts of every transcript: a case-insensitive substring of a
 * message's searchable text (text, thinking, tool names and inputs, tool results;
 * redacted when the facts were written, at most the first
 * {@value dev.cctracer.shared.log.EntryFactReader#TEXT_MAX} characters of a line), newest
 * first, at most {@value #MAX_HITS} hits, one per entry of a session (a replayed line is
 * found once). The text to find is a bound value. Snippets are redacted first and cut
 * after ({@link Redactor#excerpt}): the stream reads a window of ±{@value #WINDOW}
 * characters around the match, far wider than the ±{@value #RADIUS} of the snippet, so a
 * secret near the match is whole in it, and one cut at the window's edge is masked.
 */
@Component
public class SearchQuery implements SearchStream {

	static final int MAX_HITS = 200;

	/** Characters of content read on each side of a match by the streamed search. */
	static final int WINDOW = 700;

	/** Characters of a snippet on each side of the match. */
	static final int RADIUS = 100;

	/**
	 * One hit per entry of a session: a side question's transcript replays the session's
	 * lines with their uuids, so a line of the same uuid in the same session is the same
	 * entry, found in the session's own transcript first.
	 */
	/**
	 * The CTE {@code results} after {@link CountingSession#toolUses}: the lines holding a
	 * {@code tool_result} block, which a hit calls {@code tool_result} (as the timeline
	 * does) rather than their line's {@code user}.
	 */
	private static final String RESULT_LINES = """
			results AS (SELECT DISTINCT f AS rf, off AS roff FROM tools WHERE NOT use)
			""";

	/** A hit's type: {@code tool_result} for a user line holding a tool result. */
	private static final String HIT_TYPE = "CASE WHEN type = 'user' AND roff IS NOT NULL THEN 'tool_result' ELSE type END";

	/** Joins {@link #RESULT_LINES} to the lines. */
	private static final String FROM_LINES = "FROM lines LEFT JOIN results ON rf = f AND roff = rn";

	/**
	 * The lines whose text holds either spelling of the needle
	 * ({@link SearchNeedle#lower}, {@link SearchNeedle#escapedOrNull}) in the project (or
	 * any: {@code null}, given twice).
	 */
	private static final String MATCHING = """
			WHERE c IS NOT NULL AND (contains(lower(c::VARCHAR), ?) OR contains(lower(c::VARCHAR), ?))
			  AND (? IS NULL OR project = ?)
			""";

	/**
	 * The 1-based index of a line's first match, of the text as typed ({@code pn}) or as
	 * a tool input's JSON spells it ({@code pe}, null when that is the same text).
	 */
	private static final String FIRST_MATCH = "(CASE WHEN pe IS NULL OR pe = 0 THEN pn WHEN pn = 0 THEN pe ELSE least(pn, pe) END)";

	private static final String ONCE_PER_ENTRY = """
			QUALIFY uuid IS NULL
			  OR row_number() OVER (PARTITION BY session, uuid ORDER BY agent IS NOT NULL, gone, f, rn) = 1""";

	/** The result. */
	public record SearchResult(String text, String project, List<Hit> hits, boolean truncated, long millis) {

	}

	private final CountingSessions sessions;

	private final Indexer indexer;

	private final ObjectProvider<FactsStore> facts;

	public SearchQuery(CountingSessions sessions, Indexer indexer, ObjectProvider<FactsStore> facts) {
		this.sessions = sessions;
		this.indexer = indexer;
		this.facts = facts;
	}

	/**
	 * The statement of a streamed search: DuckDB's result, and what to close after it.
	 */
	private record Streamed(CountingSession session, PreparedStatement statement,
			ResultSet rows) implements AutoCloseable {

		@Override
		public void close() throws SQLException {
			try (CountingSession s = this.session; PreparedStatement p = this.statement; ResultSet r = this.rows) {
				// closed in reverse order
			}
		}

	}

	/**
	 * Every hit, newest first, without the cap of {@link #run}: each row carries only a
	 * window of ±150 characters around the first match (cut in DuckDB), so neither side
	 * holds whole transcripts, and hits go to the sink one at a time. The query runs
	 * exclusively of this process's ingest (as the search job does: no offset of this
	 * process moves while DuckDB reads the files; another process's commits only add
	 * lines past the offsets copied for the query); the sink is fed after that, so a slow
	 * client never holds up ingest, and a sink that stops (or throws, when its client
	 * went away) ends the work.
	 * @return the number of hits the sink accepted
	 */
	@Override
	public long stream(String text, String project, HitSink sink) throws Exception {
		SearchNeedle needle = SearchNeedle.of(text);
		// a damaged facts batch: removed and written again, then read once more (the
		// stream answered 500 until a job happened to repair it)
		Streamed streamed = FactsStore.callRepairing(this.facts, () -> open(needle, project));
		if (streamed == null) {
			return 0;
		}
		long sent = 0;
		try (Streamed open = streamed) {
			ResultSet rs = open.rows();
			while (rs.next()) {
				if (!sink.accept(hit(rs, rs.getString(7), rs.getBoolean(8), rs.getBoolean(9), needle))) {
					break;
				}
				sent++;
			}
		}
		return sent;
	}

	/** The search's rows, read on the ingest's thread; {@code null} without facts. */
	private Streamed open(SearchNeedle needle, String project) throws Exception {
		return this.indexer.exclusive(() -> {
			CountingSession session = this.sessions.open(null, (n) -> {
			});
			if (session.isEmpty()) {
				session.close();
				return null;
			}
			String sql = session.winners() + session.toolUses() + RESULT_LINES + """
					SELECT project, session, agent, uuid, ts, type,
					  substr(t, greatest(1, %1$s - %2$d), ? + %3$d) AS text,
					  %1$s > %4$d AS cut_start,
					  %1$s + ? + %2$d <= length(t) AS cut_end
					FROM (SELECT project, session, agent, uuid, ts, %5$s AS type, f, rn, c::VARCHAR AS t,
					    instr(lower(c::VARCHAR), ?) AS pn, instr(lower(c::VARCHAR), ?) AS pe
					  %6$s
					  %7$s
					  %8$s)
					ORDER BY ts DESC NULLS LAST, f, rn
					""".formatted(FIRST_MATCH, WINDOW, 2 * WINDOW, WINDOW + 1, HIT_TYPE, FROM_LINES, MATCHING,
					ONCE_PER_ENTRY);
			PreparedStatement ps = null;
			try {
				ps = session.connection().prepareStatement(sql);
				String escaped = needle.escapedOrNull();
				int longest = needle.escaped().length();
				int i = 1;
				ps.setInt(i++, longest);
				ps.setInt(i++, longest);
				ps.setString(i++, needle.lower());
				ps.setString(i++, escaped);
				ps.setString(i++, needle.lower());
				ps.setString(i++, escaped);
				ps.setString(i++, project);
				ps.setString(i, project);
				return new Streamed(session, ps, ps.executeQuery());
			}
			catch (SQLException | RuntimeException ex) {
				// nothing is handed out: close what was opened (DuckDB connection,
				// scratch copies)
				try (CountingSession s = session; PreparedStatement p = ps) {
					throw ex;
				}
			}
		});
	}

	public SearchResult run(String text, String project) throws IOException, SQLException {
		long started = System.nanoTime();
		SearchNeedle needle = SearchNeedle.of(text);
		List<Hit> hits = new ArrayList<>();
		boolean truncated = false;
		try (CountingSession session = this.sessions.open(null, (n) -> {
		})) {
			if (!session.isEmpty()) {
				String sql = session.winners() + session.toolUses() + RESULT_LINES + """
						SELECT project, session, agent, uuid, ts, %s AS type, c::VARCHAR AS text
						%s
						%s
						%s
						ORDER BY ts DESC NULLS LAST, f, rn
						LIMIT %d
						""".formatted(HIT_TYPE, FROM_LINES, MATCHING, ONCE_PER_ENTRY, MAX_HITS + 1);
				try (PreparedStatement ps = session.connection().prepareStatement(sql)) {
					ps.setString(1, needle.lower());
					ps.setString(2, needle.escapedOrNull());
					ps.setString(3, project);
					ps.setString(4, project);
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

	private static Hit hit(ResultSet rs, SearchNeedle needle) throws SQLException {
		return hit(rs, rs.getString(7), false, false, needle);
	}

	private static Hit hit(ResultSet rs, String text, boolean cutAtStart, boolean cutAtEnd, SearchNeedle needle)
			throws SQLException {
		String project = rs.getString(1);
		String session = rs.getString(2);
		String agent = rs.getString(3);
		String uuid = rs.getString(4);
		Long ts = (Long) rs.getObject(5, Long.class);
		String content = text;
		SearchNeedle.Match match = needle.find(content.toLowerCase(Locale.ROOT), 0);
		int at = (match != null) ? match.at() : 0;
		int length = (match != null) ? match.length() : needle.lower().length();
		// redact first, cut after: a cut never splits a secret
		String snippet = Redactor.excerpt(content, cutAtStart, cutAtEnd, at, length, RADIUS);
		String link = (uuid == null || session == null) ? null
				: (agent == null) ? "/api/sessions/" + project + "/" + session + "/messages/" + uuid
						: "/api/subagents/" + project + "/" + session + "/" + agent + "/messages/" + uuid;
		return new Hit(project, session, agent, uuid, (ts != null) ? Instant.ofEpochMilli(ts).toString() : null,
				rs.getString(6), snippet, link);
	}

}
