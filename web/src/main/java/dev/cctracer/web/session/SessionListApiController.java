package dev.cctracer.web.session;

import jakarta.validation.Valid;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.Period;

/**
 * {@code GET /api/sessions}: the sessions of every project, as on the Sessions page.
 */
@RestController
class SessionListApiController {

	private final SessionListService sessions;

	SessionListApiController(SessionListService sessions) {
		this.sessions = sessions;
	}

	/**
	 * One page of sessions of every project: {@code path_hash} names each one's project,
	 * {@code first_prompt} is the first prompt of one without a title (at most 80
	 * characters).
	 * @param tz the zone of the days {@code from} and {@code to}; the server's by default
	 * @param limit 1 to 500 (default 50)
	 */
	@GetMapping("/api/sessions")
	SessionsDto sessions(@Valid SessionListQuery query, @RequestParam(required = false) String tz,
			@RequestParam(defaultValue = "50") int limit, CostMode mode) {
		return this.sessions.page(query, new Period.Query(null, null, tz).period().zone(), limit, mode);
	}

}
