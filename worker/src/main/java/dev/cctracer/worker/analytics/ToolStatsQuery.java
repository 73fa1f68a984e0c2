package dev.cctracer.worker.analytics;

import java.io.IOException;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.usage.WholeShares;
import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.ToolFailure;
import dev.cctracer.worker.facts.CountingSession;
import dev.cctracer.worker.facts.CountingSessions;
import dev.cctracer.worker.facts.CountingSql;

/**
 * Tool statistics over all transcripts with DuckDB: tool calls (a tool_use id once per
 * response, its copies in other files deduplicated: the calls follow the counted copy, as
 * in the incremental totals), errors and durations from their results, and the tokens and
 * cost of the counted message that made each call, split evenly over that message's
 * calls; of the failed calls, those declined and those cancelled, by their result's text
 * ({@link ToolFailure}). Filtered by the project of the counted copy, so a message copied
 * into another project counts once, where the dedup rule puts it.
 */
@Component
public class ToolStatsQuery {

	/**
	 * The result: per tool, and the {@value #RECENT_FAILURES} most recent failed calls.
	 */
	public record ToolStats(String scope, List<ToolStat> tools, long totalCalls, String attribution, long dataVersion,
			List<Failure> recentFailures) {

	}

	/**
	 * A failed call: its tool ({@code null} when its call is not in the facts), what the
	 * failure was ({@link ToolFailure#label}), where (project dir, session, the
	 * subagent's id or {@code null}), when (epoch ms, or {@code null}), its result
	 * entry's uuid, and the start of its result's text (redacted, at most
	 * {@value #PREVIEW} characters).
	 */
	public record Failure(String tool, String kind, String project, String session, String agentId, Long timestamp,
			String uuid, String preview) {

	}

	/** How many failed calls a result lists, the most recent first. */
	static final int RECENT_FAILURES = 200;

	/** The characters of a failed result's text a listed failure shows. */
	static final int PREVIEW = 300;

	private final CountingSessions sessions;

	private final PriceTable prices;

	public ToolStatsQuery(CountingSessions sessions, PriceTable prices) {
		this.sessions = sessions;
		this.prices = prices;
	}

	/** The statistics of a project ({@code null}: of all projects); see the other run. */
	public ToolStats run(String project, long dataVersion) throws IOException, SQLException {
		return run(project, null, dataVersion);
	}

	/**
	 * The statistics of a project, of one session of it (its main transcript and
	 * subagents; from the facts, so also when its transcripts are gone from the disk), or
	 * of all projects ({@code project} null).
	 * @throws IOException when the facts cannot be read
	 * @throws SQLException when DuckDB fails
	 */
	public ToolStats run(String project, String sessionId, long dataVersion) throws IOException, SQLException {
		List<ToolStat> stats = new ArrayList<>();
		List<BigInteger[]> tokenShares = new ArrayList<>();
		List<Failure> failures = new ArrayList<>();
		try (CountingSession session = this.sessions.open(this.prices, (n) -> {
		})) {
			if (!session.isEmpty()) {
				String failed = failedResults(session);
				try {
					failures = recentFailures(session, failed, project, sessionId);
					readStats(session, failed, project, sessionId, stats, tokenShares);
				}
				finally {
					CountingSql.drop(session.connection(), failed);
				}
			}
		}
		return new ToolStats((project == null) ? "all" : (sessionId != null) ? project + "/" + sessionId : project,
				withWholeTokens(stats, tokenShares), stats.stream().mapToLong(ToolStat::calls).sum(),
				"an assistant message's tokens and cost are split evenly over its tool calls", dataVersion, failures);
	}

	/**
	 * Reads the statistics per tool into {@code stats}, with each tool's token shares
	 * ({@link WholeShares}) into {@code tokenShares}.
	 * @param failed the job's {@link #failedResults}
	 */
	private void readStats(CountingSession session, String failed, String project, String sessionId,
			List<ToolStat> stats, List<BigInteger[]> tokenShares) throws SQLException {
		try (PreparedStatement ps = session.connection().prepareStatement(sql(session, failed))) {
			scope(ps, project, sessionId);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					long calls = rs.getLong(2);
					long errors = rs.getLong(3);
					stats.add(new ToolStat(rs.getString(1), calls, errors, (calls == 0) ? 0 : (double) errors / calls,
							(Double) rs.getObject(4, Double.class), (Double) rs.getObject(5, Double.class), 0,
							// whole pico-USD, as the queries give costs: a
							// split over calls read 9.001100291666669
							Cost.usd(Math.round(rs.getDouble(6))), Cost.usd(Math.round(rs.getDouble(7))),
							rs.getLong(8 + TOKEN_KINDS), rs.getLong(9 + TOKEN_KINDS)));
					BigInteger[] shares = new BigInteger[TOKEN_KINDS];
					for (int k = 0; k < TOKEN_KINDS; k++) {
						shares[k] = WholeShares.read(rs.getString(8 + k));
					}
					tokenShares.add(shares);
				}
			}
		}
	}

	/**
	 * Every failed tool result of the facts, read once per job for both of the answer's
	 * queries (each joined the failed results to the lines for their text): a temporary
	 * table of the session's connection (dropped with it) holding the call id, where the
	 * result is (file, offset, project dir, session, agent, time, uuid), its kind
	 * ({@link ToolFailure#sql}) and the start of its text (as the facts keep it,
	 * redacted; at most {@value #PREVIEW} characters).
	 * @return the table's name
	 */
	private static String failedResults(CountingSession session) throws SQLException {
		String table = "failed_results_" + Long.toUnsignedString(System.nanoTime());
		String sql = "CREATE TEMP TABLE " + table + " AS " + session.winners() + session.toolUses() + """
				failed AS (
				  SELECT t.id, t.f, t.off, l.project, l.session, l.agent, l.ts, l.uuid, %s AS kind,
				    left(l.c, %d) AS preview, l.f IS NOT NULL AS found
				  FROM tools t LEFT JOIN lines l ON l.f = t.f AND l.rn = t.off WHERE t.error AND NOT t.use
				)
				SELECT * FROM failed
				""".formatted(ToolFailure.sql("l.c"), PREVIEW);
		try (Statement st = session.connection().createStatement()) {
			st.execute(sql);
		}
		return table;
	}

	/**
	 * The most recent failed calls of a project, a session or all projects: each
	 * {@code tool_use_id} once (its earliest failed result), by the project and session
	 * of the transcript its result is in.
	 * @param failed the job's {@link #failedResults}
	 */
	private static List<Failure> recentFailures(CountingSession session, String failed, String project,
			String sessionId) throws SQLException {
		List<Failure> failures = new ArrayList<>();
		String sql = session.winners() + session.toolUses() + """
				named AS (SELECT id, min(name) AS name FROM tools WHERE use AND id IS NOT NULL GROUP BY 1),
				first_failed AS (
				  SELECT * FROM %1$s
				  WHERE found AND (? IS NULL OR project = ?) AND (? IS NULL OR session = ?)
				  QUALIFY row_number() OVER (PARTITION BY coalesce(id, f || '#' || off) ORDER BY ts, f, off) = 1
				),
				recent AS (SELECT * FROM first_failed ORDER BY ts DESC NULLS LAST, uuid LIMIT %2$d)
				SELECT redact(n.name), r.kind, r.project, r.session, r.agent, r.ts, r.uuid, redact(r.preview)
				FROM recent r LEFT JOIN named n ON n.id = r.id ORDER BY r.ts DESC NULLS LAST, r.uuid
				""".formatted(failed, RECENT_FAILURES);
		try (PreparedStatement ps = session.connection().prepareStatement(sql)) {
			scope(ps, project, sessionId);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					failures.add(new Failure(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
							emptyToNull(rs.getString(5)), (Long) rs.getObject(6, Long.class), rs.getString(7),
							rs.getString(8)));
				}
			}
		}
		return failures;
	}

	/** Binds the scope's four parameters: the project twice, then the session twice. */
	private static void scope(PreparedStatement ps, String project, String sessionId) throws SQLException {
		ps.setString(1, project);
		ps.setString(2, project);
		ps.setString(3, sessionId);
		ps.setString(4, sessionId);
	}

	private static String emptyToNull(String s) {
		return (s == null || s.isEmpty()) ? null : s;
	}

	/** Input, output, 5-minute and 1-hour cache writes, cache reads. */
	private static final int TOKEN_KINDS = 5;

	/**
	 * The tools with their tokens as whole numbers ({@link WholeShares#totals}), as the
	 * query job's rows grouped by tool count them (rounded tool by tool, the two answers
	 * differed by a token).
	 */
	private static List<ToolStat> withWholeTokens(List<ToolStat> stats, List<BigInteger[]> shares) {
		long[] tokens = WholeShares.totals(shares, stats.stream().map(ToolStat::name).toArray(String[]::new));
		List<ToolStat> out = new ArrayList<>();
		for (int i = 0; i < stats.size(); i++) {
			ToolStat t = stats.get(i);
			out.add(new ToolStat(t.name(), t.calls(), t.errors(), t.errorRate(), t.avgDurationSeconds(),
					t.p95DurationSeconds(), tokens[i], t.cost(), t.failedCost(), t.declined(), t.cancelled()));
		}
		return out;
	}

	/** The statistics' query; {@code failed} is the job's {@link #failedResults}. */
	private String sql(CountingSession session, String failed) {
		return session.winners() + session.toolUses() + """
				calls AS (SELECT DISTINCT ON (id, key, kr) id, name, key, kr, ts FROM uses ORDER BY id, key, kr, ts),
				results AS (SELECT id, min(ts) AS ts, bool_or(error) AS err FROM tools WHERE NOT use GROUP BY 1),
				failures AS (
				  SELECT id, min(CASE kind WHEN 'failed' THEN 0 WHEN 'declined' THEN 1 ELSE 2 END) AS k
				  FROM %7$s GROUP BY 1
				),
				%1$s,
				per_message AS (SELECT key, kr, count(*) AS n FROM calls GROUP BY 1, 2),
				joined AS (
				  SELECT c.name, c.ts, r.ts AS rts, coalesce(r.err, false) AS err, x.k, w.project, w.session,
				    %2$s AS t_inp, %3$s AS t_outp, %4$s AS t_w5m, %5$s AS t_w1h, %6$s AS t_rd,
				    w.cost_pico / m.n AS cost
				  FROM calls c JOIN priced w ON w.key = c.key AND w.kr = c.kr
				  JOIN per_message m ON m.key = c.key AND m.kr = c.kr
				  LEFT JOIN results r ON r.id = c.id
				  LEFT JOIN failures x ON x.id = c.id
				)
				SELECT name, count(*), sum(CASE WHEN err THEN 1 ELSE 0 END),
				  avg(CASE WHEN rts >= ts THEN (rts - ts) / 1000.0 END),
				  quantile_disc(CASE WHEN rts >= ts THEN (rts - ts) / 1000.0 END, 0.95),
				  sum(cost), coalesce(sum(CASE WHEN err THEN cost END), 0),
				  sum(t_inp), sum(t_outp), sum(t_w5m), sum(t_w1h), sum(t_rd),
				  sum(CASE WHEN err AND k = 1 THEN 1 ELSE 0 END), sum(CASE WHEN err AND k = 2 THEN 1 ELSE 0 END)
				FROM joined WHERE (? IS NULL OR project = ?) AND (? IS NULL OR session = ?)
				GROUP BY name ORDER BY 2 DESC, 1
				""".formatted(session.priced(), WholeShares.shareSql("w.inp", "m.n"),
				WholeShares.shareSql("w.outp", "m.n"), WholeShares.shareSql("w.w5m", "m.n"),
				WholeShares.shareSql("w.w1h", "m.n"), WholeShares.shareSql("w.rd", "m.n"), failed);
	}

}
