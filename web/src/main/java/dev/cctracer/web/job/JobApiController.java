package dev.cctracer.web.job;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.jobrunr.jobs.states.FailedState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.storage.JobNotFoundException;
import org.jobrunr.storage.StorageProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.job.JobRequestRepository.JobRequestRow;
import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.web.api.NotFoundException;

/**
 * Job polling: {@code GET /api/jobs/{id}} tells the state, progress, times and where the
 * result is (or an error summary); {@code GET /api/jobs/{id}/result} gives the result. An
 * id JobRunr has purged answers from the application's own record, or 410 once that is
 * gone too.
 */
@RestController
class JobApiController {

	private final StorageProvider storage;

	private final JobRequestRepository jobs;

	JobApiController(StorageProvider storage, JobRequestRepository jobs) {
		this.storage = storage;
		this.jobs = jobs;
	}

	/** A job's status. */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record JobStatusDto(String id, String kind, String label, String state, int progress, String createdAt,
			String updatedAt, String resultUrl, String error) {

	}

	@GetMapping("/api/jobs/{id}")
	JobStatusDto status(@PathVariable String id) {
		UUID uuid = parse(id);
		JobRequestRow row = this.jobs.find(uuid.toString()).orElse(null);
		Job job;
		try {
			job = this.storage.getJobById(uuid);
		}
		catch (JobNotFoundException ex) {
			if (row == null) {
				throw new NotFoundException("no job " + id);
			}
			if (row.resultJson() != null || row.error() != null) {
				// purged by JobRunr; the outcome is still on record
				return new JobStatusDto(row.id(), row.kind(), row.label(),
						(row.error() != null) ? "failed" : "succeeded", 100, iso(row.createdAt()),
						iso(row.finishedAt()), (row.resultJson() != null) ? "/api/jobs/" + row.id() + "/result" : null,
						row.error());
			}
			throw new JobGoneException(id);
		}
		StateName state = job.getState();
		JobDashboardProgressBar bar = JobDashboardProgressBar.get(job);
		int progress = (state == StateName.SUCCEEDED) ? 100 : (bar != null) ? bar.getProgressAsPercentage() : 0;
		String error = null;
		if (state == StateName.FAILED) {
			error = (row != null && row.error() != null) ? row.error()
					: job.getLastJobStateOfType(FailedState.class)
						.map((f) -> f.getExceptionType() + ": " + f.getExceptionMessage())
						.orElse("failed");
		}
		boolean hasResult = row != null && row.resultJson() != null;
		return new JobStatusDto(job.getId().toString(), (row != null) ? row.kind() : null,
				(row != null) ? row.label() : job.getJobName(), state.name().toLowerCase(java.util.Locale.ROOT),
				progress, job.getCreatedAt().toString(), job.getUpdatedAt().toString(),
				hasResult ? "/api/jobs/" + job.getId() + "/result" : null, error);
	}

	@GetMapping("/api/jobs/{id}/result")
	ResponseEntity<String> result(@PathVariable String id) {
		UUID uuid = parse(id);
		JobRequestRow row = this.jobs.find(uuid.toString()).orElseThrow(() -> new NotFoundException("no job " + id));
		if (row.resultJson() == null) {
			throw new NotFoundException(
					"job " + id + " has no result" + ((row.error() != null) ? " (it failed)" : " yet"));
		}
		return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(row.resultJson());
	}

	@ExceptionHandler(JobGoneException.class)
	ProblemDetail gone(JobGoneException ex) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.GONE, ex.getMessage());
		p.setTitle("Job gone");
		return p;
	}

	private static UUID parse(String id) {
		try {
			return UUID.fromString(id);
		}
		catch (IllegalArgumentException ex) {
			throw new Ids.InvalidIdException("job", id);
		}
	}

	private static String iso(Long epochMillis) {
		return (epochMillis == null) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

	/** A job that existed but whose state and result are past retention. */
	static final class JobGoneException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		JobGoneException(String id) {
			super("job " + id + " is past retention; run it again");
		}

	}

}
