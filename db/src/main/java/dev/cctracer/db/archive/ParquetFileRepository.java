package dev.cctracer.db.archive;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The Parquet archive's state ({@code parquet_file} beside {@code source_file}): which
 * copies are valid for which files, which files need one, and recording a new copy.
 */
@Repository
public class ParquetFileRepository {

	/**
	 * One session's archive state.
	 *
	 * @param project the project dir
	 * @param sessionId the session id
	 * @param files its transcripts with committed bytes
	 * @param archivedFiles those whose Parquet copy is valid for their committed bytes
	 * @param parquetBytes the size of those copies (bytes)
	 * @param lastConvertedMillis when a copy was last written (epoch milliseconds), or
	 * {@code null}
	 */
	public record SessionArchive(String project, String sessionId, long files, long archivedFiles, long parquetBytes,
			Long lastConvertedMillis) {

	}

	private final JdbcClient jdbc;

	public ParquetFileRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Every session's archive state, in one project or all ({@code null}). */
	public List<SessionArchive> sessions(String project) {
		return this.jdbc
			.sql("""
					SELECT f.project_dir, f.session_id, COUNT(*) AS files,
					  SUM(CASE WHEN p.generation = f.generation AND p.committed_offset = f.committed_offset THEN 1 ELSE 0 END)
					    AS archived,
					  COALESCE(SUM(CASE WHEN p.generation = f.generation AND p.committed_offset = f.committed_offset
					    THEN p.bytes ELSE 0 END), 0) AS parquet_bytes,
					  MAX(p.created_at) AS last_converted
					FROM source_file f LEFT JOIN parquet_file p ON p.file_id = f.id
					WHERE f.deleted = FALSE AND f.session_id IS NOT NULL AND f.committed_offset > 0
					  AND (CAST(:project AS VARCHAR) IS NULL OR f.project_dir = :project)
					GROUP BY f.project_dir, f.session_id ORDER BY f.project_dir, f.session_id
					""")
			.param("project", project)
			.query((rs, i) -> new SessionArchive(rs.getString("project_dir"), rs.getString("session_id"),
					rs.getLong("files"), rs.getLong("archived"), rs.getLong("parquet_bytes"),
					rs.getObject("last_converted", Long.class)))
			.list();
	}

	/**
	 * An active indexed file with its counted totals (tokens) and the path of its Parquet
	 * copy when that copy is valid for exactly its committed bytes.
	 *
	 * @param committedOffset bytes known to hold complete lines
	 * @param agentId the subagent id, or {@code null}
	 * @param kind the layout ({@code MAIN} for a session's own transcript)
	 * @param overlongLines lines the ingest skipped as longer than its cap
	 * @param parquetPath the valid copy, or {@code null}
	 */
	public record CommittedFile(long id, String root, String relPath, long committedOffset, String projectDir,
			String sessionId, String agentId, String kind, long messages, long inputTokens, long outputTokens,
			long cacheWrite5m, long cacheWrite1h, long cacheRead, long overlongLines, String parquetPath) {

	}

	/** Every active file, by id, with its valid Parquet copy if any. */
	public List<CommittedFile> committedFiles() {
		return this.jdbc.sql("""
				SELECT f.id, f.root, f.rel_path, f.committed_offset, f.project_dir, f.session_id, f.agent_id, f.kind,
				  f.messages, f.input_tokens, f.output_tokens, f.cache_write_5m AS cache_write5m,
				  f.cache_write_1h AS cache_write1h, f.cache_read, f.overlong_lines,
				  CASE WHEN p.generation = f.generation AND p.committed_offset = f.committed_offset THEN p.path END
				    AS parquet_path
				FROM source_file f LEFT JOIN parquet_file p ON p.file_id = f.id
				WHERE f.deleted = FALSE ORDER BY f.id
				""").query(CommittedFile.class).list();
	}

	/**
	 * A file without a Parquet copy at its current committed offset.
	 *
	 * @param committedOffset bytes known to hold complete lines
	 * @param parquetPath its outdated copy, or {@code null}
	 */
	public record Candidate(long id, String root, String relPath, long committedOffset, int generation,
			String parquetPath) {

	}

	/**
	 * Active files with committed bytes whose Parquet copy is missing or outdated, by id.
	 */
	public List<Candidate> candidates() {
		return this.jdbc.sql("""
				SELECT f.id, f.root, f.rel_path, f.committed_offset, f.generation, p.path AS parquet_path
				FROM source_file f LEFT JOIN parquet_file p ON p.file_id = f.id
				WHERE f.deleted = FALSE AND f.committed_offset > 0 AND f.overlong_lines = 0
				  AND (p.file_id IS NULL OR p.generation <> f.generation OR p.committed_offset <> f.committed_offset)
				ORDER BY f.id
				""").query(Candidate.class).list();
	}

	/**
	 * Records a file's new Parquet copy in place of its old one, unless the file moved on
	 * since the copy was made (then only the old record goes). Call in a transaction.
	 * @param generation and {@code committedOffset}: the file state the copy holds
	 * @param rows entries in the copy
	 * @param bytes its size
	 * @param createdAtMs when it was written (epoch milliseconds)
	 * @return whether the copy was recorded (the file is still at that state)
	 */
	public boolean replaceCopy(long fileId, int generation, long committedOffset, String path, long rows, long bytes,
			long createdAtMs) {
		this.jdbc.sql("DELETE FROM parquet_file WHERE file_id = :id").param("id", fileId).update();
		boolean current = this.jdbc.sql("""
				SELECT COUNT(*) FROM source_file WHERE id = :id AND generation = :g AND committed_offset = :o
				""")
			.param("id", fileId)
			.param("g", generation)
			.param("o", committedOffset)
			.query(Long.class)
			.single() == 1;
		if (current) {
			this.jdbc.sql("""
					INSERT INTO parquet_file (file_id, generation, committed_offset, path, row_count, bytes, created_at)
					VALUES (:id, :g, :o, :path, :rows, :bytes, :now)
					""")
				.param("id", fileId)
				.param("g", generation)
				.param("o", committedOffset)
				.param("path", path)
				.param("rows", rows)
				.param("bytes", bytes)
				.param("now", createdAtMs)
				.update();
		}
		return current;
	}

	/** How many indexed files are marked deleted. */
	public int deletedFiles() {
		return this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE deleted = TRUE").query(Integer.class).single();
	}

}
