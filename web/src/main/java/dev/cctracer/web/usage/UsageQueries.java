package dev.cctracer.web.usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import dev.cctracer.web.usage.Sums;

/**
 * Read-side queries over {@code source_file} (per-file counted totals) and
 * {@code usage_rollup} (per file × 15-minute bucket × model × agent). No query reads the
 * usage copies.
 */
@Repository
class UsageQueries {

	private final JdbcClient jdbc;

	UsageQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One project's totals and activity. */
	record ProjectRow(String projectDir, long sessions, Long firstTs, Long lastTs, Sums sums) {

	}

	/** One session's files folded together. */
	record SessionRow(String sessionId, Long firstTs, Long lastTs, long toolUses, long toolErrors, long subagentFiles,
			long lastSeenMtime, long summaries, boolean interrupted, long lines, Sums sums, String customTitle,
			String aiTitle, String agentName, String cwd, long apiErrors) {

		/**
		 * The session's title: its custom title, else its AI title, else {@code null}.
		 */
		String title() {
			return (this.customTitle != null) ? this.customTitle : this.aiTitle;
		}

	}

	/** What a subagent's transcript and meta file say of it. */
	record AgentLabels(String type, String description, String name) {

		static final AgentLabels NONE = new AgentLabels(null, null, null);

	}

	/** Labels per subagent id of a session (from its subagent files). */
	Map<String, AgentLabels> agentLabels(String projectDir, String sessionId) {
		Map<String, AgentLabels> labels = new HashMap<>();
		this.jdbc.sql("""
				SELECT agent_id, agent_type, agent_description, agent_name FROM source_file
				WHERE project_dir = :p AND session_id = :s AND kind <> 'MAIN' AND agent_id IS NOT NULL
				""").param("p", projectDir).param("s", sessionId).query((rs) -> {
			labels.put(rs.getString("agent_id"), new AgentLabels(rs.getString("agent_type"),
					rs.getString("agent_description"), rs.getString("agent_name")));
		});
		return labels;
	}

	/**
	 * Instants (epoch ms) of the API errors, optionally of one project and one origin.
	 */
	List<Long> apiErrorInstants(String projectDir, String origin) {
		Map<String, Object> params = new TreeMap<>();
		return this.jdbc
			.sql("SELECT e.ts FROM api_error e JOIN source_file f ON f.id = e.file_id WHERE e.ts IS NOT NULL AND "
					+ filter(projectDir, origin, null, null, params))
			.params(params)
			.query(Long.class)
			.list();
	}

	/** The session a subagent file of a project belongs to (the first, by session id). */
	java.util.Optional<String> sessionOfAgent(String projectDir, String agentId) {
		return this.jdbc.sql("""
				SELECT MIN(session_id) FROM source_file
				WHERE project_dir = :p AND agent_id = :a AND kind <> 'MAIN' AND session_id IS NOT NULL
				""").param("p", projectDir).param("a", agentId).query(String.class).optional();
	}

	/** A model id with estimated or unpriced responses. */
	record UnknownModelRow(String model, long firstBucket, long lastBucket, long messages, long tokens, long estimated,
			long unpriced) {

	}

	/** Every model id that has estimated or unpriced counted responses. */
	List<UnknownModelRow> unknownModels() {
		return this.jdbc.sql("""
				SELECT model, MIN(bucket) AS first_bucket, MAX(bucket) AS last_bucket, SUM(messages) AS messages,
				  SUM(input_tokens + output_tokens + cache_write_5m + cache_write_1h + cache_read) AS tokens,
				  SUM(estimated_messages) AS estimated, SUM(unpriced_messages) AS unpriced
				FROM usage_rollup GROUP BY model HAVING SUM(estimated_messages) > 0 OR SUM(unpriced_messages) > 0
				ORDER BY model
				""")
			.query((rs, i) -> new UnknownModelRow(rs.getString("model"), rs.getLong("first_bucket"),
					rs.getLong("last_bucket"), rs.getLong("messages"), rs.getLong("tokens"), rs.getLong("estimated"),
					rs.getLong("unpriced")))
			.list();
	}

	/** One API error of a session, with its agent ('' = main). */
	record ApiErrorRow(Long ts, String kind, String text, String agentId) {

	}

	/** A session's API errors, oldest first. */
	List<ApiErrorRow> apiErrors(String projectDir, String sessionId) {
		return this.jdbc.sql("""
				SELECT e.ts, e.kind, e.text, COALESCE(f.agent_id, '') AS agent FROM api_error e
				JOIN source_file f ON f.id = e.file_id
				WHERE f.project_dir = :p AND f.session_id = :s ORDER BY e.ts, e.file_id, e.line_offset
				""")
			.param("p", projectDir)
			.param("s", sessionId)
			.query((rs, i) -> new ApiErrorRow(rs.getObject("ts", Long.class), rs.getString("kind"),
					rs.getString("text"), rs.getString("agent")))
			.list();
	}

	/** Totals of one agent of a session ('' = main). */
	record AgentRow(String agentId, String kind, Sums sums) {

	}

	/** Rollup rows grouped by bucket and model. */
	record BucketRow(long bucket, String model, Sums sums) {

	}

	List<ProjectRow> projects() {
		return this.jdbc
			.sql("SELECT t.project_dir, COUNT(DISTINCT t.session_id), MIN(t.first_ts), MAX(t.last_ts), " + Sums.SELECT
					+ " FROM source_file t GROUP BY t.project_dir")
			.query((rs, i) -> new ProjectRow(rs.getString(1), rs.getLong(2), (Long) rs.getObject(3, Long.class),
					(Long) rs.getObject(4, Long.class), Sums.read(rs, 5)))
			.list();
	}

	/** Per-origin totals (a machine of a team database). */
	record OriginRow(String origin, long files, long sessions, Long firstTs, Long lastTs, Sums sums) {

	}

	List<OriginRow> origins() {
		return this.jdbc
			.sql("SELECT t.origin, SUM(CASE WHEN t.deleted THEN 0 ELSE 1 END), COUNT(DISTINCT t.session_id), "
					+ "MIN(t.first_ts), MAX(t.last_ts), " + Sums.SELECT + " FROM source_file t GROUP BY t.origin")
			.query((rs, i) -> new OriginRow(rs.getString(1), rs.getLong(2), rs.getLong(3),
					(Long) rs.getObject(4, Long.class), (Long) rs.getObject(5, Long.class), Sums.read(rs, 6)))
			.list();
	}

	/** The config dirs each origin indexes (its files' roots). */
	Map<String, List<String>> rootsByOrigin() {
		Map<String, List<String>> roots = new java.util.TreeMap<>();
		this.jdbc.sql("SELECT DISTINCT origin, root FROM source_file WHERE deleted = FALSE ORDER BY origin, root")
			.query((rs, i) -> roots.computeIfAbsent(rs.getString(1), (k) -> new ArrayList<>()).add(rs.getString(2)))
			.list();
		return roots;
	}

	boolean sessionExists(String projectDir, String sessionId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE project_dir = :p AND session_id = :s")
			.param("p", projectDir)
			.param("s", sessionId)
			.query(Long.class)
			.single() > 0;
	}

	boolean projectExists(String projectDir) {
		return this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE project_dir = :p")
			.param("p", projectDir)
			.query(Long.class)
			.single() > 0;
	}

	/** Display path per project: the cwd of its earliest main file (else of any file). */
	Map<String, String> projectPaths() {
		Map<String, String> paths = new HashMap<>();
		Map<String, Long> firstSeen = new HashMap<>();
		this.jdbc.sql("""
				SELECT project_dir, cwd, COALESCE(first_ts, 0), kind FROM source_file WHERE cwd IS NOT NULL
				ORDER BY CASE WHEN kind = 'MAIN' THEN 0 ELSE 1 END, COALESCE(first_ts, 0), id
				""").query((rs) -> {
			String p = rs.getString(1);
			if (!paths.containsKey(p)) {
				// a cwd comes from a transcript: redacted like every transcript string
				paths.put(p, dev.cctracer.shared.transcript.Redactor.redact(rs.getString(2)));
				firstSeen.put(p, rs.getLong(3));
			}
		});
		return paths;
	}

	List<SessionRow> sessions(String projectDir, String sessionId) {
		String where = (sessionId != null) ? " AND t.session_id = :s" : "";
		var spec = this.jdbc
			.sql("""
					SELECT t.session_id, MIN(t.first_ts), MAX(t.last_ts), SUM(t.tool_uses), SUM(t.tool_errors),
					  SUM(CASE WHEN t.kind <> 'MAIN' THEN 1 ELSE 0 END), MAX(t.seen_mtime), SUM(t.summaries),
					  MAX(CASE WHEN t.kind = 'MAIN' AND t.last_interrupted THEN 1 ELSE 0 END), SUM(t.lines),
					  MAX(CASE WHEN t.kind = 'MAIN' THEN t.custom_title END), MAX(CASE WHEN t.kind = 'MAIN' THEN t.ai_title END),
					  MAX(CASE WHEN t.kind = 'MAIN' THEN t.agent_name END),
					  COALESCE(MIN(CASE WHEN t.kind = 'MAIN' THEN t.cwd END), MIN(t.cwd)), SUM(t.api_errors),
					"""
					+ Sums.SELECT + " FROM source_file t WHERE t.project_dir = :p AND t.session_id IS NOT NULL" + where
					+ " GROUP BY t.session_id")
			.param("p", projectDir);
		if (sessionId != null) {
			spec = spec.param("s", sessionId);
		}
		return spec
			.query((rs, i) -> new SessionRow(rs.getString(1), (Long) rs.getObject(2, Long.class),
					(Long) rs.getObject(3, Long.class), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7),
					rs.getLong(8), rs.getInt(9) == 1, rs.getLong(10), Sums.read(rs, 16), rs.getString(11),
					rs.getString(12), rs.getString(13), rs.getString(14), rs.getLong(15)))
			.list();
	}

	/** Models used per session of a project. */
	Map<String, TreeSet<String>> modelsBySession(String projectDir) {
		Map<String, TreeSet<String>> models = new HashMap<>();
		this.jdbc.sql("""
				SELECT DISTINCT f.session_id, r.model FROM usage_rollup r JOIN source_file f ON f.id = r.file_id
				WHERE f.project_dir = :p AND f.session_id IS NOT NULL AND r.model <> ''
				""").param("p", projectDir).query((rs) -> {
			models.computeIfAbsent(rs.getString(1), (k) -> new TreeSet<>()).add(rs.getString(2));
		});
		return models;
	}

	/**
	 * Inline sidechain agents per session (subagent work logged inside the main file).
	 */
	Map<String, Long> inlineAgentsBySession(String projectDir) {
		Map<String, Long> counts = new HashMap<>();
		this.jdbc
			.sql("""
					SELECT f.session_id, COUNT(DISTINCT r.agent_id) FROM usage_rollup r JOIN source_file f ON f.id = r.file_id
					WHERE f.project_dir = :p AND f.kind = 'MAIN' AND r.agent_id <> '' GROUP BY f.session_id
					""")
			.param("p", projectDir)
			.query((rs) -> {
				counts.put(rs.getString(1), rs.getLong(2));
			});
		return counts;
	}

	/** A session broken down by agent ('' = main), with the models each used. */
	List<AgentRow> agents(String projectDir, String sessionId, Map<String, TreeSet<String>> modelsOut) {
		Map<String, AgentRow> rows = new LinkedHashMap<>();
		this.jdbc.sql("SELECT r.agent_id, MIN(f.kind), r.model, " + Sums.SELECT.replace("t.", "r.")
				+ " FROM usage_rollup r JOIN source_file f ON f.id = r.file_id"
				+ " WHERE f.project_dir = :p AND f.session_id = :s GROUP BY r.agent_id, r.model ORDER BY r.agent_id, r.model")
			.param("p", projectDir)
			.param("s", sessionId)
			.query((rs) -> {
				String agent = rs.getString(1);
				Sums sums = Sums.read(rs, 4);
				rows.merge(agent, new AgentRow(agent, rs.getString(2), sums),
						(a, b) -> new AgentRow(a.agentId(), a.kind(), a.sums().plus(b.sums())));
				if (!rs.getString(3).isEmpty()) {
					modelsOut.computeIfAbsent(agent, (k) -> new TreeSet<>()).add(rs.getString(3));
				}
			});
		return new ArrayList<>(rows.values());
	}

	/**
	 * Rollups by bucket and model, optionally for one project, one origin and a bucket
	 * range.
	 */
	List<BucketRow> buckets(String projectDir, String origin, Long fromBucket, Long toBucketExclusive) {
		Map<String, Object> params = new TreeMap<>();
		String sql = "SELECT r.bucket, r.model, " + Sums.SELECT.replace("t.", "r.")
				+ " FROM usage_rollup r JOIN source_file f ON f.id = r.file_id WHERE "
				+ filter(projectDir, origin, fromBucket, toBucketExclusive, params) + " GROUP BY r.bucket, r.model";
		return this.jdbc.sql(sql)
			.params(params)
			.query((rs, i) -> new BucketRow(rs.getLong(1), rs.getString(2), Sums.read(rs, 3)))
			.list();
	}

	/** Sessions and projects with counted usage in a bucket range. */
	long[] activeSessionsAndProjects(String projectDir, String origin, Long fromBucket, Long toBucketExclusive) {
		Map<String, Object> params = new TreeMap<>();
		String sql = """
				SELECT COUNT(DISTINCT f.project_dir || '/' || f.session_id), COUNT(DISTINCT f.project_dir)
				FROM usage_rollup r JOIN source_file f ON f.id = r.file_id WHERE f.session_id IS NOT NULL AND
				""" + filter(projectDir, origin, fromBucket, toBucketExclusive, params);
		return this.jdbc.sql(sql).params(params).query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) }).single();
	}

	/**
	 * The conditions on rollup {@code r} joined to file {@code f} for an optional project
	 * and bucket range, with their parameters (values are always bound, never written
	 * into the SQL).
	 */
	private static String filter(String projectDir, String origin, Long fromBucket, Long toBucketExclusive,
			Map<String, Object> params) {
		List<String> where = new ArrayList<>();
		where.add("1 = 1");
		if (projectDir != null) {
			where.add("f.project_dir = :p");
			params.put("p", projectDir);
		}
		if (origin != null) {
			where.add("f.origin = :o");
			params.put("o", origin);
		}
		if (fromBucket != null) {
			where.add("r.bucket >= :from");
			params.put("from", fromBucket);
		}
		if (toBucketExclusive != null) {
			where.add("r.bucket < :to");
			params.put("to", toBucketExclusive);
		}
		return String.join(" AND ", where);
	}

	/** One counted usage record (for 5-hour blocks). */
	record RecordRow(long ts, String model, Sums sums) {

	}

	/**
	 * Counted usage records in a time range (epoch ms), oldest first; optionally for one
	 * project.
	 */
	List<RecordRow> countedRecords(String projectDir, long fromMs, long toMs) {
		String sql = """
				SELECT c.ts, c.model, 1, c.input_tokens, c.output_tokens, c.cache_write_5m, c.cache_write_1h, c.cache_read,
				  c.cost_input, c.cost_output, c.cost_cache_write, c.cost_cache_read, COALESCE(c.cost_logged, 0),
				  CASE WHEN c.cost_logged IS NULL THEN 0
				    ELSE c.cost_input + c.cost_output + c.cost_cache_write + c.cost_cache_read + c.cost_web_search END,
				  CASE WHEN c.priced THEN 0 ELSE 1 END, c.web_searches, c.cost_web_search, CASE WHEN c.estimated THEN 1 ELSE 0 END
				FROM usage_copy c JOIN source_file f ON f.id = c.file_id
				WHERE c.counted = TRUE AND c.ts >= :from AND c.ts < :to
				"""
				+ ((projectDir != null) ? " AND f.project_dir = :p" : "") + " ORDER BY c.ts, c.id";
		var spec = this.jdbc.sql(sql).param("from", fromMs).param("to", toMs);
		if (projectDir != null) {
			spec = spec.param("p", projectDir);
		}
		return spec.query((rs, i) -> new RecordRow(rs.getLong(1), rs.getString(2), Sums.read(rs, 3))).list();
	}

	/** Index status counters. */
	Map<String, Long> indexStatus() {
		return this.jdbc
			.sql("""
						SELECT SUM(CASE WHEN deleted THEN 0 ELSE 1 END), SUM(CASE WHEN deleted THEN 1 ELSE 0 END),
						  SUM(CASE WHEN NOT deleted AND (seen_size <> size_at_scan OR seen_mtime <> mtime_at_scan) THEN 1 ELSE 0 END),
						  COALESCE(SUM(committed_offset), 0), COALESCE(SUM(lines), 0), COALESCE(SUM(invalid_lines), 0),
						  COALESCE(SUM(unknown_type_lines), 0), COALESCE(SUM(overlong_lines), 0), COALESCE(SUM(resets), 0),
					  (SELECT COUNT(*) FROM parquet_file), (SELECT COALESCE(SUM(bytes), 0) FROM parquet_file),
					  COALESCE(SUM(api_errors), 0)
					FROM source_file
						""")
			.query((rs, i) -> {
				Map<String, Long> m = new LinkedHashMap<>();
				String[] names = { "known", "deleted", "pending", "bytes", "lines", "invalid", "unknown", "overlong",
						"resets", "archived", "parquet_bytes", "api_errors" };
				for (int c = 0; c < names.length; c++) {
					m.put(names[c], rs.getLong(c + 1));
				}
				return m;
			})
			.single();
	}

}
