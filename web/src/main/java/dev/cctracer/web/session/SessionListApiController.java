package dev.cctracer.web.session;

import java.time.ZoneId;
import java.util.List;

import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.validation.Valid;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.VersionedAnswers;

/**
 * {@code GET /api/sessions}: the sessions of every project, as on the Sessions page; each
 * answer is serialised once per data version (and until a status in it changes).
 */
@RestController
class SessionListApiController {

	private final SessionListService sessions;

	private final VersionedAnswers answers;

	SessionListApiController(SessionListService sessions, VersionedAnswers answers) {
		this.sessions = sessions;
		this.answers = answers;
	}

	/**
	 * One page of sessions of every project: {@code path_hash} names each one's project,
	 * {@code first_prompt} is the first prompt of one without a title (at most 80
	 * characters).
	 * @param tz the zone of the days {@code from} and {@code to}; the server's by default
	 * @param limit 1 to 500 (default 50)
	 */
	@GetMapping("/api/sessions")
	@ApiResponse(responseCode = "200",
			content = @Content(mediaType = "application/json", schema = @Schema(implementation = SessionsDto.class)))
	ResponseEntity<byte[]> sessions(@Valid SessionListQuery query, @RequestParam(required = false) String tz,
			@RequestParam(defaultValue = "50") int limit, CostMode mode) {
		ZoneId zone = new Period.Query(null, null, tz).period().zone();
		return this.answers.expiringJson(List.of("sessions-everywhere", query, zone, limit, mode),
				() -> this.sessions.pageUntil(query, zone, limit, mode));
	}

}
