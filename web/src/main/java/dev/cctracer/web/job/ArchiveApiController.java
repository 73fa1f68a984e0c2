package dev.cctracer.web.job;

import java.util.List;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The Parquet archive per session: how many of its transcripts have a Parquet copy valid
 * for their committed bytes, how big, and since when.
 */
@RestController
class ArchiveApiController {

	private final ArchiveStatusService archive;

	ArchiveApiController(ArchiveStatusService archive) {
		this.archive = archive;
	}

	record ArchiveStatusDto(List<ArchiveStatusService.SessionArchiveDto> sessions) {

	}

	@GetMapping("/api/archive/status")
	ArchiveStatusDto status(@RequestParam(required = false) String project) {
		return new ArchiveStatusDto(this.archive.sessions(project));
	}

}
