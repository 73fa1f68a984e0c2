package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Export entry-level data (one row per transcript line, no text).
 *
 * @param format csv, json or parquet
 * @param project only this project dir, or {@code null}
 */
public record ExportJobRequest(String format, String project) implements JobRequest {

	@Override
	public Class<ExportJobHandler> getJobRequestHandler() {
		return ExportJobHandler.class;
	}

}
