package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Convert quiet, fully ingested transcripts to Parquet.
 *
 * @param trigger who asked (recurring, admin)
 */
public record ArchiveJobRequest(String trigger) implements JobRequest {

	@Override
	public Class<ArchiveJobHandler> getJobRequestHandler() {
		return ArchiveJobHandler.class;
	}

}
