package dev.cctracer.worker.facts;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The counting rules of DESIGN.md written in DuckDB SQL over the entry-level facts
 * ({@link dev.cctracer.worker.facts.FactsStore}): the usage records the ingest's parser
 * found, the sidechain rule, and per ({@code message.id}, {@code requestId}) the copy
 * with the most tokens (ties: a line not forked from another session, a file on disk,
 * first path). The facts come from the same parser as the incremental totals, so no line
 * is read differently here.
 */
public final class CountingSql {

	private CountingSql() {
	}

	/**
	 * Loads the file table (id → real path, path below its Claude root, project, session,
	 * agent, whether the file is deleted), the segment table (file id, generation, range:
	 * the lines of the batches that count) and the table of forked copies (file id,
	 * message id, request id: the responses a file holds as Claude Code's copies of
	 * another session's lines, which lose the dedup's ties) under job-unique names.
	 * @param forks the stored copies marked forked
	 * ({@link UsageCopyRepository#forkedCopies})
	 * @return {file table, segment table, forked copies table}
	 */
	public static String[] loadFiles(Connection connection, CommittedFiles files,
			List<UsageCopyRepository.ForkedCopy> forks) throws SQLException {
		String table = "files_" + System.nanoTime();
		String segs = "segs_" + System.nanoTime();
		String forked = "forks_" + System.nanoTime();
		try (Statement s = connection.createStatement()) {
			s.execute("CREATE TABLE " + table
					+ " (id BIGINT, real_path VARCHAR, rel_path VARCHAR, project VARCHAR, session VARCHAR, agent VARCHAR,"
					+ " gone BOOLEAN)");
			s.execute("CREATE TABLE " + segs + " (file_id BIGINT, gen INTEGER, from_offset BIGINT, to_offset BIGINT)");
			s.execute("CREATE TABLE " + forked + " (file_id BIGINT, mid VARCHAR, rid VARCHAR)");
		}
		DuckDBConnection duck = (DuckDBConnection) connection;
		try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, table)) {
			for (CommittedFiles.FileMeta f : files.all()) {
				a.beginRow();
				a.append(f.id());
				a.append(f.realPath());
				Appenders.string(a, f.relPath());
				Appenders.string(a, f.project());
				Appenders.string(a, f.session());
				Appenders.string(a, f.agent());
				a.append(f.deleted());
				a.endRow();
			}
		}
		try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, segs)) {
			for (FactSegmentRepository.Segment s : files.segments()) {
				a.beginRow();
				a.append(s.fileId());
				a.append(s.generation());
				a.append(s.fromOffset());
				a.append(s.toOffset());
				a.endRow();
			}
		}
		try (DuckDBAppender a = duck.createAppender(DuckDBConnection.DEFAULT_SCHEMA, forked)) {
			for (UsageCopyRepository.ForkedCopy f : forks) {
				a.beginRow();
				a.append(f.fileId());
				Appenders.string(a, f.messageId());
				Appenders.string(a, (f.requestId() != null) ? f.requestId() : "");
				a.endRow();
			}
		}
		return new String[] { table, segs, forked };
	}

	public static void drop(Connection connection, String table) throws SQLException {
		try (Statement s = connection.createStatement()) {
			s.execute("DROP TABLE IF EXISTS " + table);
		}
	}

	/**
	 * CTEs {@code lines} (every line that is a JSON object: f — its real path, the dedup
	 * rule's key after gone, whether its file is deleted —, rel — its path below its
	 * Claude root —, project, session, agent, fid, rn — its byte offset, ts, type, uuid,
	 * mid, rid, side, model, line_agent, logged_usd, usage, fast, geo, the tokens, ws and
	 * {@code c}, its searchable text) and {@code winners} (one row per counted usage
	 * record: f, project, session, agent ('' for the main agent, as the ingest attributes
	 * it), key, kr, rn, ts, model, fast, geo — its {@code inference_geo} where a price
	 * may depend on it —, logged_usd, inp, outp, w5m, w1h, rd, ws — web searches), for a
	 * query to continue with ", name AS (…) SELECT …".
	 */
	public static String winners(String[] tables, CommittedFiles files) {
		return """
				WITH lines AS (
				  SELECT m.real_path AS f, m.gone, m.rel_path AS rel, m.project, m.session, m.agent, e.file_id AS fid,
				    e.off AS rn,
				    e.ts, e.type,
				    e.uuid, e.mid, e.rid, e.side, e.model, e.line_agent, e.logged_usd, e.usage, e.fast, e.geo, e.inp,
				    e.outp, e.w5m, e.w1h, e.rd, e.ws, e.text AS c
				  FROM read_parquet(%s) e
				  JOIN %s s ON s.file_id = e.file_id AND s.gen = e.gen AND e.off >= s.from_offset AND e.off < s.to_offset
				  JOIN %s m ON m.id = e.file_id
				),
				copies AS (
				  SELECT f, gone, fid, project, session, mid, coalesce(rid, '') AS rid, side, rn, ts,
				    coalesce(model, '') AS model,
				    CASE WHEN agent IS NOT NULL THEN agent WHEN side THEN coalesce(line_agent, 'sidechain') ELSE '' END
				      AS agent, logged_usd, fast, geo, inp, outp, w5m, w1h, rd, ws
				  FROM lines WHERE usage
				),
				main_ids AS (SELECT DISTINCT mid FROM copies WHERE mid IS NOT NULL AND NOT side),
				eligible AS (SELECT * FROM copies WHERE mid IS NULL OR NOT side OR mid NOT IN (SELECT mid FROM main_ids)),
				ranked AS (
				  SELECT e.*, coalesce(e.mid, e.f || '#' || e.rn) AS key,
				    CASE WHEN e.mid IS NULL THEN '' ELSE e.rid END AS kr,
				    row_number() OVER (
				      PARTITION BY coalesce(e.mid, e.f || '#' || e.rn), CASE WHEN e.mid IS NULL THEN '' ELSE e.rid END
				      ORDER BY e.inp + e.outp + e.w5m + e.w1h + e.rd DESC, x.file_id IS NOT NULL, e.gone, e.f, e.rn) AS k
				  FROM eligible e LEFT JOIN %s x ON x.file_id = e.fid AND x.mid = e.mid AND x.rid = e.rid
				),
				winners AS (SELECT * EXCLUDE (k, gone, fid) FROM ranked WHERE k = 1)
				"""
			.formatted(files.entriesLiteral(), tables[1], tables[0], tables[2]);
	}

	/**
	 * The CTE {@code priced}: every {@code winners} row ({@link #winners}) with
	 * {@code cost_pico}, its cost in pico-USD by the price card in force at its time
	 * ({@link #costExpression}) and its {@code inference_geo}'s multiplier where the card
	 * has one, as {@code PriceTable} prices it (the table's row for that geo when the
	 * card names it, else its row for none), {@code priced_as}, the id of that card
	 * ({@code null} when none applies: the cost is then the web searches' fee alone), and
	 * {@code estimated}, whether the card is the family's newest for an id the table does
	 * not list, for a query to continue after the CTEs before it.
	 * @param webSearchPico the fee of one web search, pico-USD
	 * @param priceTable the price table's name ({@link DuckPriceTable#load})
	 */
	static String priced(long webSearchPico, String priceTable) {
		return """
				priced AS (
				  SELECT w.*, %1$s AS cost_pico, p.card AS priced_as, coalesce(p.estimated, false) AS estimated
				  FROM winners w
				  LEFT JOIN (SELECT DISTINCT model, geo FROM %2$s WHERE geo <> '') g ON g.model = w.model AND g.geo = w.geo
				  LEFT JOIN %2$s p
				    ON p.model = w.model AND coalesce(w.ts, 0) >= p.from_ms AND coalesce(w.ts, 0) < p.to_ms
				      AND p.geo = coalesce(g.geo, '')
				)
				"""
			.formatted(costExpression(webSearchPico), priceTable);
	}

	/**
	 * An expression of a {@code winners} row's cost in pico-USD, given the price table
	 * joined as {@code p}: tokens plus the web-search fee.
	 * @param webSearchPico the fee of one web search, pico-USD
	 */
	private static String costExpression(long webSearchPico) {
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
	 * The CTEs {@code tools} (every tool block of the facts: f, off, ts, mid, rid, use,
	 * id, name, error) and {@code uses} (its {@code tool_use} blocks: the message key
	 * {@code key} and {@code kr} of {@link #winners}, the line's {@code ts}, the call's
	 * {@code id} and {@code name}), after {@code winners}; a response's copies repeat its
	 * calls, so readers take each id once.
	 */
	public static String toolUses(String[] tables, CommittedFiles files) {
		return """
				, tools AS (
				  SELECT m.real_path AS f, t.off, t.ts, t.mid, t.rid, t.use, t.id, t.name, t.error
				  FROM read_parquet(%s) t
				  JOIN %s s ON s.file_id = t.file_id AND s.gen = t.gen AND t.off >= s.from_offset AND t.off < s.to_offset
				  JOIN %s m ON m.id = t.file_id
				),
				uses AS (
				  SELECT coalesce(mid, f || '#' || off) AS key, CASE WHEN mid IS NULL THEN '' ELSE coalesce(rid, '') END
				    AS kr, ts, id, name
				  FROM tools WHERE use
				),
				"""
			.formatted(files.toolsLiteral(), tables[1], tables[0]);
	}

}
