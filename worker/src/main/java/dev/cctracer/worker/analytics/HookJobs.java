package dev.cctracer.worker.analytics;

import java.util.List;

import org.jobrunr.jobs.context.JobDashboardProgressBar;

import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.job.HookStatsJobHandler;
import dev.cctracer.shared.job.HookStatsJobRequest;

/**
 * The hook statistics job: the transcripts' list read on the ingest thread, the files
 * read on the job's thread ({@link HookStatsScan}), progress per transcript in JobRunr's
 * dashboard and the job status API.
 */
@Component
class HookJobs implements HookStatsJobHandler {

	private final ResultJobRunner runner;

	private final HookStatsScan scan;

	private final MetaRepository meta;

	HookJobs(ResultJobRunner runner, HookStatsScan scan, MetaRepository meta) {
		this.runner = runner;
		this.scan = scan;
		this.meta = meta;
	}

	@Override
	public void run(HookStatsJobRequest request) throws Exception {
		this.runner.run("hooks", jobContext().getJobId().toString(),
				() -> new Listed(this.scan.transcripts(request.project()), this.meta.dataVersion()), (listed) -> {
					JobDashboardProgressBar progress = jobContext().progressBar(Math.max(1, listed.transcripts.size()));
					return this.scan.scan(request.project(), listed.transcripts, listed.dataVersion,
							progress::setProgress);
				});
	}

	private record Listed(List<HookStatsScan.Transcript> transcripts, long dataVersion) {

	}

}
