package dev.cctracer.db.usage;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rollups' upsert looks its key up exactly on H2 (file mode, as shipped), whatever
 * statistics H2 holds. H2 re-analyses a growing table ever more rarely, on a sample of
 * its first rows; a history whose first rollups fall in distinct buckets left the bucket
 * index looking unique, and the upsert's UPDATE then read every rollup of the bucket, of
 * every file (V7 puts the whole key in that index). The same history is built on the
 * schema before V7 first, so the test shows the fault it guards against.
 */
class RollupLookupPlanTests {

	private static final long BUSY_BUCKET = 1_767_225_600L;

	private static final int FILES_IN_BUSY_BUCKET = 300;

	/** The sums of {@code usage_rollup} as V6 left it (the rows are inserted there). */
	private static final List<String> V6_SUMS = List.of("messages", "input_tokens", "output_tokens", "cache_write_5m",
			"cache_write_1h", "cache_read", "cost_input", "cost_output", "cost_cache_write", "cost_cache_read",
			"cost_logged", "cost_calc_of_logged", "unpriced_messages", "web_searches", "cost_web_search",
			"estimated_messages");

	@TempDir
	Path tmp;

	@Test
	void shouldLookUpARollupKeyWithoutReadingItsBucket() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:file:" + this.tmp.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(h2).target("6").load().migrate();
		JdbcTemplate jdbc = new JdbcTemplate(h2);
		try {
			buildHistoryAndCheckPlans(h2, jdbc);
		}
		finally {
			jdbc.execute("SHUTDOWN");
		}
	}

	private static void buildHistoryAndCheckPlans(JdbcDataSource h2, JdbcTemplate jdbc) {
		String columns = "file_id, bucket, model, agent_id, " + String.join(", ", V6_SUMS);
		String marks = String.join(", ", Collections.nCopies(4 + V6_SUMS.size(), "?"));
		String insert = "INSERT INTO usage_rollup (" + columns + ") VALUES (" + marks + ")";
		// one long session first: 3,000 rollups in distinct buckets, so H2's automatic
		// analysis (after 2,000 changes) finds the bucket column unique
		List<Object[]> early = new ArrayList<>();
		for (int i = 0; i < 3_000; i++) {
			early.add(row(1, BUSY_BUCKET - 900L * (i + 1)));
		}
		jdbc.batchUpdate(insert, early);
		// then many files active in the same 15 minutes
		List<Object[]> busy = new ArrayList<>();
		for (int f = 0; f < FILES_IN_BUSY_BUCKET; f++) {
			busy.add(row(100 + f, BUSY_BUCKET));
		}
		jdbc.batchUpdate(insert, busy);

		assertThat(rowsReadByUpsertOfAbsentKey(jdbc)).as("before V7: the fault this guards against")
			.isGreaterThanOrEqualTo(FILES_IN_BUSY_BUCKET);

		Flyway.configure().dataSource(h2).load().migrate();
		assertThat(rowsReadByUpsertOfAbsentKey(jdbc)).isLessThanOrEqualTo(1);
		// the statement still finds and changes exactly its row
		List<Object> sumsThenKey = new ArrayList<>(Collections.nCopies(UsageSums.COLUMNS.size(), (Object) 1L));
		sumsThenKey.addAll(List.of(150L, BUSY_BUCKET, "claude-opus-4-5", ""));
		assertThat(jdbc.update(UsageRollupRepository.updateSql("usage_rollup", UsageRollupRepository.ROLLUP_KEY),
				sumsThenKey.toArray()))
			.isEqualTo(1);
		assertThat(jdbc.queryForObject("SELECT messages FROM usage_rollup WHERE file_id = 150", Long.class))
			.isEqualTo(2L);
	}

	/**
	 * The rows H2 scanned (its {@code scanCount}) to run the upsert's UPDATE for a key
	 * that is absent, in the busy bucket.
	 */
	private static int rowsReadByUpsertOfAbsentKey(JdbcTemplate jdbc) {
		String upsert = UsageRollupRepository.updateSql("usage_rollup", UsageRollupRepository.ROLLUP_KEY);
		// the plan depends on the WHERE only: the repository's, with a SET every schema
		// version has
		String sql = "UPDATE usage_rollup SET messages = messages" + upsert.substring(upsert.indexOf(" WHERE "));
		String plan = jdbc.queryForObject("EXPLAIN ANALYZE " + sql, String.class, 99_999L, BUSY_BUCKET,
				"claude-opus-4-5", "");
		Matcher m = Pattern.compile("scanCount: (\\d+)").matcher(plan);
		assertThat(m.find()).as(plan).isTrue();
		return Integer.parseInt(m.group(1));
	}

	private static Object[] row(long fileId, long bucket) {
		Object[] row = new Object[4 + V6_SUMS.size()];
		row[0] = fileId;
		row[1] = bucket;
		row[2] = "claude-opus-4-5";
		row[3] = "";
		for (int i = 4; i < row.length; i++) {
			row[i] = 1L;
		}
		return row;
	}

}
