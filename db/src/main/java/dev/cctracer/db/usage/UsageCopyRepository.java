package dev.cctracer.db.usage;

import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.LongConsumer;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.Batches;
import dev.cctracer.db.support.DirectBatch;
import dev.cctracer.shared.usage.ToolCalls;

/**
 * The {@code usage_copy} table.
 */
@Repository
public class UsageCopyRepository {

	private static final String COLUMNS = """
			c.id, c.msg_id, c.req_id, c.file_id, c.line_offset, c.sidechain, c.agent_id, c.ts, c.model, c.input_tokens,
			c.output_tokens, c.cache_write_5m, c.cache_write_1h, c.cache_read, c.fast, c.cost_input, c.cost_output,
			c.cost_cache_write, c.cost_cache_read, c.cost_logged, c.priced, c.counted, f.path_order, c.web_searches,
			c.cost_web_search, c.estimated, c.inference_geo, c.tool_uses, f.deleted, c.forked, c.tool_use_ids
			""";

	private static final RowMapper<CopyRow> ROW = (rs,
			i) -> new CopyRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getLong(5),
					rs.getBoolean(6), rs.getString(7), rs.getLong(8), rs.getString(9), rs.getLong(10), rs.getLong(11),
					rs.getLong(12), rs.getLong(13), rs.getLong(14), rs.getBoolean(15), rs.getLong(16), rs.getLong(17),
					rs.getLong(18), rs.getLong(19), (Long) rs.getObject(20, Long.class), rs.getBoolean(21),
					rs.getBoolean(22), rs.getString(23))
				.withServerTools(rs.getLong(24), rs.getLong(25), rs.getBoolean(26))
				.withGeo(rs.getString(27))
				.withToolCalls(new ToolCalls(rs.getLong(28), rs.getString(31)))
				.withDeleted(rs.getBoolean(29))
				.withForked(rs.getBoolean(30));

	private final JdbcClient jdbc;

	private final DirectBatch batch;

	@Autowired
	public UsageCopyRepository(JdbcClient jdbc, DirectBatch batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	public UsageCopyRepository(JdbcClient jdbc, JdbcTemplate template) {
		this(jdbc, new DirectBatch(template));
	}

	/** Every copy of these message ids, in any file. */
	public List<CopyRow> findByMessageIds(Collection<String> messageIds) {
		Set<String> wanted = (messageIds instanceof Set<String> set) ? set : new HashSet<>(messageIds);
		List<Long> hashes = wanted.stream().map(UsageCopyRepository::hash).distinct().toList();
		List<CopyRow> result = new ArrayList<>();
		for (List<Long> part : Batches.partition(hashes, 500)) {
			if (part.size() < 500 && hashes.size() > 500) {
				// always 500 values, so the statement text (and the database's parsed
				// plan) is
				// the same for every part; a repeated value matches nothing twice
				part = new ArrayList<>(part);
				while (part.size() < 500) {
					part.add(part.get(0));
				}
			}
			for (CopyRow row : this.jdbc
				.sql("SELECT " + COLUMNS
						+ " FROM usage_copy c JOIN source_file f ON f.id = c.file_id WHERE c.msg_hash IN (:hashes)")
				.param("hashes", part)
				.query(ROW)
				.list()) {
				if (wanted.contains(row.messageId())) {
					result.add(row);
				}
			}
		}
		return result;
	}

	/**
	 * Every copy of these message ids stored in these files (a look-up through the file
	 * index, for when the message-hash index is dropped: a bulk first index knows where
	 * each message's copies are). Each file's copies are read once, whichever ids they
	 * hold.
	 * @param messageIds message ids
	 * @param fileIds ids of the files that may hold their copies
	 */
	public List<CopyRow> findByMessageIdsInFiles(Collection<String> messageIds, Collection<Long> fileIds) {
		Set<String> wanted = (messageIds instanceof Set<String> set) ? set : new HashSet<>(messageIds);
		List<CopyRow> result = new ArrayList<>();
		for (List<Long> part : Batches.partition(List.copyOf(fileIds), 100)) {
			for (CopyRow row : this.jdbc
				.sql("SELECT " + COLUMNS
						+ " FROM usage_copy c JOIN source_file f ON f.id = c.file_id WHERE c.file_id IN (:files)")
				.param("files", part)
				.query(ROW)
				.list()) {
				if (row.messageId() != null && wanted.contains(row.messageId())) {
					result.add(row);
				}
			}
		}
		return result;
	}

	/** Whether the table holds no copy at all. */
	public boolean isEmpty() {
		return this.jdbc.sql("SELECT 1 FROM usage_copy LIMIT 1").query(Integer.class).optional().isEmpty();
	}

	/**
	 * Drops the message-hash index ({@code ix_usage_copy_msg_hash}, V1) for a bulk first
	 * index: on a large table each insert rewrote pages all over its random keys. Until
	 * {@link #createMessageHashIndex} runs, look-ups by message id scan the table.
	 */
	public void dropMessageHashIndex() {
		this.jdbc.sql("DROP INDEX IF EXISTS ix_usage_copy_msg_hash").update();
	}

	/**
	 * Whether the message-hash index exists (H2's {@code INFORMATION_SCHEMA}; H2 only).
	 */
	public boolean hasMessageHashIndex() {
		return this.jdbc.sql("""
				SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES
				WHERE TABLE_NAME = 'USAGE_COPY' AND INDEX_NAME = 'IX_USAGE_COPY_MSG_HASH'
				""").query(Long.class).single() > 0;
	}

	/**
	 * Creates the message-hash index if it is missing (after a bulk first index, or at
	 * the first ingest after a crash during one); a no-op when it exists.
	 */
	public void createMessageHashIndex() {
		this.jdbc.sql("CREATE INDEX IF NOT EXISTS ix_usage_copy_msg_hash ON usage_copy (msg_hash)").update();
	}

	/**
	 * 64-bit FNV-1a of a message id: the indexed look-up key (collisions only cost a
	 * filtered row).
	 */
	public static long hash(String messageId) {
		long h = 0xcbf29ce484222325L;
		for (int i = 0; i < messageId.length(); i++) {
			h ^= messageId.charAt(i);
			h *= 0x100000001b3L;
		}
		return h;
	}

	/**
	 * Feeds every stored message hash (duplicates included, at most {@code limit}) to the
	 * consumer, streamed in chunks rather than collected (for an in-memory set of the ids
	 * that exist).
	 */
	public void forEachHash(long limit, LongConsumer consumer) {
		this.batch.forEachLong("SELECT msg_hash FROM usage_copy WHERE msg_hash IS NOT NULL LIMIT ?", limit, consumer);
	}

	/** The distinct message ids of these files' copies (those without one left out). */
	public Set<String> messageIdsOfFiles(Collection<Long> fileIds) {
		Set<String> ids = new HashSet<>();
		for (List<Long> part : Batches.partition(List.copyOf(fileIds), 100)) {
			ids.addAll(this.jdbc
				.sql("SELECT DISTINCT msg_id FROM usage_copy WHERE file_id IN (:files) AND msg_id IS NOT NULL")
				.param("files", part)
				.query(String.class)
				.list());
		}
		return ids;
	}

	public List<CopyRow> findByFile(long fileId) {
		return this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM usage_copy c JOIN source_file f ON f.id = c.file_id WHERE c.file_id = :id")
			.param("id", fileId)
			.query(ROW)
			.list();
	}

	/**
	 * The byte offsets of a file's lines whose usage the totals count (the copy each
	 * response is counted by), in {@code [fromOffset, toOffset]} (bytes), ascending.
	 */
	public List<Long> countedOffsets(long fileId, long fromOffset, long toOffset) {
		return this.jdbc.sql("""
				SELECT line_offset FROM usage_copy
				WHERE file_id = :id AND counted = TRUE AND line_offset BETWEEN :from AND :to ORDER BY line_offset
				""").param("id", fileId).param("from", fromOffset).param("to", toOffset).query(Long.class).list();
	}

	/** Files that have usage copies. */
	public List<Long> fileIdsWithCopies() {
		return this.jdbc.sql("SELECT DISTINCT file_id FROM usage_copy ORDER BY file_id").query(Long.class).list();
	}

	/** Stores new costs of copies (a re-pricing); ids and tokens are unchanged. */
	public void updateCosts(List<CopyRow> rows) {
		this.batch.run(
				"""
						UPDATE usage_copy SET cost_input = ?, cost_output = ?, cost_cache_write = ?, cost_cache_read = ?, priced = ?,
						  cost_web_search = ?, estimated = ?
						WHERE id = ?
						""",
				rows, 1000, (ps, c) -> {
					ps.setLong(1, c.costInput());
					ps.setLong(2, c.costOutput());
					ps.setLong(3, c.costWrite());
					ps.setLong(4, c.costRead());
					ps.setBoolean(5, c.priced());
					ps.setLong(6, c.costWebSearch());
					ps.setBoolean(7, c.estimated());
					ps.setLong(8, c.id());
				});
	}

	/**
	 * A stored copy of a line Claude Code copied from another session (a fork's
	 * {@code forkedFrom}).
	 *
	 * @param fileId its file
	 * @param messageId {@code message.id}
	 * @param requestId {@code requestId} ({@code ""} for none)
	 */
	public record ForkedCopy(long fileId, String messageId, String requestId) {

	}

	/**
	 * Every stored copy marked forked that has a message id, once per file and key: few
	 * (a fork's copies of its original's responses); a scan of the table, for the facts'
	 * counting to break ties as the ingest does.
	 */
	public List<ForkedCopy> forkedCopies() {
		return this.jdbc
			.sql("SELECT DISTINCT file_id, msg_id, req_id FROM usage_copy WHERE forked = TRUE AND msg_id IS NOT NULL")
			.query((rs, i) -> new ForkedCopy(rs.getLong(1), rs.getString(2), rs.getString(3)))
			.list();
	}

	public void insert(List<CopyRow> rows) {
		this.batch.run(
				"""
						INSERT INTO usage_copy (msg_id, req_id, file_id, line_offset, sidechain, agent_id, ts, model, input_tokens,
						  output_tokens, cache_write_5m, cache_write_1h, cache_read, fast, cost_input, cost_output, cost_cache_write,
						  cost_cache_read, cost_logged, priced, counted, msg_hash, web_searches, cost_web_search, estimated,
						  inference_geo, tool_uses, forked, tool_use_ids)
						VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
						""",
				rows, 1000, (ps, c) -> {
					ps.setString(1, c.messageId());
					ps.setString(2, c.requestId());
					ps.setLong(3, c.fileId());
					ps.setLong(4, c.lineOffset());
					ps.setBoolean(5, c.sidechain());
					ps.setString(6, c.agentId());
					ps.setLong(7, c.ts());
					ps.setString(8, c.model());
					ps.setLong(9, c.input());
					ps.setLong(10, c.output());
					ps.setLong(11, c.write5m());
					ps.setLong(12, c.write1h());
					ps.setLong(13, c.read());
					ps.setBoolean(14, c.fast());
					ps.setLong(15, c.costInput());
					ps.setLong(16, c.costOutput());
					ps.setLong(17, c.costWrite());
					ps.setLong(18, c.costRead());
					if (c.costLogged() != null) {
						ps.setLong(19, c.costLogged());
					}
					else {
						ps.setNull(19, Types.BIGINT);
					}
					ps.setBoolean(20, c.priced());
					ps.setBoolean(21, c.counted());
					if (c.messageId() != null) {
						ps.setLong(22, hash(c.messageId()));
					}
					else {
						ps.setNull(22, Types.BIGINT);
					}
					ps.setLong(23, c.webSearches());
					ps.setLong(24, c.costWebSearch());
					ps.setBoolean(25, c.estimated());
					ps.setString(26, c.inferenceGeo());
					ps.setLong(27, c.toolUses());
					ps.setBoolean(28, c.forked());
					ps.setString(29, c.toolUseIds());
				});
	}

	/**
	 * Stores the tool uses of copies that later lines of their response added to (a
	 * response read over two commits).
	 */
	public void updateToolUses(List<CopyRow> rows) {
		this.batch.run("UPDATE usage_copy SET tool_uses = ?, tool_use_ids = ? WHERE id = ?", rows, 1000, (ps, c) -> {
			ps.setLong(1, c.toolUses());
			ps.setString(2, c.toolUseIds());
			ps.setLong(3, c.id());
		});
	}

	public void setCounted(List<CopyRow> rows) {
		this.batch.run("UPDATE usage_copy SET counted = ? WHERE id = ?", rows, 1000, (ps, c) -> {
			ps.setBoolean(1, c.counted());
			ps.setLong(2, c.id());
		});
	}

	public void delete(List<CopyRow> rows) {
		this.batch.run("DELETE FROM usage_copy WHERE id = ?", rows, 1000, (ps, c) -> ps.setLong(1, c.id()));
	}

	public void deleteByFile(long fileId) {
		this.jdbc.sql("DELETE FROM usage_copy WHERE file_id = :id").param("id", fileId).update();
	}

}
