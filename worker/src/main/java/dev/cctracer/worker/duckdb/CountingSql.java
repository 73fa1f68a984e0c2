package dev.cctracer.worker.duckdb;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * The counting rules of DESIGN.md written in DuckDB SQL, independent of the Java engine:
 * every line of the committed bytes, the usage copies with the 5m/1h split, the sidechain
 * rule, and per ({@code message.id}, {@code requestId}) the copy with the most tokens
 * (ties: first path).
 */
public final class CountingSql {

	private CountingSql() {
	}

	/**
	 * Loads the file table (read path → real path, project, session, agent) under a
	 * job-unique name.
	 */
	public static String loadFiles(Connection connection, CommittedFiles files) throws SQLException {
		String table = "files_" + System.nanoTime();
		try (Statement s = connection.createStatement()) {
			s.execute("CREATE TABLE " + table
					+ " (read_path VARCHAR, real_path VARCHAR, project VARCHAR, session VARCHAR, agent VARCHAR)");
		}
		try (DuckDBAppender a = ((DuckDBConnection) connection).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
				table)) {
			Map<String, CommittedFiles.FileMeta> all = new LinkedHashMap<>(files.readPaths());
			all.putAll(files.parquetPaths());
			for (Map.Entry<String, CommittedFiles.FileMeta> e : all.entrySet()) {
				a.beginRow();
				a.append(e.getKey());
				a.append(e.getValue().realPath());
				a.append(e.getValue().project());
				a.append(e.getValue().session());
				a.append(e.getValue().agent());
				a.endRow();
			}
		}
		return table;
	}

	public static void drop(Connection connection, String table) throws SQLException {
		try (Statement s = connection.createStatement()) {
			s.execute("DROP TABLE IF EXISTS " + table);
		}
	}

	/** The columns of an archived line, in order. */
	public static final String ARCHIVE_COLUMNS = "type, \"timestamp\", uuid, requestId, isSidechain, agentId, costUSD, message";

	private static final String MESSAGE = "STRUCT(id VARCHAR, model VARCHAR, usage JSON)";

	private static final String MESSAGE_WITH_CONTENT = "STRUCT(id VARCHAR, model VARCHAR, usage JSON, content JSON)";

	/**
	 * The DuckDB read of JSONL lines with the columns the archive keeps
	 * ({@link #ARCHIVE_COLUMNS}).
	 */
	public static String readJsonl(String listLiteral, boolean withContent) {
		return """
				read_json(%s, format = 'newline_delimited', filename = true, ignore_errors = true,
				    maximum_object_size = 67108864,
				    columns = {type: 'VARCHAR', "timestamp": 'VARCHAR', uuid: 'VARCHAR', requestId: 'VARCHAR',
				               isSidechain: 'BOOLEAN',
				               agentId: 'VARCHAR', costUSD: 'DOUBLE', message: '%s'})
				""".formatted(listLiteral, withContent ? MESSAGE_WITH_CONTENT : MESSAGE);
	}

	/**
	 * CTEs {@code lines} (every line: f, project, session, agent, rn, ts, type, mid, rid,
	 * side, model, u, c, line_agent, logged_usd) and {@code winners} (one row per counted
	 * usage record: f, project, session, agent ('' for the main agent, as the ingest
	 * attributes it), key, kr, ts, model, fast, logged_usd, inp, outp, w5m, w1h, rd, ws —
	 * web searches), for a query to continue with ", name AS (…) SELECT …". Lines come
	 * from the Parquet archive where a file is archived at its committed offset, else
	 * from JSONL.
	 * @param withContent whether {@code message.content} is read (needed for tool calls;
	 * costly)
	 */
	public static String winners(String filesTable, CommittedFiles files, boolean withContent) {
		String split = "(json_extract(u, '$.cache_creation.ephemeral_5m_input_tokens') IS NOT NULL"
				+ " OR json_extract(u, '$.cache_creation.ephemeral_1h_input_tokens') IS NOT NULL)";
		List<String> sources = new ArrayList<>();
		if (!files.readPaths().isEmpty()) {
			sources.add("SELECT filename AS rf, " + ARCHIVE_COLUMNS + ", row_number() OVER () AS rn FROM "
					+ readJsonl(files.listLiteral(), withContent));
		}
		if (!files.parquetPaths().isEmpty()) {
			String message = withContent ? "message"
					: "struct_pack(id := message.id, model := message.model, usage := message.usage)";
			sources.add("SELECT filename AS rf, type, \"timestamp\", uuid, requestId, isSidechain, agentId, costUSD, "
					+ message + " AS message, rn FROM read_parquet(" + files.parquetListLiteral()
					+ ", filename = true)");
		}
		return """
				WITH src AS (%s),
				raw AS (
				  SELECT rf, type, epoch_ms(TRY_CAST("timestamp" AS TIMESTAMP)) AS ts, uuid, message.id AS mid,
				    requestId AS rid, coalesce(isSidechain, false) AS side, message.model AS model, message.usage AS u,
				    agentId AS line_agent, costUSD AS logged_usd, %s AS c, rn
				  FROM src
				),
				lines AS (
				  SELECT m.real_path AS f, m.project, m.session, m.agent, raw.* EXCLUDE (rf)
				  FROM raw JOIN %s m ON m.read_path = raw.rf
				),
				copies AS (
				  SELECT f, project, session, mid, coalesce(rid, '') AS rid, side, rn, ts, coalesce(model, '') AS model,
				    CASE WHEN agent IS NOT NULL THEN agent WHEN side THEN coalesce(line_agent, 'sidechain') ELSE '' END
				      AS agent, logged_usd,
				    coalesce(json_extract_string(u, '$.speed') = 'fast', false) AS fast,
				    greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.input_tokens') AS BIGINT), 0)) AS inp,
				    greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.output_tokens') AS BIGINT), 0)) AS outp,
				    CASE WHEN %s
				      THEN greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_creation.ephemeral_5m_input_tokens') AS BIGINT), 0))
				      ELSE greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_creation_input_tokens') AS BIGINT), 0)) END AS w5m,
				    CASE WHEN %s
				      THEN greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_creation.ephemeral_1h_input_tokens') AS BIGINT), 0))
				      ELSE 0 END AS w1h,
				    greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_read_input_tokens') AS BIGINT), 0)) AS rd,
				    greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.server_tool_use.web_search_requests') AS BIGINT), 0))
				      AS ws
				  FROM lines WHERE u IS NOT NULL AND json_type(u) = 'OBJECT' AND coalesce(model, '') <> '<synthetic>'
				),
				main_ids AS (SELECT DISTINCT mid FROM copies WHERE mid IS NOT NULL AND NOT side),
				eligible AS (SELECT * FROM copies WHERE mid IS NULL OR NOT side OR mid NOT IN (SELECT mid FROM main_ids)),
				ranked AS (
				  SELECT *, coalesce(mid, f || '#' || rn) AS key, CASE WHEN mid IS NULL THEN '' ELSE rid END AS kr,
				    row_number() OVER (
				      PARTITION BY coalesce(mid, f || '#' || rn), CASE WHEN mid IS NULL THEN '' ELSE rid END
				      ORDER BY inp + outp + w5m + w1h + rd DESC, f) AS k
				  FROM eligible
				),
				winners AS (SELECT * EXCLUDE (k) FROM ranked WHERE k = 1)
				"""
			.formatted(String.join(" UNION ALL ", sources), withContent ? "message.content" : "NULL::JSON", filesTable,
					split, split);
	}

	/**
	 * An expression of a {@code winners} row's cost in pico-USD, given the price table
	 * joined as {@code p}: tokens plus the web-search fee.
	 * @param webSearchPico the fee of one web search, pico-USD
	 */
	public static String costExpression(long webSearchPico) {
		return "w.ws * " + webSearchPico + " + "
				+ """
						CASE WHEN p.model IS NULL THEN 0
						  WHEN w.fast AND w.inp + w.w5m + w.w1h + w.rd > p.threshold
						    THEN w.inp * p.fl_in + w.outp * p.fl_out + w.w5m * p.fl_w5 + w.w1h * p.fl_w1 + w.rd * p.fl_rd
						  WHEN w.fast THEN w.inp * p.fb_in + w.outp * p.fb_out + w.w5m * p.fb_w5 + w.w1h * p.fb_w1 + w.rd * p.fb_rd
						  WHEN w.inp + w.w5m + w.w1h + w.rd > p.threshold
						    THEN w.inp * p.l_in + w.outp * p.l_out + w.w5m * p.l_w5 + w.w1h * p.l_w1 + w.rd * p.l_rd
						  ELSE w.inp * p.b_in + w.outp * p.b_out + w.w5m * p.b_w5 + w.w1h * p.b_w1 + w.rd * p.b_rd END
						""";
	}

	static String literal(String value) {
		return DuckDbEngine.literal(value);
	}

	/**
	 * The CTEs {@code blocks} (each content block of each line read with content) and
	 * {@code uses} (its {@code tool_use} blocks with an id: the message key {@code key}
	 * and {@code kr} of {@link #winners}, the line's {@code ts}, the call's {@code id}
	 * and {@code name}), after {@code winners(true)}; a response's copies repeat its
	 * calls, so readers take each id once.
	 */
	public static final String TOOL_USES = """
			, blocks AS (
			  SELECT f, mid, coalesce(rid, '') AS rid, rn, ts, unnest(json_extract(c, '$[*]')) AS b
			  FROM lines WHERE c IS NOT NULL AND json_type(c) = 'ARRAY'
			),
			uses AS (
			  SELECT coalesce(mid, f || '#' || rn) AS key, CASE WHEN mid IS NULL THEN '' ELSE rid END AS kr, ts,
			    json_extract_string(b, '$.id') AS id, json_extract_string(b, '$.name') AS name
			  FROM blocks WHERE json_extract_string(b, '$.type') = 'tool_use' AND json_extract_string(b, '$.id') IS NOT NULL
			),
			""";

}
