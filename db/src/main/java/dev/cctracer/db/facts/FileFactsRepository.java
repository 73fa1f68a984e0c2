package dev.cctracer.db.facts;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.DirectBatch;
import dev.cctracer.shared.usage.ApiError;
import dev.cctracer.shared.usage.ChunkParser;
import dev.cctracer.shared.usage.ToolError;

/**
 * {@code api_error}, {@code tool_error} and {@code unknown_entry_type}: what a file's
 * lines say besides usage, written in the ingest's commit and removed with the file's
 * reset.
 */
@Repository
public class FileFactsRepository {

	private final JdbcClient jdbc;

	private final DirectBatch batch;

	public FileFactsRepository(JdbcClient jdbc, DirectBatch batch) {
		this.jdbc = jdbc;
		this.batch = batch;
	}

	/** An API error with its file. */
	public record ApiErrorRow(long fileId, long lineOffset, Long ts, String kind, String text) {

	}

	/** Stores a file's new API errors (a line is stored once: its offset is the key). */
	public void insertApiErrors(long fileId, List<ApiError> errors) {
		if (errors.isEmpty()) {
			return;
		}
		this.batch.run("INSERT INTO api_error (file_id, line_offset, ts, kind, text) VALUES (?, ?, ?, ?, ?)", errors,
				500, (ps, e) -> {
					line(ps, fileId, e.lineOffset(), e.timestamp());
					ps.setString(4, e.kind());
					ps.setString(5, e.text());
				});
	}

	/** Stores a file's new failed tool results that name their call. */
	public void insertToolErrors(long fileId, List<ToolError> errors) {
		if (errors.isEmpty()) {
			return;
		}
		this.batch.run("INSERT INTO tool_error (file_id, line_offset, ts, tool_use_id, forked) VALUES (?, ?, ?, ?, ?)",
				errors, 500, (ps, e) -> {
					line(ps, fileId, e.lineOffset(), e.timestamp());
					ps.setString(4, e.toolUseId());
					ps.setBoolean(5, e.forked());
				});
	}

	/** The first three parameters of a line's row: file, offset, time (or null). */
	private static void line(PreparedStatement ps, long fileId, long offset, Long ts) throws SQLException {
		ps.setLong(1, fileId);
		ps.setLong(2, offset);
		if (ts != null) {
			ps.setLong(3, ts);
		}
		else {
			ps.setNull(3, Types.BIGINT);
		}
	}

	/** Adds lines of unknown entry types, by name. */
	public void addUnknownTypes(long fileId, Map<String, Long> byName) {
		if (byName.isEmpty()) {
			return;
		}
		List<Map.Entry<String, Long>> entries = new ArrayList<>(byName.entrySet());
		int[] counts = this.batch.run(
				"UPDATE unknown_entry_type SET lines = lines + ? WHERE file_id = ? AND type_name = ?", entries, 500,
				(ps, e) -> {
					ps.setLong(1, e.getValue());
					ps.setLong(2, fileId);
					ps.setString(3, e.getKey());
				});
		List<Map.Entry<String, Long>> missing = new ArrayList<>();
		for (int i = 0; i < counts.length; i++) {
			if (counts[i] == 0) {
				missing.add(entries.get(i));
			}
		}
		this.batch.run("INSERT INTO unknown_entry_type (file_id, type_name, lines) VALUES (?, ?, ?)", missing, 500,
				(ps, e) -> {
					ps.setLong(1, fileId);
					ps.setString(2, e.getKey());
					ps.setLong(3, e.getValue());
				});
	}

	/** Removes a file's facts (its reset). */
	public void deleteByFile(long fileId) {
		this.jdbc.sql("DELETE FROM api_error WHERE file_id = :id").param("id", fileId).update();
		this.jdbc.sql("DELETE FROM tool_error WHERE file_id = :id").param("id", fileId).update();
		this.jdbc.sql("DELETE FROM unknown_entry_type WHERE file_id = :id").param("id", fileId).update();
	}

	/**
	 * API errors of the given files, oldest first.
	 * @param fileIds the files (e.g. a session's)
	 */
	public List<ApiErrorRow> apiErrors(List<Long> fileIds) {
		if (fileIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("""
				SELECT file_id, line_offset, ts, kind, text FROM api_error WHERE file_id IN (:ids)
				ORDER BY ts, file_id, line_offset
				""")
			.param("ids", fileIds)
			.query((rs, i) -> new ApiErrorRow(rs.getLong("file_id"), rs.getLong("line_offset"),
					rs.getObject("ts", Long.class), rs.getString("kind"), rs.getString("text")))
			.list();
	}

	/** Instants (epoch ms) of every API error with a timestamp, for per-day counts. */
	public List<Long> apiErrorInstants() {
		return this.jdbc.sql("SELECT ts FROM api_error WHERE ts IS NOT NULL").query(Long.class).list();
	}

	/**
	 * Lines of unknown entry types over all files, by name, most first; lines without a
	 * {@code type} string under {@link ChunkParser#NO_TYPE} (stored as an empty name
	 * before 2026-12-06).
	 */
	public Map<String, Long> unknownTypes() {
		Map<String, Long> result = new LinkedHashMap<>();
		this.jdbc.sql("""
				SELECT name, SUM(lines) AS n
				FROM (SELECT CASE WHEN type_name = '' THEN :noType ELSE type_name END AS name, lines
				      FROM unknown_entry_type) t
				GROUP BY name ORDER BY n DESC, name
				""")
			.param("noType", ChunkParser.NO_TYPE)
			.query((rs, i) -> result.put(rs.getString("name"), rs.getLong("n")))
			.list();
		return result;
	}

}
