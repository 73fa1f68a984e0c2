package dev.cctracer.db.usage;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.Batches;
import dev.cctracer.db.support.DirectBatch;

/**
 * The {@code usage_rollup} table (counted usage per file, UTC 15-minute bucket, model and
 * agent), and {@code usage_bucket} (the same summed over files and agents), kept equal by
 * every write here.
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
	 * that reach zero; and the same deltas, summed by bucket and model, to
	 * {@code usage_bucket}.
	 */
	public void add(Map<RollupKey, UsageSums> deltas) {
		List<Map.Entry<RollupKey, UsageSums>> entries = nonZero(deltas);
		if (entries.isEmpty()) {
			return;
		}
		upsert("usage_rollup", ROLLUP_KEY, entries, UsageRollupRepository::bindKey);
		List<Long> files = entries.stream().map((e) -> e.getKey().fileId()).distinct().toList();
		for (List<Long> part : Batches.partition(files, 500)) {
			this.jdbc.sql("DELETE FROM usage_rollup WHERE messages = 0 AND file_id IN (:ids)")
				.param("ids", part)
				.update();
		}
		Map<BucketKey, UsageSums> byBucket = new HashMap<>();
		for (Map.Entry<RollupKey, UsageSums> e : entries) {
			byBucket.computeIfAbsent(BucketKey.of(e.getKey()), (k) -> new UsageSums()).add(e.getValue(), 1);
		}
		addToBuckets(byBucket);
	}

	/**
	 * Adds signed deltas to {@code usage_bucket}: updates existing rows, inserts the
	 * missing ones, drops rows that reach zero.
	 */
	private void addToBuckets(Map<BucketKey, UsageSums> deltas) {
		List<Map.Entry<BucketKey, UsageSums>> entries = nonZero(deltas);
		if (entries.isEmpty()) {
			return;
		}
		upsert("usage_bucket", List.of("bucket", "model"), entries, (ps, i, k) -> {
			ps.setLong(i, k.bucket());
			ps.setString(i + 1, k.model());
		});
		List<Long> buckets = entries.stream().map((e) -> e.getKey().bucket()).distinct().toList();
		for (List<Long> part : Batches.partition(buckets, 500)) {
			this.jdbc.sql("DELETE FROM usage_bucket WHERE messages = 0 AND bucket IN (:b)").param("b", part).update();
		}
	}

	private static <K> List<Map.Entry<K, UsageSums>> nonZero(Map<K, UsageSums> deltas) {
		List<Map.Entry<K, UsageSums>> entries = new ArrayList<>();
		deltas.forEach((k, v) -> {
			if (!v.isZero()) {
				entries.add(Map.entry(k, v));
			}
		});
		return entries;
	}

	/**
	 * Adds each delta to its row of {@code table}, found by its key columns (bound in
	 * that order by {@code key}), inserting the rows that are missing.
	 */
	private <K> void upsert(String table, List<String> keyColumns, List<Map.Entry<K, UsageSums>> entries,
			KeyBinder<K> key) {
		int[] counts = this.batch.run(updateSql(table, keyColumns), entries, 1000,
				(ps, e) -> key.bind(ps, e.getValue().bind(ps, 1), e.getKey()));
		List<Map.Entry<K, UsageSums>> missing = new ArrayList<>();
		for (int n = 0; n < counts.length; n++) {
			if (counts[n] == 0) {
				missing.add(entries.get(n));
			}
		}
		if (!missing.isEmpty()) {
			String columns = String.join(", ", UsageSums.COLUMNS) + ", " + String.join(", ", keyColumns);
			String marks = String.join(", ", Collections.nCopies(UsageSums.COLUMNS.size() + keyColumns.size(), "?"));
			this.batch.run("INSERT INTO " + table + " (" + columns + ") VALUES (" + marks + ")", missing, 1000,
					(ps, e) -> key.bind(ps, e.getValue().bind(ps, 1), e.getKey()));
		}
	}

	/** The key columns of {@code usage_rollup}, in the order its upsert binds them. */
	static final List<String> ROLLUP_KEY = List.of("file_id", "bucket", "model", "agent_id");

	/**
	 * The upsert's UPDATE: adds the sums (bound first, {@link UsageSums#bind}) to the row
	 * whose key columns equal the parameters after them.
	 */
	static String updateSql(String table, List<String> keyColumns) {
		String where = String.join(" AND ", keyColumns.stream().map((c) -> c + " = ?").toList());
		return "UPDATE " + table + " SET " + UsageSums.addAssignments() + " WHERE " + where;
	}

	private static void bindKey(PreparedStatement ps, int i, RollupKey k) throws SQLException {
		ps.setLong(i, k.fileId());
		ps.setLong(i + 1, k.bucket());
		ps.setString(i + 2, k.model());
		ps.setString(i + 3, k.agentId());
	}

	/** Removes a file's rollups, and what they added to {@code usage_bucket}. */
	public void deleteByFile(long fileId) {
		Map<BucketKey, UsageSums> removed = new HashMap<>();
		this.jdbc.sql("SELECT * FROM usage_rollup WHERE file_id = :id").param("id", fileId).query((rs) -> {
			removed.computeIfAbsent(new BucketKey(rs.getLong("bucket"), rs.getString("model")), (k) -> new UsageSums())
				.add(UsageSums.read(rs), -1);
		});
		this.jdbc.sql("DELETE FROM usage_rollup WHERE file_id = :id").param("id", fileId).update();
		addToBuckets(removed);
	}

	/**
	 * Rebuilds every rollup from the counted usage copies (after a re-pricing), and
	 * {@code usage_bucket} from the rollups.
	 */
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
		String columns = String.join(", ", UsageSums.COLUMNS);
		String sums = String.join(", ", UsageSums.COLUMNS.stream().map((c) -> "SUM(" + c + ")").toList());
		this.jdbc.sql("DELETE FROM usage_bucket").update();
		this.jdbc
			.sql("INSERT INTO usage_bucket (bucket, model, " + columns + ") SELECT bucket, model, " + sums
					+ " FROM usage_rollup GROUP BY bucket, model")
			.update();
	}

	/**
	 * The key of a {@code usage_bucket} row: UTC 15-minute bucket (epoch seconds), model.
	 */
	private record BucketKey(long bucket, String model) {

		static BucketKey of(RollupKey k) {
			return new BucketKey(k.bucket(), k.model());
		}

	}

	/** Binds a row's key from parameter {@code first}. */
	@FunctionalInterface
	private interface KeyBinder<K> {

		void bind(PreparedStatement ps, int first, K key) throws SQLException;

	}

	/** Every model id with counted usage ('' for none logged). */
	public List<String> models() {
		return this.jdbc.sql("SELECT DISTINCT model FROM usage_rollup").query(String.class).list();
	}

}
