package dev.cctracer.web.api;

import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.Dtos.ProjectsDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.web.usage.VersionedAnswers;

/**
 * Projects and their sessions.
 */
@RestController
@RequestMapping("/api")
class ProjectApiController {

	private final UsageService usage;

	private final VersionedAnswers answers;

	ProjectApiController(UsageService usage, VersionedAnswers answers) {
		this.usage = usage;
		this.answers = answers;
	}

	/**
	 * The projects as JSON serialised once per data version (the list is the most
	 * requested and largest answer; re-serialising it was most of its cost), looked up
	 * before any transaction.
	 */
	@GetMapping("/projects")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = ProjectsDto.class)))
	ResponseEntity<byte[]> projects(CostMode mode) {
		return this.answers.json(List.of("projects", mode), () -> this.usage.projects(mode));
	}

	/**
	 * Usage by origin: the machine (host name, or {@code cctracer.origin}) whose logs it
	 * came from, with the config dirs it indexes. One entry on a single machine.
	 */
	@GetMapping("/origins")
	Dtos.OriginsDto origins(CostMode mode) {
		return this.usage.origins(mode);
	}

	/**
	 * A page of a project's sessions, serialised once per data version and kept until a
	 * status on it (running, idle…) changes with the clock.
	 */
	@GetMapping("/projects/{project}/sessions")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionsDto.class)))
	ResponseEntity<byte[]> sessions(@PathVariable String project, @RequestParam(required = false) String sort,
			@RequestParam(required = false) String order, @RequestParam(defaultValue = "50") int limit,
			@RequestParam(required = false) String cursor, CostMode mode) {
		return this.answers.expiringJson(Arrays.asList("sessions", project, sort, order, limit, cursor, mode),
				() -> this.usage.sessionsUntil(project, sort, order, limit, cursor, mode));
	}

	/** The original tracer's metrics summed over a project's sessions. */
	@GetMapping("/projects/{project}/metrics")
	Dtos.MetricsDto projectMetrics(@PathVariable String project, CostMode mode) {
		return this.usage.projectMetrics(project, mode);
	}

	/** The original tracer's metrics of a session. */
	@GetMapping("/sessions/{project}/{session}/metrics")
	Dtos.MetricsDto sessionMetrics(@PathVariable String project, @PathVariable String session, CostMode mode) {
		return this.usage.sessionMetrics(project, session, mode);
	}

	/** A session's API errors (not messages, no cost), oldest first. */
	@GetMapping("/sessions/{project}/{session}/api-errors")
	Dtos.ApiErrorsDto apiErrors(@PathVariable String project, @PathVariable String session) {
		return this.usage.apiErrors(project, session);
	}

	@GetMapping("/sessions/{project}/{session}")
	SessionDto session(@PathVariable String project, @PathVariable String session, CostMode mode) {
		return this.usage.session(project, session, mode);
	}

}
