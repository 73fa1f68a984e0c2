package dev.cctracer.web.job;

import java.time.Instant;
import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.db.archive.ParquetFileRepository;
import dev.cctracer.shared.discovery.Ids;

/**
 * The Parquet archive per session: how many of its transcripts have a Parquet copy valid
 * for their committed bytes, how big, and since when.
 */
@RestController
class ArchiveApiController {

	private final ParquetFileRepository archive;

	ArchiveApiController(ParquetFileRepository archive) {
		this.archive = archive;
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
		List<SessionArchiveDto> sessions = this.archive.sessions(project).stream().map((a) -> {
			String status = (a.archivedFiles() == a.files()) ? "archived"
					: (a.archivedFiles() == 0) ? "live" : "partly archived";
			return new SessionArchiveDto(a.project(), a.sessionId(), a.files(), a.archivedFiles(), a.parquetBytes(),
					(a.lastConvertedMillis() != null) ? Instant.ofEpochMilli(a.lastConvertedMillis()).toString() : null,
					status);
		}).toList();
		return new ArchiveStatusDto(sessions);
	}

}
