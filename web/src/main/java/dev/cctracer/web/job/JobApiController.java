package dev.cctracer.web.job;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.web.job.JobService.JobStatusDto;
import dev.cctracer.web.system.Roles;

/**
 * Job polling: {@code GET /api/jobs/{id}} tells the state, progress, times and where the
 * result is (or an error summary); {@code GET /api/jobs/{id}/result} gives the result. An
 * id JobRunr has purged answers from the application's own record, or 410 once that is
 * gone too. An admin job ({@link JobService#ADMIN_KINDS}) is a 404 to all but the admin.
 */
@RestController
class JobApiController {

	private final JobService service;

	JobApiController(JobService service) {
		this.service = service;
	}

	@GetMapping("/api/jobs/{id}")
	JobStatusDto status(@PathVariable String id, HttpServletRequest request) {
		this.service.requireVisible(id, request.isUserInRole(Roles.ADMIN));
		return this.service.status(id);
	}

	@GetMapping("/api/jobs/{id}/result")
	ResponseEntity<String> result(@PathVariable String id, HttpServletRequest request) {
		this.service.requireVisible(id, request.isUserInRole(Roles.ADMIN));
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(this.service.resultJson(id, "result"));
	}

	@ExceptionHandler(JobService.JobGoneException.class)
	ProblemDetail gone(JobService.JobGoneException ex) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.GONE, ex.getMessage());
		p.setTitle("Job gone");
		return p;
	}

}
