package dev.cctracer.worker.analytics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.jobrunr.jobs.annotations.Job;
import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.job.ToolStatsJobHandler;
import dev.cctracer.shared.job.ToolStatsJobRequest;
import dev.cctracer.worker.ingest.Indexer;

/**
 * Analytics jobs: run on the ingest thread (a consistent view of committed offsets; no H2
 * work on a JobRunr thread) and store their result for {@code /api/jobs/{id}/result}.
 */
@Component
class AnalyticsJobs implements ToolStatsJobHandler {

	private static final ObjectMapper JSON = new ObjectMapper()
		.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

	private final Indexer indexer;

	private final ToolStatsQuery tools;

	private final JobRequestRepository jobs;

	private final MetaRepository meta;

	AnalyticsJobs(Indexer indexer, ToolStatsQuery tools, JobRequestRepository jobs, MetaRepository meta) {
		this.indexer = indexer;
		this.tools = tools;
		this.jobs = jobs;
		this.meta = meta;
	}

	@Override
	@Job(name = "Tool statistics (%0)", retries = 1)
	public void run(ToolStatsJobRequest request) throws Exception {
		String id = jobContext().getJobId().toString();
		this.indexer.exclusive(() -> {
			try {
				ToolStatsQuery.ToolStats stats = this.tools.run(request.project(), this.meta.dataVersion());
				this.jobs.saveResult(id, JSON.writeValueAsString(stats), System.currentTimeMillis());
				return stats;
			}
			catch (Exception ex) {
				this.jobs.saveError(id, ex.getClass().getSimpleName() + ": " + ex.getMessage(),
						System.currentTimeMillis());
				throw ex;
			}
		});
	}

}
