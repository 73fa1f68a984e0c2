package dev.cctracer.web.job;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.NotFoundException;

/**
 * The facts' compaction state per session, as the API shows it (named archive since the
 * API's first version).
 */
@Service
@Transactional(readOnly = true)
class ArchiveStatusService {

	private final FactSegmentRepository archive;

	private final IndexedFiles files;

	ArchiveStatusService(FactSegmentRepository archive, IndexedFiles files) {
		this.archive = archive;
		this.files = files;
	}

	/**
	 * One session's archive state.
	 *
	 * @param files its transcripts with committed bytes
	 * @param archivedFiles those whose facts are one compacted Parquet segment covering
	 * their committed bytes
	 * @param parquetBytes the size of their current fact segments (bytes)
	 * @param lastConverted when a segment was last written (ISO-8601 UTC), or
	 * {@code null}
	 * @param status {@code archived}, {@code live} or {@code partly archived}
	 */
	record SessionArchiveDto(String project, String sessionId, long files, long archivedFiles, long parquetBytes,
			String lastConverted, String status) {

	}

	/**
	 * Every session's archive state, of one project or of all ({@code null}).
	 * @throws Ids.InvalidIdException for a malformed project dir
	 * @throws NotFoundException for a project that is not indexed
	 */
	List<SessionArchiveDto> sessions(String project) {
		if (project != null && !this.files.projectExists(project)) {
			// as every other endpoint that names a project: not an empty answer
			throw NotFoundException.project(project);
		}
		return this.archive.sessions(project).stream().map((a) -> {
			String status = (a.archivedFiles() == a.files()) ? "archived"
					: (a.archivedFiles() == 0) ? "live" : "partly archived";
			return new SessionArchiveDto(a.project(), a.sessionId(), a.files(), a.archivedFiles(), a.parquetBytes(),
					(a.lastConvertedMillis() != null) ? Instant.ofEpochMilli(a.lastConvertedMillis()).toString() : null,
					status);
		}).toList();
	}

}
