package dev.cctracer.web.job;

import java.time.Instant;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.discovery.Ids;

/**
 * The Parquet archive per session: how many of its transcripts have a Parquet copy valid
 * for their committed bytes, how big, and since when.
 */
@RestController
class ArchiveApiController {

	private final JdbcClient jdbc;

	ArchiveApiController(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** One session's archive state. */
	record SessionArchiveDto(String project, String sessionId, long files, long archivedFiles, long parquetBytes,
			String lastConverted, String status) {

	}

	record ArchiveStatusDto(List<SessionArchiveDto> sessions) {

	}

	@GetMapping("/api/archive/status")
	ArchiveStatusDto status(@RequestParam(required = false) String project) {
		if (project != null) {
			Ids.requireProjectDir(project);
		}
		List<SessionArchiveDto> sessions = this.jdbc
			.sql("""
					SELECT f.project_dir, f.session_id, COUNT(*),
					  SUM(CASE WHEN p.generation = f.generation AND p.committed_offset = f.committed_offset THEN 1 ELSE 0 END),
					  COALESCE(SUM(CASE WHEN p.generation = f.generation AND p.committed_offset = f.committed_offset
					    THEN p.bytes ELSE 0 END), 0),
					  MAX(p.created_at)
					FROM source_file f LEFT JOIN parquet_file p ON p.file_id = f.id
					WHERE f.deleted = FALSE AND f.session_id IS NOT NULL AND f.committed_offset > 0
					  AND (CAST(:project AS VARCHAR) IS NULL OR f.project_dir = :project)
					GROUP BY f.project_dir, f.session_id ORDER BY f.project_dir, f.session_id
					""")
			.param("project", project)
			.query((rs, i) -> {
				long files = rs.getLong(3);
				long archived = rs.getLong(4);
				Long at = (Long) rs.getObject(6, Long.class);
				String status = (archived == files) ? "archived" : (archived == 0) ? "live" : "partly archived";
				return new SessionArchiveDto(rs.getString(1), rs.getString(2), files, archived, rs.getLong(5),
						(at != null) ? Instant.ofEpochMilli(at).toString() : null, status);
			})
			.list();
		return new ArchiveStatusDto(sessions);
	}

}
