package dev.cctracer.web.usage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.RecordRowMapper;

/**
 * The web's reads of the counted usage: {@code usage_rollup} (per file × 15-minute bucket
 * × model × agent), the counted copies of {@code usage_copy} (5-hour blocks) and
 * {@code api_error}, each joined to its file for the project, session and origin filters.
 * Rows are read by column name; filter values are always bound, never written into the
 * SQL.
 */
@Repository
class UsageQueries {

	private final JdbcClient jdbc;

	UsageQueries(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A model id with estimated or unpriced responses (buckets in epoch seconds). */
	record UnknownModelRow(String model, long firstBucket, long lastBucket, long messages, long tokens, long estimated,
			long unpriced) {

	}

	/** One API error of a session (epoch milliseconds), with its agent ('' = main). */
	record ApiErrorRow(Long ts, String kind, String text, String agentId) {

	}

	/** Totals of one agent of a session ('' = main). */
	record AgentRow(String agentId, String kind, Sums sums) {

	}

	/** Rollup rows grouped by bucket (epoch seconds) and model. */
	record BucketRow(long bucket, String model, Sums sums) {

	}

	/** One counted usage record (epoch milliseconds), for 5-hour blocks. */
	record RecordRow(long ts, String model, Sums sums) {

	}

	/**
	 * Instants (epoch ms) of the API errors, optionally of one project and one origin; an
	 * error another transcript of its session replays (a side question's: the same time,
	 * kind and text) once.
	 */
	List<Long> apiErrorInstants(String projectDir, String origin) {
		Map<String, Object> params = new TreeMap<>();
		return this.jdbc
			.sql("SELECT e.ts FROM api_error e JOIN source_file f ON f.id = e.file_id WHERE e.ts IS NOT NULL AND "
					+ filter(projectDir, origin, null, params) + " GROUP BY " + FileQueries.API_ERROR_KEY)
			.params(params)
			.query(Long.class)
			.list();
	}

	/** Every model id that has estimated or unpriced counted responses. */
	List<UnknownModelRow> unknownModels() {
		return this.jdbc.sql("""
				SELECT model, MIN(bucket) AS first_bucket, MAX(bucket) AS last_bucket, SUM(messages) AS messages,
				  SUM(input_tokens + output_tokens + cache_write_5m + cache_write_1h + cache_read) AS tokens,
				  SUM(estimated_messages) AS estimated, SUM(unpriced_messages) AS unpriced
				FROM usage_rollup GROUP BY model HAVING SUM(estimated_messages) > 0 OR SUM(unpriced_messages) > 0
				ORDER BY model
				""").query(RecordRowMapper.of(UnknownModelRow.class)).list();
	}

	/**
	 * A session's API errors, oldest first; one that a side question's transcript replays
	 * (the same time, kind and text) once, in the transcript that logged it first (the
	 * main one before a subagent's).
	 */
	List<ApiErrorRow> apiErrors(String projectDir, String sessionId) {
		return this.jdbc.sql("""
				SELECT e.ts, e.kind, e.text, MIN(COALESCE(f.agent_id, '')) AS agent_id FROM api_error e
				JOIN source_file f ON f.id = e.file_id
				WHERE f.project_dir = :p AND f.session_id = :s
				GROUP BY e.ts, e.kind, e.text ORDER BY e.ts, MIN(e.file_id), MIN(e.line_offset)
				""").param("p", projectDir).param("s", sessionId).query(RecordRowMapper.of(ApiErrorRow.class)).list();
	}

	/** Models used per session of a project. */
	Map<String, TreeSet<String>> modelsBySession(String projectDir) {
		Map<String, TreeSet<String>> models = new HashMap<>();
		this.jdbc.sql("""
				SELECT DISTINCT f.session_id, r.model FROM usage_rollup r JOIN source_file f ON f.id = r.file_id
				WHERE f.project_dir = :p AND f.session_id IS NOT NULL AND r.model <> ''
				""").param("p", projectDir).query((rs) -> {
			models.computeIfAbsent(rs.getString("session_id"), (k) -> new TreeSet<>()).add(rs.getString("model"));
		});
		return models;
	}

	/**
	 * Inline sidechain agents per session (subagent work logged inside the main file).
	 */
	Map<String, Long> inlineAgentsBySession(String projectDir) {
		Map<String, Long> counts = new HashMap<>();
		this.jdbc.sql("""
				SELECT f.session_id, COUNT(DISTINCT r.agent_id) AS agents FROM usage_rollup r
				JOIN source_file f ON f.id = r.file_id
				WHERE f.project_dir = :p AND f.kind = 'MAIN' AND r.agent_id <> '' GROUP BY f.session_id
				""").param("p", projectDir).query((rs) -> {
			counts.put(rs.getString("session_id"), rs.getLong("agents"));
		});
		return counts;
	}

	/** A session broken down by agent ('' = main), with the models each used. */
	List<AgentRow> agents(String projectDir, String sessionId, Map<String, TreeSet<String>> modelsOut) {
		Map<String, AgentRow> rows = new LinkedHashMap<>();
		this.jdbc.sql("SELECT r.agent_id, MIN(f.kind) AS kind, r.model, " + Sums.select("r")
				+ "FROM usage_rollup r JOIN source_file f ON f.id = r.file_id"
				+ " WHERE f.project_dir = :p AND f.session_id = :s GROUP BY r.agent_id, r.model ORDER BY r.agent_id, r.model")
			.param("p", projectDir)
			.param("s", sessionId)
			.query((rs) -> {
				String agent = rs.getString("agent_id");
				rows.merge(agent, new AgentRow(agent, rs.getString("kind"), Sums.read(rs)),
						(a, b) -> new AgentRow(a.agentId(), a.kind(), a.sums().plus(b.sums())));
				String model = rs.getString("model");
				if (!model.isEmpty()) {
					modelsOut.computeIfAbsent(agent, (k) -> new TreeSet<>()).add(model);
				}
			});
		return new ArrayList<>(rows.values());
	}

	/**
	 * A session's counted usage by model ('' for none), or one agent's ({@code agent} not
	 * {@code null}; '' is the main conversation).
	 */
	Map<String, Sums> sessionModels(String projectDir, String sessionId, String agent) {
		Map<String, Sums> byModel = new TreeMap<>();
		String where = (agent != null) ? " AND r.agent_id = :a" : "";
		var spec = this.jdbc
			.sql("SELECT r.model, " + Sums.select("r") + "FROM usage_rollup r JOIN source_file f ON f.id = r.file_id"
					+ " WHERE f.project_dir = :p AND f.session_id = :s" + where + " GROUP BY r.model")
			.param("p", projectDir)
			.param("s", sessionId);
		if (agent != null) {
			spec = spec.param("a", agent);
		}
		spec.query((rs) -> {
			byModel.merge(rs.getString("model"), Sums.read(rs), Sums::plus);
		});
		return byModel;
	}

	/** One subagent's (or inline sidechain's) counted usage in a session. */
	record SessionAgentRow(String projectDir, String sessionId, String agentId, String kind, Sums sums) {

	}

	/**
	 * A session's usage in a bucket range (its main conversation and agents together).
	 */
	record SessionUsageRow(String projectDir, String sessionId, Sums sums) {

	}

	/** A project's usage in a bucket range, and how many of its sessions had some. */
	record ProjectUsageRow(String projectDir, long sessions, Sums sums) {

	}

	/**
	 * Every project with usage in a time range (epoch milliseconds, the end exclusive;
	 * either open; read as {@link Range} says), optionally of one origin: its counted
	 * usage in the range and the sessions it came from.
	 */
	List<ProjectUsageRow> projectUsage(String origin, Long from, Long to) {
		Map<String, Object> params = new TreeMap<>();
		Range range = Range.of(from, to, params);
		String sql = "SELECT f.project_dir, COUNT(DISTINCT f.session_id) AS sessions, " + Sums.select("r") + "FROM "
				+ range.rows() + " r JOIN source_file f ON f.id = r.file_id WHERE "
				+ filter(null, origin, range, params) + " GROUP BY f.project_dir";
		return this.jdbc.sql(sql)
			.params(params)
			.query((rs, i) -> new ProjectUsageRow(rs.getString("project_dir"), rs.getLong("sessions"), Sums.read(rs)))
			.list();
	}

	/**
	 * Every session with usage in a time range (epoch milliseconds, the end exclusive;
	 * either open; {@link Range}), of one origin or every one ({@code null}): its
	 * transcripts' counted usage in the range, subagents included.
	 */
	List<SessionUsageRow> sessionUsage(String origin, Long from, Long to) {
		Map<String, Object> params = new TreeMap<>();
		Range range = Range.of(from, to, params);
		String sql = "SELECT f.project_dir, f.session_id, " + Sums.select("r") + "FROM " + range.rows()
				+ " r JOIN source_file f ON f.id = r.file_id WHERE f.session_id IS NOT NULL AND "
				+ filter(null, origin, range, params) + " GROUP BY f.project_dir, f.session_id";
		return this.jdbc.sql(sql)
			.params(params)
			.query((rs, i) -> new SessionUsageRow(rs.getString("project_dir"), rs.getString("session_id"),
					Sums.read(rs)))
			.list();
	}

	/**
	 * Every subagent and inline sidechain of every session with its usage in a time range
	 * (epoch milliseconds, the end exclusive; either open; {@link Range}), of one origin
	 * or every one ({@code null}); the main conversation ({@code ''}) is left out.
	 */
	List<SessionAgentRow> sessionAgents(String origin, Long from, Long to) {
		Map<String, Object> params = new TreeMap<>();
		Range range = Range.of(from, to, params);
		String sql = "SELECT f.project_dir, f.session_id, r.agent_id, MIN(f.kind) AS kind, " + Sums.select("r")
				+ "FROM " + range.rows() + " r JOIN source_file f ON f.id = r.file_id WHERE r.agent_id <> '' AND "
				+ "f.session_id IS NOT NULL AND " + filter(null, origin, range, params)
				+ " GROUP BY f.project_dir, f.session_id, r.agent_id";
		return this.jdbc.sql(sql)
			.params(params)
			.query((rs, i) -> new SessionAgentRow(rs.getString("project_dir"), rs.getString("session_id"),
					rs.getString("agent_id"), rs.getString("kind"), Sums.read(rs)))
			.list();
	}

	/**
	 * Rollups by bucket and model, optionally for one project, one origin and a time
	 * range (epoch milliseconds, the end exclusive; {@link Range}). Over every project
	 * and origin of a range on buckets, from {@code usage_bucket} (the rollups already
	 * summed over files by every commit).
	 */
	List<BucketRow> buckets(String projectDir, String origin, Long from, Long to) {
		Map<String, Object> params = new TreeMap<>();
		boolean global = projectDir == null && origin == null;
		Range range = Range.of(from, to, params, global);
		String rows = global ? "FROM " + range.rows() + " r WHERE "
				: "FROM " + range.rows() + " r JOIN source_file f ON f.id = r.file_id WHERE ";
		String sql = "SELECT r.bucket, r.model, " + Sums.select("r") + rows + filter(projectDir, origin, range, params)
				+ " GROUP BY r.bucket, r.model";
		return this.jdbc.sql(sql)
			.params(params)
			.query((rs, i) -> new BucketRow(rs.getLong("bucket"), rs.getString("model"), Sums.read(rs)))
			.list();
	}

	/**
	 * Sessions and projects with counted usage in a time range (epoch milliseconds, the
	 * end exclusive; {@link Range}).
	 * @return {@code [sessions, projects]}
	 */
	long[] activeSessionsAndProjects(String projectDir, String origin, Long from, Long to) {
		Map<String, Object> params = new TreeMap<>();
		Range range = Range.of(from, to, params);
		String sql = "SELECT COUNT(DISTINCT f.project_dir || '/' || f.session_id) AS sessions, "
				+ "COUNT(DISTINCT f.project_dir) AS projects FROM " + range.rows()
				+ " r JOIN source_file f ON f.id = r.file_id WHERE f.session_id IS NOT NULL AND "
				+ filter(projectDir, origin, range, params);
		return this.jdbc.sql(sql)
			.params(params)
			.query((rs, i) -> new long[] { rs.getLong("sessions"), rs.getLong("projects") })
			.single();
	}

	/** A 15-minute bucket, in milliseconds (the rollups' buckets are in seconds). */
	private static final long BUCKET_MS = 900_000;

	/**
	 * The rows a range of time reads (epoch milliseconds, the end exclusive; either
	 * open), as rows of {@code usage_rollup}'s columns. A range whose bounds are open or
	 * on a 15-minute bucket reads the rollups, filtered by bucket ({@link #fromBucket},
	 * {@link #toBucket}). A bound inside a bucket (an ISO-8601 instant such as
	 * {@code 11:10:00.001Z}) would take or leave that bucket whole: such a range reads
	 * the rollups of its whole buckets and, for its part of a bucket at either end, the
	 * counted usage copies themselves (each its own row, to the millisecond); its rows
	 * are then not filtered by bucket again (a copy's bucket may start before the range).
	 *
	 * @param rows {@code usage_rollup} ({@code usage_bucket} over every file), or the
	 * derived table of the exact range
	 * @param fromBucket the first bucket to read from {@code rows} (epoch seconds), or
	 * {@code null}
	 * @param toBucket the bucket before which to stop (epoch seconds), or {@code null}
	 */
	private record Range(String rows, Long fromBucket, Long toBucket) {

		/**
		 * The rollup's summed columns, as a copy gives them (one message each; its
		 * "bucket" the second of its time: its day in any zone, and a first activity
		 * within the range).
		 */
		private static final String COPY_COLUMNS = """
				c.file_id, c.ts / 1000 AS bucket, c.model, c.agent_id, 1 AS messages, c.input_tokens,
				  c.output_tokens, c.cache_write_5m, c.cache_write_1h, c.cache_read, c.cost_input, c.cost_output,
				  c.cost_cache_write, c.cost_cache_read, COALESCE(c.cost_logged, 0) AS cost_logged,
				  CASE WHEN c.cost_logged IS NULL THEN 0
				    ELSE c.cost_input + c.cost_output + c.cost_cache_write + c.cost_cache_read + c.cost_web_search END
				    AS cost_calc_of_logged,
				  CASE WHEN c.priced THEN 0 ELSE 1 END AS unpriced_messages, c.web_searches, c.cost_web_search,
				  CASE WHEN c.estimated THEN 1 ELSE 0 END AS estimated_messages""";

		/**
		 * The same columns of a {@code usage_bucket} row (no file, no agent: only its
		 * bucket, model and sums are read over every file).
		 */
		private static final String GLOBAL_COLUMNS = """
				NULL AS file_id, bucket, model, '' AS agent_id, messages, input_tokens, output_tokens, cache_write_5m,
				  cache_write_1h, cache_read, cost_input, cost_output, cost_cache_write, cost_cache_read, cost_logged,
				  cost_calc_of_logged, unpriced_messages, web_searches, cost_web_search, estimated_messages""";

		/** The same columns of a rollup row. */
		private static final String ROLLUP_COLUMNS = """
				file_id, bucket, model, agent_id, messages, input_tokens, output_tokens, cache_write_5m, cache_write_1h,
				  cache_read, cost_input, cost_output, cost_cache_write, cost_cache_read, cost_logged,
				  cost_calc_of_logged, unpriced_messages, web_searches, cost_web_search, estimated_messages""";

		/** The range's rows, its parameters added to {@code params}. */
		static Range of(Long from, Long to, Map<String, Object> params) {
			return of(from, to, params, false);
		}

		/**
		 * The range's rows, its parameters added to {@code params}; over every file
		 * ({@code global}: no file column read), the whole buckets come from
		 * {@code usage_bucket} (the rollups summed over files by every commit), as a
		 * range on buckets reads them.
		 */
		static Range of(Long from, Long to, Map<String, Object> params, boolean global) {
			boolean fromOnBucket = from == null || Math.floorMod(from, BUCKET_MS) == 0;
			boolean toOnBucket = to == null || Math.floorMod(to, BUCKET_MS) == 0;
			if (fromOnBucket && toOnBucket) {
				return new Range(global ? "usage_bucket" : "usage_rollup", seconds(from), seconds(to));
			}
			// whole buckets: from the first bucket start at or after from, to the last
			// at or before to
			Long wholeFrom = (from == null) ? null : Math.floorDiv(from + BUCKET_MS - 1, BUCKET_MS) * BUCKET_MS;
			Long wholeTo = (to == null) ? null : Math.floorDiv(to, BUCKET_MS) * BUCKET_MS;
			List<String> parts = new ArrayList<>();
			if (wholeFrom != null && wholeTo != null && wholeFrom >= wholeTo) {
				// within one bucket, or across one bucket boundary: every copy
				parts.add(copies(params, 0, from, to));
			}
			else {
				List<String> whole = new ArrayList<>();
				if (wholeFrom != null) {
					whole.add("bucket >= :range_whole_from");
					params.put("range_whole_from", seconds(wholeFrom));
				}
				if (wholeTo != null) {
					whole.add("bucket < :range_whole_to");
					params.put("range_whole_to", seconds(wholeTo));
				}
				parts.add("SELECT "
						+ (global ? GLOBAL_COLUMNS + " FROM usage_bucket" : ROLLUP_COLUMNS + " FROM usage_rollup")
						+ " WHERE " + String.join(" AND ", whole));
				// an edge each, its own part (an OR of the two read every copy)
				if (!fromOnBucket) {
					parts.add(copies(params, 0, from, wholeFrom));
				}
				if (!toOnBucket) {
					parts.add(copies(params, 1, wholeTo, to));
				}
			}
			return new Range("(" + String.join(" UNION ALL ", parts) + ")", null, null);
		}

		private static Long seconds(Long ms) {
			return (ms != null) ? Math.floorDiv(ms, 1000L) : null;
		}

		/**
		 * The counted copies of {@code [from, to)} (epoch milliseconds), read only in the
		 * files with lines in it (as {@code countedRecords}: an edge is less than a
		 * bucket, whatever the range).
		 */
		private static String copies(Map<String, Object> params, int i, long from, long to) {
			params.put("range_copies_from_" + i, from);
			params.put("range_copies_to_" + i, to);
			return "SELECT " + COPY_COLUMNS
					+ " FROM usage_copy c WHERE c.counted = TRUE AND c.ts >= :range_copies_from_" + i
					+ " AND c.ts < :range_copies_to_" + i
					+ " AND c.file_id IN (SELECT id FROM source_file WHERE last_ts >= :range_copies_from_" + i
					+ " AND first_ts < :range_copies_to_" + i + ")";
		}

	}

	/**
	 * The conditions on rollup {@code r} joined to file {@code f} for an optional
	 * project, origin and range (its buckets, when it reads them whole), with their
	 * parameters (values are always bound, never written into the SQL).
	 */
	private static String filter(String projectDir, String origin, Range range, Map<String, Object> params) {
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
		if (range != null && range.fromBucket() != null) {
			where.add("r.bucket >= :from");
			params.put("from", range.fromBucket());
		}
		if (range != null && range.toBucket() != null) {
			where.add("r.bucket < :to");
			params.put("to", range.toBucket());
		}
		return String.join(" AND ", where);
	}

	/**
	 * Counted usage records in a time range (epoch ms, the end exclusive), oldest first
	 * (records of the same millisecond in no set order); optionally for one project.
	 * Sorted here, not by the database: H2 sorts a result past its
	 * {@code MAX_MEMORY_ROWS} through temporary files, which took 6 of the 10 s of the
	 * query for three weeks of a 15,000-file history (463,089 records).
	 */
	List<RecordRow> countedRecords(String projectDir, long fromMs, long toMs) {
		// a copy's columns as a rollup row's (Range), read as Sums reads a sum
		String sql = "SELECT r.ts, r.model, " + Sums.columns("r") + "FROM (SELECT c.ts, " + Range.COPY_COLUMNS
				+ " FROM usage_copy c "
				// only the copies of files with lines in the range (a copy's time is one
				// of its file's lines'): the file index instead of every copy of the
				// history, which took ~200 ms on a 0.9 GB one at each append of a live
				// session
				+ "WHERE c.file_id IN (SELECT id FROM source_file WHERE last_ts >= :from AND first_ts < :to"
				+ ((projectDir != null) ? " AND project_dir = :p" : "") + ") "
				+ "AND c.counted = TRUE AND c.ts >= :from AND c.ts < :to) r";
		var spec = this.jdbc.sql(sql).param("from", fromMs).param("to", toMs);
		if (projectDir != null) {
			spec = spec.param("p", projectDir);
		}
		List<RecordRow> records = new ArrayList<>(
				spec.query((rs, i) -> new RecordRow(rs.getLong("ts"), rs.getString("model"), Sums.read(rs))).list());
		records.sort(Comparator.comparingLong(RecordRow::ts));
		return records;
	}

}
