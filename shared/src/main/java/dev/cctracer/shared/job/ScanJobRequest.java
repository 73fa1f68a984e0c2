package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Stat every transcript file and enqueue ingest jobs for the changed ones.
 *
 * @param reason why the scan runs (recurring, startup, admin)
 */
public record ScanJobRequest(String reason) implements JobRequest {

	@Override
	public Class<ScanJobHandler> getJobRequestHandler() {
		return ScanJobHandler.class;
	}

}
