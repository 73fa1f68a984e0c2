package dev.cctracer.web.api;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.web.usage.Dtos.IndexStatusDto;
import dev.cctracer.web.usage.IndexStatusService;

/**
 * What the index holds and how clean the input was.
 */
@RestController
class IndexApiController {

	private final IndexStatusService index;

	IndexApiController(IndexStatusService index) {
		this.index = index;
	}

	@GetMapping("/api/index/status")
	IndexStatusDto status() {
		return this.index.status();
	}

}
