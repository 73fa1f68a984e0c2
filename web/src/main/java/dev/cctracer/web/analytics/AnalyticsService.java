package dev.cctracer.web.analytics;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.job.QueryJobRequest;
import dev.cctracer.shared.job.SearchJobRequest;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.shared.job.ToolStatsJobRequest;
import dev.cctracer.web.api.NotFoundException;

/**
 * Answers heavy questions from a result cached for the current data version (200), or
 * starts the job that computes it and answers 202 with its status URL. The job id comes
 * from the question and the data version, so asking again while it runs gets the same
 * job.
 */
@Service
public class AnalyticsService {

	private final JobRequestScheduler scheduler;

	private final JobRequestRepository jobs;

	private final MetaRepository meta;

	private final JdbcClient jdbc;

	AnalyticsService(JobRequestScheduler scheduler, JobRequestRepository jobs, MetaRepository meta, JdbcClient jdbc) {
		this.scheduler = scheduler;
		this.jobs = jobs;
		this.meta = meta;
		this.jdbc = jdbc;
	}

	ResponseEntity<?> toolStats(String project) {
		if (project != null) {
			Ids.requireProjectDir(project);
			if (this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE project_dir = :p")
				.param("p", project)
				.query(Long.class)
				.single() == 0) {
				throw NotFoundException.project(project);
			}
		}
		String scope = (project != null) ? project : "*";
		return cachedOrStart("tools", "tool statistics of " + ((project != null) ? project : "all projects"), scope,
				new ToolStatsJobRequest(project));
	}

	ResponseEntity<?> query(Map<String, Object> body) {
		QuerySpec spec = QuerySpec.of(body);
		return cachedOrStart("query", "query by " + String.join(", ", spec.groupBy()), spec.canonical(),
				new QueryJobRequest(spec.canonical()));
	}

	ResponseEntity<?> search(Map<String, Object> body) {
		if (body == null || !(body.get("q") instanceof String q) || q.strip().length() < 2 || q.length() > 200) {
			throw new IllegalArgumentException("q must be text of 2 to 200 characters");
		}
		for (String key : body.keySet()) {
			if (!key.equals("q") && !key.equals("project")) {
				throw new IllegalArgumentException("unknown field; fields are q and project");
			}
		}
		String project = null;
		if (body.get("project") != null) {
			if (!(body.get("project") instanceof String p)) {
				throw new IllegalArgumentException("project must be a string");
			}
			project = Ids.requireProjectDir(p);
		}
		String text = q.strip();
		return cachedOrStart("search", "full-text search", text + "\n" + project, new SearchJobRequest(text, project));
	}

	private ResponseEntity<?> cachedOrStart(String kind, String label, String question, JobRequest request) {
		long version = this.meta.dataVersion();
		UUID id = UUID.nameUUIDFromBytes((kind + ":" + question + ":" + version).getBytes(StandardCharsets.UTF_8));
		var row = this.jobs.find(id.toString());
		if (row.isPresent() && row.get().resultJson() != null) {
			return ResponseEntity.ok()
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Job-Id", id.toString())
				.body(row.get().resultJson());
		}
		if (row.isEmpty()) {
			this.jobs.insertIfAbsent(id.toString(), kind, label + ", data version " + version,
					System.currentTimeMillis());
			this.scheduler.enqueue(id, request);
		}
		String url = "/api/jobs/" + id;
		return ResponseEntity.accepted()
			.location(URI.create(url))
			.body(Map.of("job_id", id.toString(), "status_url", url));
	}

}
