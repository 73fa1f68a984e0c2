package dev.cctracer.web.admin;

import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The admin console's files table: one page of indexed files, most recently ingested
 * first.
 */
@Component
class FileTable {

	static final int PAGE = 100;

	private final JdbcClient jdbc;

	FileTable(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * One file's ingest state.
	 *
	 * @param status ingested, pending (bytes past the committed offset) or deleted
	 */
	record FileRow(long id, String root, String relPath, String kind, long committedOffset, long size, String status,
			long lines, long invalidLines, long overlongLines, int generation, Long lastIngestAt) {

	}

	List<FileRow> page(int page) {
		return this.jdbc.sql("""
				SELECT id, root, rel_path, kind, committed_offset, seen_size,
				  CASE WHEN deleted THEN 'deleted' WHEN committed_offset < seen_size THEN 'pending' ELSE 'ingested' END,
				  lines, invalid_lines, overlong_lines, generation, last_ingest_at
				FROM source_file
				ORDER BY deleted, CASE WHEN last_ingest_at IS NULL THEN 1 ELSE 0 END, last_ingest_at DESC, id
				LIMIT :limit OFFSET :offset
				""")
			.param("limit", PAGE)
			.param("offset", (long) Math.max(0, page - 1) * PAGE)
			.query((rs, i) -> new FileRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getLong(5), rs.getLong(6), rs.getString(7), rs.getLong(8), rs.getLong(9), rs.getLong(10),
					rs.getInt(11), (Long) rs.getObject(12, Long.class)))
			.list();
	}

}
