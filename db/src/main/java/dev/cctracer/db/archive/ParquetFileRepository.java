package dev.cctracer.db.archive;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Reads of the Parquet archive's state ({@code parquet_file} beside {@code source_file}).
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

}
