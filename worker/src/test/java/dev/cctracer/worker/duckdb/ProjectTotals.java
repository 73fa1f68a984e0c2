package dev.cctracer.worker.duckdb;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.worker.analytics.QueryRunner;

/**
 * Per project: messages and the five token counts, as the incremental engine counted them
 * ({@code source_file}) and as a DuckDB query recounts them, to compare the two.
 */
public final class ProjectTotals {

	private static final List<String> QUERY_COLUMNS = List.of("messages", "input_tokens", "output_tokens",
			"cache_creation_5m_input_tokens", "cache_creation_1h_input_tokens", "cache_read_input_tokens");

	private ProjectTotals() {
	}

	/** The incremental totals of the active files, by project dir. */
	public static Map<String, List<Long>> incremental(JdbcClient jdbc) {
		Map<String, List<Long>> result = new TreeMap<>();
		jdbc.sql("""
				SELECT project_dir, SUM(messages), SUM(input_tokens), SUM(output_tokens), SUM(cache_write_5m),
				  SUM(cache_write_1h), SUM(cache_read)
				FROM source_file WHERE deleted = FALSE GROUP BY project_dir HAVING SUM(messages) > 0
				""").query((rs) -> {
			result.put(rs.getString(1),
					List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7)));
		});
		return result;
	}

	/** The same totals recounted by a DuckDB query grouped by project. */
	public static Map<String, List<Long>> queried(QueryRunner runner) throws Exception {
		Map<String, List<Long>> result = new TreeMap<>();
		for (Map<String, Object> row : runner
			.run(QuerySpec.of(List.of("project"), null, null, null, null, null, null), 1)
			.rows()) {
			result.put((String) row.get("project"),
					QUERY_COLUMNS.stream().map((c) -> ((Number) row.get(c)).longValue()).toList());
		}
		return result;
	}

}
