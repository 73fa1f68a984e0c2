package dev.cctracer.web.job;

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
		return JobService.accepted(this.jobs.enqueueArchive());
	}

	@AnswersWithJob(always = true)
	@PostMapping("/api/admin/verify")
	ResponseEntity<Map<String, String>> verify() {
		return JobService.accepted(this.jobs.enqueueVerify());
	}

}
