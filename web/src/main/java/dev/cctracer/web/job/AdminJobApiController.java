package dev.cctracer.web.job;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.jobrunr.scheduling.JobRequestScheduler;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.job.ArchiveJobRequest;
import dev.cctracer.shared.job.VerifyJobRequest;

/**
 * Admin actions that run as jobs. Answers 202 with the job's status URL; asking again for
 * the same data version gets the same job.
 */
@RestController
class AdminJobApiController {

	private final JobRequestScheduler scheduler;

	private final JobRequestRepository jobs;

	private final MetaRepository meta;

	AdminJobApiController(JobRequestScheduler scheduler, JobRequestRepository jobs, MetaRepository meta) {
		this.scheduler = scheduler;
		this.jobs = jobs;
		this.meta = meta;
	}

	@PostMapping("/api/admin/archive")
	ResponseEntity<Map<String, String>> archive() {
		long version = this.meta.dataVersion();
		UUID id = UUID.nameUUIDFromBytes(("archive:" + version).getBytes(StandardCharsets.UTF_8));
		this.jobs.insertIfAbsent(id.toString(), "archive", "archive quiet transcripts, data version " + version,
				System.currentTimeMillis());
		this.scheduler.enqueue(id, new ArchiveJobRequest("admin"));
		String url = "/api/jobs/" + id;
		return ResponseEntity.accepted()
			.location(URI.create(url))
			.body(Map.of("job_id", id.toString(), "status_url", url));
	}

	@PostMapping("/api/admin/verify")
	ResponseEntity<Map<String, String>> verify() {
		long version = this.meta.dataVersion();
		UUID id = UUID.nameUUIDFromBytes(("verify:" + version).getBytes(StandardCharsets.UTF_8));
		this.jobs.insertIfAbsent(id.toString(), "verify", "rebuild and verify, data version " + version,
				System.currentTimeMillis());
		this.scheduler.enqueue(id, new VerifyJobRequest("admin"));
		String url = "/api/jobs/" + id;
		return ResponseEntity.accepted()
			.location(URI.create(url))
			.body(Map.of("job_id", id.toString(), "status_url", url));
	}

}
