package dev.cctracer.web.session;

import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Finds the transcript file of a session or subagent among the indexed files.
 */
@Repository
class TranscriptFiles {

	/**
	 * An indexed file.
	 *
	 * @param id row id
	 * @param root projects dir
	 * @param relPath path below it
	 * @param kind layout
	 * @param agentId subagent id
	 * @param generation bumped by every rewrite
	 * @param committedOffset how far the file is known to hold complete lines
	 */
	record FileRef(long id, String root, String relPath, String kind, String agentId, int generation,
			long committedOffset) {

		boolean main() {
			return "MAIN".equals(this.kind);
		}

	}

	private static final String COLUMNS = "id, root, rel_path, kind, agent_id, generation, committed_offset";

	private final JdbcClient jdbc;

	TranscriptFiles(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	Optional<FileRef> mainFile(String project, String session) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM source_file WHERE project_dir = :p AND session_id = :s AND kind = 'MAIN'"
					+ " ORDER BY deleted, id")
			.param("p", project)
			.param("s", session)
			.query(FileRef.class)
			.list()
			.stream()
			.findFirst();
	}

	Optional<FileRef> subagentFile(String project, String session, String agent) {
		return this.jdbc
			.sql("SELECT " + COLUMNS + " FROM source_file WHERE project_dir = :p AND session_id = :s AND kind <> 'MAIN'"
					+ " AND agent_id = :a ORDER BY deleted, id")
			.param("p", project)
			.param("s", session)
			.param("a", agent)
			.query(FileRef.class)
			.list()
			.stream()
			.findFirst();
	}

	List<FileRef> sessionFiles(String project, String session) {
		return this.jdbc
			.sql("SELECT " + COLUMNS
					+ " FROM source_file WHERE project_dir = :p AND session_id = :s AND deleted = FALSE"
					+ " ORDER BY CASE WHEN kind = 'MAIN' THEN 0 ELSE 1 END, rel_path")
			.param("p", project)
			.param("s", session)
			.query(FileRef.class)
			.list();
	}

}
