package dev.cctracer.web.system;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * {@code /favicon.ico}, which browsers ask for whatever a page links: a permanent
 * redirect to the app's icon ({@code /favicon.svg}, linked by every page), where it
 * answered a JSON 404 that each browser logged.
 */
@Controller
class FaviconController {

	@GetMapping("/favicon.ico")
	ResponseEntity<Void> favicon() {
		return ResponseEntity.status(HttpStatus.MOVED_PERMANENTLY)
			.location(ServletUriComponentsBuilder.fromCurrentContextPath().path("/favicon.svg").build().toUri())
			.build();
	}

}
