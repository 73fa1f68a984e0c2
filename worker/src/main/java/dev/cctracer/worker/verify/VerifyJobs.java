package dev.cctracer.worker.verify;

import org.jobrunr.jobs.context.JobDashboardProgressBar;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.job.VerifyJobHandler;
import dev.cctracer.shared.job.VerifyJobRequest;
import dev.cctracer.worker.analytics.ResultJobRunner;

/**
 * The rebuild-and-verify job: runs {@link RebuildVerifier} on the ingest thread (no
 * ingest of this process moves an offset meanwhile), stores the report as the job's
 * result (a job that finds differences succeeds: {@code equal} is false), and shows
 * progress in JobRunr's dashboard.
 */
@Component
class VerifyJobs implements VerifyJobHandler {

	private static final Logger log = LoggerFactory.getLogger(VerifyJobs.class);

	private final ResultJobRunner runner;

	private final RebuildVerifier verifier;

	private final MetaRepository meta;

	VerifyJobs(ResultJobRunner runner, RebuildVerifier verifier, MetaRepository meta) {
		this.runner = runner;
		this.verifier = verifier;
		this.meta = meta;
	}

	@Override
	public void run(VerifyJobRequest request) throws Exception {
		long files = Math.max(1, this.meta.getLong(MetaRepository.LAST_SCAN_FILES).orElse(1L));
		JobDashboardProgressBar progress = jobContext().progressBar(files);
		RebuildVerifier.Report report = this.runner.run("verify", jobContext().getJobId().toString(),
				() -> this.verifier.verify((n) -> progress.setProgress(Math.min(n, files))));
		progress.setProgress(files);
		log.info("verify: {} files compared, {} differ, {} not compared, {} invalid and {} over-long lines, {} ms",
				report.filesCompared(), report.differingFiles(), report.filesNotCompared(), report.invalidLines(),
				report.overlongLines(), report.millis());
	}

}
