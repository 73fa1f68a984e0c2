package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Recompute every total from scratch with DuckDB and compare with the incremental totals.
 *
 * @param trigger who asked (admin, test); never file contents
 */
public record VerifyJobRequest(String trigger) implements JobRequest {

	@Override
	public Class<VerifyJobHandler> getJobRequestHandler() {
		return VerifyJobHandler.class;
	}

}
