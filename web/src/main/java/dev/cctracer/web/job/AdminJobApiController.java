package dev.cctracer.web.job;

import java.net.URI;
import java.util.Map;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Admin actions that run as jobs (admin login required). Answers 202 with the job's
 * status URL; asking again for the same data version gets the same job.
 */
@RestController
class AdminJobApiController {

	private final JobService jobs;

	AdminJobApiController(JobService jobs) {
		this.jobs = jobs;
	}

	@AnswersWithJob(always = true)
	@PostMapping("/api/admin/archive")
	ResponseEntity<Map<String, String>> archive() {
		return accepted(this.jobs.enqueueArchive());
	}

	@AnswersWithJob(always = true)
	@PostMapping("/api/admin/verify")
	ResponseEntity<Map<String, String>> verify() {
		return accepted(this.jobs.enqueueVerify());
	}

	private static ResponseEntity<Map<String, String>> accepted(String id) {
		String url = "/api/jobs/" + id;
		return ResponseEntity.accepted().location(URI.create(url)).body(Map.of("job_id", id, "status_url", url));
	}

}
