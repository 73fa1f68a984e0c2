package dev.cctracer.web.statusline;

import java.nio.charset.StandardCharsets;
import java.time.Clock;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Period;

/**
 * {@code GET /api/statusline}: a line for Claude Code's {@code statusLine} command (text)
 * or its numbers (JSON).
 */
@RestController
class StatusLineController {

	private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

	private final StatusLineService service;

	private final Clock clock;

	StatusLineController(StatusLineService service, Clock clock) {
		this.clock = clock;
		this.service = service;
	}

	/**
	 * The status line of {@code session} (optional) now.
	 * @param format {@code text} (default: the line alone) or {@code json}
	 * ({@link StatusLineService.StatusLine}, costs in USD)
	 * @throws IllegalArgumentException for an unknown zone or format (a 400)
	 */
	@GetMapping("/api/statusline")
	ResponseEntity<?> statusLine(@RequestParam(required = false) String session,
			@RequestParam(required = false) String tz, @RequestParam(defaultValue = "text") String format,
			CostMode mode) {
		if (!"text".equals(format) && !"json".equals(format)) {
			throw new IllegalArgumentException("format must be text or json");
		}
		StatusLineService.StatusLine line = this.service.now((session == null || session.isBlank()) ? null : session,
				Period.Query.zone(tz), mode, this.clock.instant());
		if ("json".equals(format)) {
			return ResponseEntity.ok(line);
		}
		return ResponseEntity.ok().contentType(TEXT).body(line.text() + "\n");
	}

}
