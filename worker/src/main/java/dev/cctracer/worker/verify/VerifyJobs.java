package dev.cctracer.worker.verify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.job.VerifyJobHandler;
import dev.cctracer.shared.job.VerifyJobRequest;
import dev.cctracer.worker.ingest.Indexer;

/**
 * The rebuild-and-verify job: runs {@link DuckDbVerifier} on the ingest thread (so no
 * ingest of this process moves an offset meanwhile), stores the report as the job's
 * result, and shows progress in JobRunr's dashboard.
 */
@Component
class VerifyJobs implements VerifyJobHandler {

	private static final Logger log = LoggerFactory.getLogger(VerifyJobs.class);

	private static final ObjectMapper JSON = new ObjectMapper()
		.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

	private final Indexer indexer;

	private final DuckDbVerifier verifier;

	private final JobRequestRepository jobs;

	private final MetaRepository meta;

	VerifyJobs(Indexer indexer, DuckDbVerifier verifier, JobRequestRepository jobs, MetaRepository meta) {
		this.indexer = indexer;
		this.verifier = verifier;
		this.jobs = jobs;
		this.meta = meta;
	}

	@Override
	@Job(name = "Rebuild and verify all totals (%0)", retries = 1)
	public void run(VerifyJobRequest request) throws Exception {
		String id = jobContext().getJobId().toString();
		long files = this.meta.getLong(MetaRepository.LAST_SCAN_FILES).orElse(1L);
		JobDashboardProgressBar progress = jobContext().progressBar(Math.max(1, files));
		DuckDbVerifier.Report report = this.indexer.exclusive(() -> {
			try {
				DuckDbVerifier.Report r = this.verifier
					.verify((n) -> progress.setProgress(Math.min(n, Math.max(1, files))));
				this.jobs.saveResult(id, JSON.writeValueAsString(r), System.currentTimeMillis());
				return r;
			}
			catch (Exception ex) {
				// the job's error summary: exception type and message (paths and SQL,
				// never transcript text)
				this.jobs.saveError(id, ex.getClass().getSimpleName() + ": " + ex.getMessage(),
						System.currentTimeMillis());
				throw ex;
			}
		});
		progress.setProgress(Math.max(1, files));
		log.info("verify: {} files compared, {} differ, {} ms", report.filesCompared(), report.differingFiles(),
				report.millis());
	}

}
