package dev.cctracer.db.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.Batches;
import dev.cctracer.db.support.DirectBatch;

/**
 * The {@code usage_rollup} table.
 */
@Repository
public class UsageRollupRepository {

	private final JdbcClient jdbc;

	private final DirectBatch batch;

	@Autowired
	public UsageRollupRepository(JdbcClient jdbc, DirectBatch batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	public UsageRollupRepository(JdbcClient jdbc, JdbcTemplate template) {
		this(jdbc, new DirectBatch(template));
	}

	/**
	 * Adds signed deltas: updates existing rows, inserts the missing ones, drops rows
	 * that reach zero.
	 */
	public void add(Map<RollupKey, UsageSums> deltas) {
		List<Map.Entry<RollupKey, UsageSums>> entries = new ArrayList<>();
		deltas.forEach((k, v) -> {
			if (!v.isZero()) {
				entries.add(Map.entry(k, v));
			}
		});
		if (entries.isEmpty()) {
			return;
		}
		int[] counts = this.batch.run(
				"UPDATE usage_rollup SET " + UsageSums.addAssignments()
						+ " WHERE file_id = ? AND bucket = ? AND model = ? AND agent_id = ?",
				entries, 1000, (ps, e) -> {
					int i = e.getValue().bind(ps, 1);
					bindKey(ps, i, e.getKey());
				});
		List<Map.Entry<RollupKey, UsageSums>> missing = new ArrayList<>();
		for (int n = 0; n < counts.length; n++) {
			if (counts[n] == 0) {
				missing.add(entries.get(n));
			}
		}
		if (!missing.isEmpty()) {
			String columns = String.join(", ", UsageSums.COLUMNS);
			String marks = String.join(", ", Collections.nCopies(UsageSums.COLUMNS.size() + 4, "?"));
			this.batch.run("INSERT INTO usage_rollup (" + columns + ", file_id, bucket, model, agent_id) VALUES ("
					+ marks + ")", missing, 1000, (ps, e) -> {
						int i = e.getValue().bind(ps, 1);
						bindKey(ps, i, e.getKey());
					});
		}
		List<Long> files = entries.stream().map((e) -> e.getKey().fileId()).distinct().toList();
		deleteEmpty(files);
	}

	private static void bindKey(PreparedStatement ps, int i, RollupKey k) throws SQLException {
		ps.setLong(i, k.fileId());
		ps.setLong(i + 1, k.bucket());
		ps.setString(i + 2, k.model());
		ps.setString(i + 3, k.agentId());
	}

	private void deleteEmpty(Collection<Long> fileIds) {
		for (List<Long> part : Batches.partition(fileIds, 500)) {
			this.jdbc.sql("DELETE FROM usage_rollup WHERE messages = 0 AND file_id IN (:ids)")
				.param("ids", part)
				.update();
		}
	}

	public void deleteByFile(long fileId) {
		this.jdbc.sql("DELETE FROM usage_rollup WHERE file_id = :id").param("id", fileId).update();
	}

	/** Rebuilds every rollup from the counted usage copies (after a re-pricing). */
	public void rebuildFromCopies() {
		this.jdbc.sql("DELETE FROM usage_rollup").update();
		this.jdbc
			.sql("""
					INSERT INTO usage_rollup (file_id, bucket, model, agent_id, messages, input_tokens, output_tokens,
					  cache_write_5m, cache_write_1h, cache_read, cost_input, cost_output, cost_cache_write, cost_cache_read,
					  cost_logged, cost_calc_of_logged, unpriced_messages, web_searches, cost_web_search, estimated_messages)
					SELECT c.file_id, (c.ts / 1000 / 900) * 900, c.model, c.agent_id, COUNT(*), SUM(c.input_tokens),
					  SUM(c.output_tokens), SUM(c.cache_write_5m), SUM(c.cache_write_1h), SUM(c.cache_read), SUM(c.cost_input),
					  SUM(c.cost_output), SUM(c.cost_cache_write), SUM(c.cost_cache_read), SUM(COALESCE(c.cost_logged, 0)),
					  SUM(CASE WHEN c.cost_logged IS NULL THEN 0
					      ELSE c.cost_input + c.cost_output + c.cost_cache_write + c.cost_cache_read + c.cost_web_search END),
					  SUM(CASE WHEN c.priced THEN 0 ELSE 1 END), SUM(c.web_searches), SUM(c.cost_web_search),
					  SUM(CASE WHEN c.estimated THEN 1 ELSE 0 END)
					FROM usage_copy c WHERE c.counted = TRUE
					GROUP BY c.file_id, (c.ts / 1000 / 900) * 900, c.model, c.agent_id
					""")
			.update();
	}

	/** Every model id with counted usage ('' for none logged). */
	public List<String> models() {
		return this.jdbc.sql("SELECT DISTINCT model FROM usage_rollup").query(String.class).list();
	}

}
