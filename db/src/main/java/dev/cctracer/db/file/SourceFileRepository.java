package dev.cctracer.db.file;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.Batches;
import dev.cctracer.db.support.DirectBatch;
import dev.cctracer.db.usage.UsageSums;
import dev.cctracer.shared.discovery.FileKind;
import dev.cctracer.shared.discovery.LogFile;
import dev.cctracer.shared.usage.LineCounters;
import dev.cctracer.shared.usage.SessionLabels;

/**
 * The {@code source_file} table: one row per transcript file ever seen.
 */
@Repository
public class SourceFileRepository {

	private static final String STATE_COLUMNS = """
			id, root, rel_path, path_order, project_dir, kind, session_id, agent_id, deleted, generation, file_key,
			head_fingerprint, head_length, tail_fingerprint, committed_offset, size_at_scan, mtime_at_scan, seen_size, seen_mtime, last_ts,
			origin, last_ingest_at
			""";

	private static final RowMapper<FileState> STATE = (rs, i) -> new FileState(rs.getLong("id"), rs.getString("root"),
			rs.getString("rel_path"), rs.getString("path_order"), rs.getString("project_dir"),
			FileKind.valueOf(rs.getString("kind")), rs.getString("session_id"), rs.getString("agent_id"),
			rs.getBoolean("deleted"), rs.getInt("generation"), rs.getString("file_key"),
			rs.getString("head_fingerprint"), rs.getInt("head_length"), rs.getString("tail_fingerprint"),
			rs.getLong("committed_offset"), rs.getLong("size_at_scan"), rs.getLong("mtime_at_scan"),
			rs.getLong("seen_size"), rs.getLong("seen_mtime"), (Long) rs.getObject("last_ts", Long.class),
			rs.getString("origin"), (Long) rs.getObject("last_ingest_at", Long.class));

	private final JdbcClient jdbc;

	private final DirectBatch batch;

	@Autowired
	public SourceFileRepository(JdbcClient jdbc, DirectBatch batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	public SourceFileRepository(JdbcClient jdbc, JdbcTemplate template) {
		this(jdbc, new DirectBatch(template));
	}

	/** Files not marked deleted, of every origin. */
	public List<FileState> findActive() {
		return this.jdbc.sql("SELECT " + STATE_COLUMNS + " FROM source_file WHERE deleted = FALSE").query(STATE).list();
	}

	/**
	 * Every file ever seen, deleted ones and other machines' included, by id, with its
	 * counted totals: one statement, so states and totals are read together.
	 */
	public List<CountedFile> findAllCounted() {
		return this.jdbc.sql("SELECT " + STATE_COLUMNS + """
				, messages, input_tokens, output_tokens, cache_write_5m, cache_write_1h, cache_read, tool_uses
				FROM source_file ORDER BY id
				""")
			.query((rs, i) -> new CountedFile(STATE.mapRow(rs, i), rs.getLong("messages"), rs.getLong("input_tokens"),
					rs.getLong("output_tokens"), rs.getLong("cache_write_5m"), rs.getLong("cache_write_1h"),
					rs.getLong("cache_read"), rs.getLong("tool_uses")))
			.list();
	}

	/**
	 * Files not marked deleted that one origin (a machine) registered: a scan only ever
	 * compares its own files with its disk, never another machine's that share the path.
	 */
	public List<FileState> findActive(String origin) {
		return this.jdbc.sql("SELECT " + STATE_COLUMNS + " FROM source_file WHERE deleted = FALSE AND origin = :origin")
			.param("origin", origin)
			.query(STATE)
			.list();
	}

	/**
	 * Gives rows registered before origins were recorded (origin {@code ''}) under one of
	 * this machine's roots to this origin, re-keying them; returns how many. Rows under
	 * other roots stay unowned (they may be another machine's).
	 */
	public int adoptUnowned(String origin, Collection<String> roots) {
		if (origin.isEmpty() || roots.isEmpty()) {
			return 0;
		}
		List<Object[]> rows = this.jdbc.sql(
				"SELECT id, root, rel_path FROM source_file WHERE origin = '' AND deleted = FALSE AND root IN (:roots)")
			.param("roots", roots)
			.query((rs, i) -> new Object[] { rs.getLong(1), rs.getString(2), rs.getString(3) })
			.list();
		this.batch.run("UPDATE source_file SET origin = ?, active_path_key = ? WHERE id = ? AND origin = ''", rows, 500,
				(ps, r) -> {
					ps.setString(1, origin);
					ps.setString(2, pathKey(origin, (String) r[1], (String) r[2]));
					ps.setLong(3, (Long) r[0]);
				});
		int deleted = this.jdbc
			.sql("UPDATE source_file SET origin = :o WHERE origin = '' AND deleted = TRUE AND root IN (:roots)")
			.param("o", origin)
			.param("roots", roots)
			.update();
		return rows.size() + deleted;
	}

	/**
	 * The tables that keep something of a file by {@code file_id}, besides its rollups
	 * ({@code UsageRollupRepository.deleteByFile}): its usage copies, errors, unknown
	 * entry types and fact segments.
	 */
	private static final List<String> FILE_TABLES = List.of("usage_copy", "api_error", "tool_error",
			"unknown_entry_type", "fact_segment", "facts_rewrite");

	/** The ids of every file registered under one of {@code roots} (any origin). */
	public List<Long> idsUnder(Collection<String> roots) {
		if (roots.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT id FROM source_file WHERE root IN (:roots)")
			.param("roots", roots)
			.query(Long.class)
			.list();
	}

	/**
	 * Removes files and what {@link #FILE_TABLES} keep of them, as if they had never been
	 * indexed — unlike a deleted transcript, whose totals stay. For the demo dataset once
	 * the user's own logs are indexed; the caller removes their rollups first and bumps
	 * the data version, in the same transaction.
	 */
	public void remove(Collection<Long> ids) {
		for (List<Long> part : Batches.partition(ids, 500)) {
			for (String table : FILE_TABLES) {
				this.jdbc.sql("DELETE FROM " + table + " WHERE file_id IN (:ids)").param("ids", part).update();
			}
			this.jdbc.sql("DELETE FROM source_file WHERE id IN (:ids)").param("ids", part).update();
		}
	}

	public List<FileState> findByIds(Collection<Long> ids) {
		List<FileState> result = new ArrayList<>(ids.size());
		for (List<Long> part : Batches.partition(ids, 500)) {
			result.addAll(this.jdbc.sql("SELECT " + STATE_COLUMNS + " FROM source_file WHERE id IN (:ids) ORDER BY id")
				.param("ids", part)
				.query(STATE)
				.list());
		}
		return result;
	}

	/** Registers a newly seen file; returns its id. */
	public long insert(LogFile file, String origin, long seenSize, long seenMtime) {
		GeneratedKeyHolder keys = new GeneratedKeyHolder();
		this.jdbc.sql("""
				INSERT INTO source_file (root, rel_path, path_order, project_dir, kind, session_id, agent_id, origin,
				  seen_size, seen_mtime, active_path_key)
				VALUES (:root, :rel, :order, :project, :kind, :session, :agent, :origin, :size, :mtime, :pathKey)
				""")
			.param("pathKey", pathKey(origin, file.root().toString(), file.relativePath()))
			.param("root", file.root().toString())
			.param("rel", file.relativePath())
			.param("order", file.path().toString())
			.param("project", file.projectDir())
			.param("kind", file.kind().name())
			.param("session", file.sessionId())
			.param("agent", file.agentId())
			.param("origin", origin)
			.param("size", seenSize)
			.param("mtime", seenMtime)
			.update(keys, "id");
		return keys.getKeyAs(Long.class);
	}

	/**
	 * Registers many newly seen files in one batch. Returns false when another scanner
	 * registered one of them meanwhile (nothing is inserted then; register them one by
	 * one).
	 */
	public boolean insertAll(List<LogFile> newFiles, String origin, List<long[]> sizeMtime) {
		List<Integer> rows = IntStream.range(0, newFiles.size()).boxed().toList();
		try {
			this.batch.run(
					"""
							INSERT INTO source_file (root, rel_path, path_order, project_dir, kind, session_id, agent_id, origin,
							  seen_size, seen_mtime, active_path_key)
							VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
							""",
					rows, 500, (ps, i) -> {
						LogFile f = newFiles.get(i);
						ps.setString(1, f.root().toString());
						ps.setString(2, f.relativePath());
						ps.setString(3, f.path().toString());
						ps.setString(4, f.projectDir());
						ps.setString(5, f.kind().name());
						ps.setString(6, f.sessionId());
						ps.setString(7, f.agentId());
						ps.setString(8, origin);
						ps.setLong(9, sizeMtime.get(i)[0]);
						ps.setLong(10, sizeMtime.get(i)[1]);
						ps.setString(11, pathKey(origin, f.root().toString(), f.relativePath()));
					});
			return true;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/**
	 * The deleted rows of an origin by {@code root + "\n" + relPath} (the newest where a
	 * path was deleted more than once): what a transcript put back at its path becomes
	 * again ({@link #revive}).
	 */
	public Map<String, FileState> deletedByPath(String origin) {
		Map<String, FileState> byPath = new HashMap<>();
		this.jdbc
			.sql("SELECT " + STATE_COLUMNS + " FROM source_file WHERE id IN (" + NEWEST_DELETED
					+ " GROUP BY root, rel_path)")
			.param("origin", origin)
			.query(STATE)
			.list()
			.forEach((s) -> byPath.put(s.root() + "\n" + s.relPath(), s));
		return byPath;
	}

	/** The newest deleted row at a path of an origin, if any ({@link #revive}). */
	public Optional<FileState> deletedAt(String origin, String root, String relPath) {
		return this.jdbc
			.sql("SELECT " + STATE_COLUMNS + " FROM source_file WHERE id IN (" + NEWEST_DELETED
					+ " AND root = :root AND rel_path = :rel)")
			.param("origin", origin)
			.param("root", root)
			.param("rel", relPath)
			.query(STATE)
			.optional();
	}

	/** The newest deleted row of an origin (one per group the caller adds). */
	private static final String NEWEST_DELETED = "SELECT MAX(id) FROM source_file WHERE deleted AND origin = :origin";

	/**
	 * Makes a deleted row the active one of its path again, as a transcript put back
	 * where it was (copied back, or moved away and back): its copies and totals are still
	 * there, so the next read goes on from its committed offset when the bytes are the
	 * ones read, and resets it otherwise (another file key, head or tail) — one row per
	 * path, where a second row lost the dedup's tie to the deleted one and counted
	 * nothing.
	 * @param seenSize the size the scan saw (bytes)
	 * @param seenMtime the mtime the scan saw (epoch ms)
	 * @return whether it was revived (false: it is not deleted any more, or another
	 * scanner registered the path meanwhile)
	 */
	public boolean revive(long id, String origin, String root, String relPath, long seenSize, long seenMtime) {
		try {
			return this.jdbc.sql("""
					UPDATE source_file SET deleted = FALSE, deleted_at = NULL, active_path_key = :pathKey,
					  seen_size = :size, seen_mtime = :mtime
					WHERE id = :id AND deleted
					""")
				.param("pathKey", pathKey(origin, root, relPath))
				.param("size", seenSize)
				.param("mtime", seenMtime)
				.param("id", id)
				.update() == 1;
		}
		catch (DuplicateKeyException ex) {
			return false;
		}
	}

	/** The active row at a path of an origin, if any. */
	public Optional<FileState> findActiveByPath(String origin, String root, String relPath) {
		return this.jdbc.sql("SELECT " + STATE_COLUMNS + " FROM source_file WHERE active_path_key = :key")
			.param("key", pathKey(origin, root, relPath))
			.query(STATE)
			.optional();
	}

	/**
	 * SHA-256 of origin, root and relative path: the unique key of an active row (two
	 * machines may well have the same path). Without an origin it is the key rows had
	 * before origins were recorded.
	 */
	public static String pathKey(String origin, String root, String relPath) {
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			if (!origin.isEmpty()) {
				digest.update(origin.getBytes(StandardCharsets.UTF_8));
				digest.update((byte) 0);
			}
			digest.update(root.getBytes(StandardCharsets.UTF_8));
			digest.update((byte) 0);
			digest.update(relPath.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Records what a scan saw of files, so pending work can be reported. */
	public void updateSeen(List<long[]> idSizeMtime) {
		this.batch.run("UPDATE source_file SET seen_size = ?, seen_mtime = ? WHERE id = ?", idSizeMtime, 500,
				(ps, v) -> {
					ps.setLong(1, v[1]);
					ps.setLong(2, v[2]);
					ps.setLong(3, v[0]);
				});
	}

	/**
	 * Moves the offset if nobody moved it since the delta was read. A reset clears the
	 * file's counters and totals; the caller removes its copies and rollups in the same
	 * transaction.
	 * @return whether the guard held (false: a concurrent or duplicated job got there
	 * first)
	 */
	public boolean advance(FileAdvance a) {
		return advanceAll(List.of(a))[0];
	}

	private static final String ADVANCE_COUNTERS = """
			lines = lines + ?, invalid_lines = invalid_lines + ?, unknown_type_lines = unknown_type_lines + ?,
			overlong_lines = overlong_lines + ?, usage_lines = usage_lines + ?, tool_uses = tool_uses + ?,
			tool_errors = tool_errors + ?, summaries = summaries + ?, api_errors = api_errors + ?,
			custom_title = COALESCE(CAST(? AS VARCHAR(500)), custom_title),
			ai_title = COALESCE(CAST(? AS VARCHAR(500)), ai_title),
			agent_name = COALESCE(CAST(? AS VARCHAR(500)), agent_name),
			agent_type = COALESCE(CAST(? AS VARCHAR(128)), agent_type),
			agent_description = COALESCE(CAST(? AS VARCHAR(1000)), agent_description),
			first_ts = CASE WHEN first_ts IS NULL OR first_ts > ? THEN COALESCE(?, first_ts) ELSE first_ts END,
			last_ts = CASE WHEN last_ts IS NULL OR last_ts < ? THEN COALESCE(?, last_ts) ELSE last_ts END,
			""";

	private static final String RESET_COUNTERS = """
			lines = ?, invalid_lines = ?, unknown_type_lines = ?, overlong_lines = ?, usage_lines = ?, tool_uses = ?,
			tool_errors = ?, summaries = ?, api_errors = ?, custom_title = CAST(? AS VARCHAR(500)),
			ai_title = CAST(? AS VARCHAR(500)), agent_name = CAST(? AS VARCHAR(500)), agent_type = CAST(? AS VARCHAR(128)),
			agent_description = CAST(? AS VARCHAR(1000)),
			first_ts = ?, last_ts = ?, generation = generation + 1, resets = resets + 1,
			messages = 0, input_tokens = 0, output_tokens = 0, cache_write_5m = 0, cache_write_1h = 0, cache_read = 0,
			cost_input = 0, cost_output = 0, cost_cache_write = 0, cost_cache_read = 0, cost_logged = 0,
			cost_calc_of_logged = 0, unpriced_messages = 0, web_searches = 0, cost_web_search = 0,
			estimated_messages = 0,
			""";

	private static final String ADVANCE_REST = """
			committed_offset = ?, size_at_scan = ?, mtime_at_scan = ?, seen_size = ?, seen_mtime = ?, file_key = ?,
			head_fingerprint = ?, head_length = ?, tail_fingerprint = ?, last_interrupted = COALESCE(?, last_interrupted),
			session_id = COALESCE(session_id, ?), cwd = COALESCE(cwd, ?), opened_count = opened_count + 1,
			last_ingest_at = ?
			WHERE id = ? AND committed_offset = ? AND generation = ? AND deleted = FALSE
			""";

	/**
	 * {@link #advance} for many files in one batch per kind (continued, reset).
	 * @return per file, in order, whether its guard held
	 */
	public boolean[] advanceAll(List<FileAdvance> advances) {
		boolean[] held = new boolean[advances.size()];
		for (boolean reset : new boolean[] { false, true }) {
			List<Integer> indexes = new ArrayList<>();
			for (int i = 0; i < advances.size(); i++) {
				if (advances.get(i).reset() == reset) {
					indexes.add(i);
				}
			}
			if (indexes.isEmpty()) {
				continue;
			}
			String sql = "UPDATE source_file SET " + (reset ? RESET_COUNTERS : ADVANCE_COUNTERS) + ADVANCE_REST;
			int[] counts = this.batch.run(sql, indexes, 500, (ps, i) -> bindAdvance(ps, advances.get(i)));
			for (int k = 0; k < counts.length; k++) {
				held[indexes.get(k)] = counts[k] == 1;
			}
		}
		return held;
	}

	private static void bindAdvance(PreparedStatement ps, FileAdvance a) throws SQLException {
		LineCounters c = a.counters();
		int i = 1;
		for (long n : new long[] { c.lines(), c.invalidLines(), c.unknownTypeLines(), c.overlongLines(), c.usageLines(),
				c.toolUses(), c.toolErrors(), c.summaries(), c.apiErrors() }) {
			ps.setLong(i++, n);
		}
		SessionLabels labels = (a.labels() != null) ? a.labels() : SessionLabels.NONE;
		ps.setString(i++, labels.customTitle());
		ps.setString(i++, labels.aiTitle());
		ps.setString(i++, labels.agentName());
		ps.setString(i++, labels.agentType());
		ps.setString(i++, labels.agentDescription());
		setLong(ps, i++, a.firstTs());
		if (!a.reset()) {
			setLong(ps, i++, a.firstTs());
		}
		setLong(ps, i++, a.lastTs());
		if (!a.reset()) {
			setLong(ps, i++, a.lastTs());
		}
		ps.setLong(i++, a.newOffset());
		ps.setLong(i++, a.size());
		ps.setLong(i++, a.mtime());
		ps.setLong(i++, a.size());
		ps.setLong(i++, a.mtime());
		ps.setString(i++, a.fileKey());
		ps.setString(i++, a.headFingerprint());
		ps.setInt(i++, a.headLength());
		ps.setString(i++, a.tailFingerprint());
		if (c.lastInterrupted() != null) {
			ps.setBoolean(i++, c.lastInterrupted());
		}
		else {
			ps.setNull(i++, Types.BOOLEAN);
		}
		ps.setString(i++, a.sessionId());
		ps.setString(i++, a.cwd());
		ps.setLong(i++, a.now());
		ps.setLong(i++, a.id());
		ps.setLong(i++, a.expectedOffset());
		ps.setInt(i, a.expectedGeneration());
	}

	private static void setLong(PreparedStatement ps, int i, Long value) throws SQLException {
		if (value != null) {
			ps.setLong(i, value);
		}
		else {
			ps.setNull(i, Types.BIGINT);
		}
	}

	/**
	 * Marks a vanished file deleted; its totals stay (history), guarded like
	 * {@link #advance}.
	 */
	public boolean markDeleted(long id, int expectedGeneration, long now) {
		return this.jdbc.sql("""
				UPDATE source_file SET deleted = TRUE, deleted_at = :now, active_path_key = NULL
				WHERE id = :id AND generation = :generation AND deleted = FALSE
				""").param("now", now).param("id", id).param("generation", expectedGeneration).update() == 1;
	}

	/**
	 * Adds signed deltas to the counted totals of files: tokens, costs and the tool uses
	 * of their counted copies ({@code tool_uses} also holds, from {@link #advanceAll},
	 * the tool uses of lines without usage).
	 */
	public void addTotals(Map<Long, UsageSums> byFile) {
		List<Map.Entry<Long, UsageSums>> entries = new ArrayList<>(byFile.entrySet());
		this.batch.run(
				"UPDATE source_file SET " + UsageSums.addAssignments() + ", tool_uses = tool_uses + ? WHERE id = ?",
				entries, 500, (ps, e) -> {
					int i = e.getValue().bind(ps, 1);
					ps.setLong(i++, e.getValue().toolUses());
					ps.setLong(i, e.getKey());
				});
	}

	/**
	 * Recomputes every file's counted totals from its counted usage copies (after a
	 * re-pricing).
	 */
	public void rebuildTotalsFromCopies() {
		StringBuilder sql = new StringBuilder("UPDATE source_file SET ");
		String[][] columns = { { "messages", "COUNT(*)" }, { "input_tokens", "SUM(c.input_tokens)" },
				{ "output_tokens", "SUM(c.output_tokens)" }, { "cache_write_5m", "SUM(c.cache_write_5m)" },
				{ "cache_write_1h", "SUM(c.cache_write_1h)" }, { "cache_read", "SUM(c.cache_read)" },
				{ "cost_input", "SUM(c.cost_input)" }, { "cost_output", "SUM(c.cost_output)" },
				{ "cost_cache_write", "SUM(c.cost_cache_write)" }, { "cost_cache_read", "SUM(c.cost_cache_read)" },
				{ "cost_logged", "SUM(COALESCE(c.cost_logged, 0))" },
				{ "cost_calc_of_logged",
						"SUM(CASE WHEN c.cost_logged IS NULL THEN 0 ELSE c.cost_input + c.cost_output + c.cost_cache_write + c.cost_cache_read + c.cost_web_search END)" },
				{ "unpriced_messages", "SUM(CASE WHEN c.priced THEN 0 ELSE 1 END)" },
				{ "web_searches", "SUM(c.web_searches)" }, { "cost_web_search", "SUM(c.cost_web_search)" },
				{ "estimated_messages", "SUM(CASE WHEN c.estimated THEN 1 ELSE 0 END)" } };
		for (int i = 0; i < columns.length; i++) {
			sql.append(i > 0 ? ", " : "")
				.append(columns[i][0])
				.append(" = (SELECT COALESCE(")
				.append(columns[i][1])
				.append(", 0) FROM usage_copy c WHERE c.file_id = source_file.id AND c.counted = TRUE)");
		}
		this.jdbc.sql(sql.toString()).update();
	}

}
