package dev.cctracer.web.analytics;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.cctracer.web.job.AnswersWithJob;

/**
 * Tool statistics per project and over all projects: 200 when computed for the current
 * data, else 202 with the job to poll.
 */
@RestController
class AnalyticsApiController {

	private final AnalyticsService analytics;

	AnalyticsApiController(AnalyticsService analytics) {
		this.analytics = analytics;
	}

	@AnswersWithJob
	@GetMapping("/api/projects/{project}/tools")
	ResponseEntity<?> projectTools(@PathVariable String project) {
		return this.analytics.toolStats(project);
	}

	/**
	 * An ad-hoc query: 200 with the result computed for the current data, else 202 with
	 * the job.
	 */
	@AnswersWithJob
	@PostMapping("/api/queries")
	ResponseEntity<?> query(@RequestBody(required = false) QueryRequest body) {
		return this.analytics.query(body);
	}

	/**
	 * Full-text search over all transcripts: 200 with hits computed for the current data,
	 * else 202.
	 */
	@AnswersWithJob
	@PostMapping("/api/search")
	ResponseEntity<?> search(@RequestBody(required = false) SearchRequest body) {
		return this.analytics.search(body);
	}

	/**
	 * Every hit of a full-text search, newest first, as NDJSON (one hit a line, streamed,
	 * no cap); the same validation as {@code POST /api/search}.
	 */
	@GetMapping(path = "/api/search/stream", produces = "application/x-ndjson")
	ResponseEntity<StreamingResponseBody> searchStream(@RequestParam String q,
			@RequestParam(required = false) String project) {
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType("application/x-ndjson"))
			.body(this.analytics.searchStream(q, project));
	}

	@AnswersWithJob
	@GetMapping("/api/tools")
	ResponseEntity<?> allTools() {
		return this.analytics.toolStats(null);
	}

	/**
	 * Hook statistics of all projects (runs, failures and blocks per event and command):
	 * 200 for the current data, else 202 with the job reading the transcripts.
	 */
	@AnswersWithJob
	@GetMapping("/api/hooks")
	ResponseEntity<?> allHooks() {
		return this.analytics.hookStats(null);
	}

	/** Hook statistics of a project, as {@link #allHooks}. */
	@AnswersWithJob
	@GetMapping("/api/projects/{project}/hooks")
	ResponseEntity<?> projectHooks(@PathVariable String project) {
		return this.analytics.hookStats(project);
	}

}
