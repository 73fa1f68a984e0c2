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
import dev.cctracer.web.usage.NotFoundException;

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
		JobStatusDto status = this.service.status(id);
		requireAdminFor(status.kind(), id, request);
		return status;
	}

	@GetMapping("/api/jobs/{id}/result")
	ResponseEntity<String> result(@PathVariable String id, HttpServletRequest request) {
		String json = this.service.resultJson(id, "result");
		requireAdminFor(this.service.kind(id).orElse(null), id, request);
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json);
	}

	/**
	 * The jobs only the admin starts ({@code verify}, {@code archive}) are the admin's to
	 * poll: their ids follow from the data version, which {@code /health} shows, and a
	 * verify's result lists every file. To anyone else such a job does not exist.
	 * @throws NotFoundException for an admin job asked by someone else
	 */
	private static void requireAdminFor(String kind, String id, HttpServletRequest request) {
		if (kind != null && JobService.ADMIN_KINDS.contains(kind) && !request.isUserInRole(Roles.ADMIN)) {
			throw new NotFoundException("no job " + id);
		}
	}

	@ExceptionHandler(JobService.JobGoneException.class)
	ProblemDetail gone(JobService.JobGoneException ex) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.GONE, ex.getMessage());
		p.setTitle("Job gone");
		return p;
	}

}
