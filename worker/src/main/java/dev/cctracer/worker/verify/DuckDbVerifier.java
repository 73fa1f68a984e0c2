package dev.cctracer.worker.verify;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Recomputes every file's counted totals from scratch with DuckDB — the dedup rules
 * written again in SQL, independent of the incremental engine — and compares them with
 * the incremental totals.
 * <p>
 * Files are read only up to their committed offset (a file that grew since is copied up
 * to that offset into the scratch dir first), so both sides look at the same bytes.
 * Deleted files cannot be re-read and are reported, not compared.
 */
@Component
public class DuckDbVerifier {

	private static final String[] MEASURES = { "messages", "input_tokens", "output_tokens", "cache_write_5m",
			"cache_write_1h", "cache_read" };

	private final JdbcClient jdbc;

	private final DuckDbEngine duckdb;

	public DuckDbVerifier(JdbcClient jdbc, DuckDbEngine duckdb) {
		this.jdbc = jdbc;
		this.duckdb = duckdb;
	}

	/** One file whose totals differ. */
	public record Difference(String file, Map<String, Long> incremental, Map<String, Long> rebuilt) {

	}

	/**
	 * The outcome.
	 *
	 * @param filesCompared files read by DuckDB and compared
	 * @param filesCopied files read through a copy of their committed prefix
	 * @param deletedFiles deleted files (history kept, not re-readable)
	 * @param incremental totals of the incremental engine over the compared files
	 * @param rebuilt totals recomputed by DuckDB
	 * @param differences files whose totals differ (at most 1,000 listed)
	 * @param differingFiles how many files differ
	 * @param equal whether every compared total is equal
	 * @param millis wall time
	 */
	public record Report(int filesCompared, int filesCopied, int deletedFiles, Map<String, Long> incremental,
			Map<String, Long> rebuilt, List<Difference> differences, int differingFiles, boolean equal, long millis) {

	}

	private record FileRow(long id, String root, String relPath, long committed, long[] totals) {

	}

	/**
	 * Runs the comparison; {@code progress} receives the number of files prepared so far.
	 */
	public Report verify(LongConsumer progress) throws IOException, SQLException {
		long started = System.nanoTime();
		List<FileRow> files = this.jdbc.sql("""
				SELECT id, root, rel_path, committed_offset, messages, input_tokens, output_tokens, cache_write_5m,
				  cache_write_1h, cache_read
				FROM source_file WHERE deleted = FALSE ORDER BY id
				""")
			.query((rs, i) -> new FileRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4),
					new long[] { rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
							rs.getLong(10) }))
			.list();
		int deleted = this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE deleted = TRUE")
			.query(Integer.class)
			.single();
		Path scratch = Files.createDirectories(this.duckdb.workDir().resolve("verify-" + System.nanoTime()));
		try {
			Map<String, FileRow> byPath = new LinkedHashMap<>();
			Map<String, String> copies = new LinkedHashMap<>();
			List<String> toRead = new ArrayList<>();
			long done = 0;
			for (FileRow f : files) {
				Path path = Path.of(f.root()).resolve(f.relPath());
				String real = path.toString();
				byPath.put(real, f);
				if (f.committed() > 0 && Files.isRegularFile(path)) {
					if (Files.size(path) == f.committed()) {
						toRead.add(real);
					}
					else {
						Path copy = scratch.resolve(f.id() + ".jsonl");
						copyPrefix(path, copy, f.committed());
						copies.put(copy.toString(), real);
						toRead.add(copy.toString());
					}
				}
				progress.accept(++done);
			}
			Map<String, long[]> rebuilt = toRead.isEmpty() ? Map.of() : query(toRead, copies);
			long[] sumIncremental = new long[MEASURES.length];
			long[] sumRebuilt = new long[MEASURES.length];
			List<Difference> differences = new ArrayList<>();
			int differing = 0;
			for (Map.Entry<String, FileRow> e : byPath.entrySet()) {
				long[] mine = e.getValue().totals();
				long[] theirs = rebuilt.getOrDefault(e.getKey(), new long[MEASURES.length]);
				for (int i = 0; i < MEASURES.length; i++) {
					sumIncremental[i] += mine[i];
					sumRebuilt[i] += theirs[i];
				}
				if (!java.util.Arrays.equals(mine, theirs)) {
					differing++;
					if (differences.size() < 1000) {
						differences.add(new Difference(e.getValue().relPath(), named(mine), named(theirs)));
					}
				}
			}
			return new Report(byPath.size(), copies.size(), deleted, named(sumIncremental), named(sumRebuilt),
					differences, differing, differing == 0, (System.nanoTime() - started) / 1_000_000);
		}
		finally {
			try (var walk = Files.walk(scratch)) {
				for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(p);
				}
			}
		}
	}

	private Map<String, long[]> query(List<String> paths, Map<String, String> copies) throws SQLException {
		StringBuilder list = new StringBuilder();
		for (String p : paths) {
			list.append((list.length() > 0) ? ", " : "").append(DuckDbEngine.literal(p));
		}
		StringBuilder mapping = new StringBuilder(
				"SELECT NULL::VARCHAR AS tmp_path, NULL::VARCHAR AS real_path WHERE false");
		copies.forEach((tmp, real) -> mapping.append(" UNION ALL SELECT ")
			.append(DuckDbEngine.literal(tmp))
			.append(", ")
			.append(DuckDbEngine.literal(real)));
		String split = "(json_extract(u, '$.cache_creation.ephemeral_5m_input_tokens') IS NOT NULL"
				+ " OR json_extract(u, '$.cache_creation.ephemeral_1h_input_tokens') IS NOT NULL)";
		String sql = """
				WITH paths AS (%s),
				raw AS (
				  SELECT filename AS f, message.id AS mid, requestId AS rid, coalesce(isSidechain, false) AS side,
				    message.usage AS u, row_number() OVER () AS rn
				  FROM read_json([%s], format = 'newline_delimited', filename = true, ignore_errors = true,
				    maximum_object_size = 67108864,
				    columns = {type: 'VARCHAR', requestId: 'VARCHAR', isSidechain: 'BOOLEAN',
				               message: 'STRUCT(id VARCHAR, usage JSON)'})
				),
				c AS (
				  SELECT coalesce(p.real_path, raw.f) AS f, mid, coalesce(rid, '') AS rid, side, rn,
				    greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.input_tokens') AS BIGINT), 0)) AS inp,
				    greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.output_tokens') AS BIGINT), 0)) AS outp,
				    CASE WHEN %s
				      THEN greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_creation.ephemeral_5m_input_tokens') AS BIGINT), 0))
				      ELSE greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_creation_input_tokens') AS BIGINT), 0)) END AS w5m,
				    CASE WHEN %s
				      THEN greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_creation.ephemeral_1h_input_tokens') AS BIGINT), 0))
				      ELSE 0 END AS w1h,
				    greatest(0, coalesce(TRY_CAST(json_extract_string(u, '$.cache_read_input_tokens') AS BIGINT), 0)) AS rd
				  FROM raw LEFT JOIN paths p ON p.tmp_path = raw.f
				  WHERE u IS NOT NULL AND json_type(u) = 'OBJECT'
				),
				main_ids AS (SELECT DISTINCT mid FROM c WHERE mid IS NOT NULL AND NOT side),
				e AS (SELECT * FROM c WHERE mid IS NULL OR NOT side OR mid NOT IN (SELECT mid FROM main_ids)),
				r AS (
				  SELECT *, row_number() OVER (
				    PARTITION BY coalesce(mid, f || '#' || rn), CASE WHEN mid IS NULL THEN '' ELSE rid END
				    ORDER BY inp + outp + w5m + w1h + rd DESC, f) AS k
				  FROM e
				)
				SELECT f, count(*), sum(inp), sum(outp), sum(w5m), sum(w1h), sum(rd) FROM r WHERE k = 1 GROUP BY f
				"""
			.formatted(mapping, list, split, split);
		Map<String, long[]> result = new LinkedHashMap<>();
		try (Connection c = this.duckdb.connection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(sql)) {
			while (rs.next()) {
				long[] v = new long[MEASURES.length];
				for (int i = 0; i < MEASURES.length; i++) {
					v[i] = rs.getLong(i + 2);
				}
				result.put(rs.getString(1), v);
			}
		}
		return result;
	}

	private static void copyPrefix(Path from, Path to, long length) throws IOException {
		try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
				FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
						StandardOpenOption.TRUNCATE_EXISTING)) {
			long pos = 0;
			while (pos < length) {
				pos += in.transferTo(pos, length - pos, out);
			}
		}
	}

	private static Map<String, Long> named(long[] values) {
		Map<String, Long> m = new LinkedHashMap<>();
		for (int i = 0; i < MEASURES.length; i++) {
			m.put(MEASURES[i], values[i]);
		}
		return m;
	}

}
