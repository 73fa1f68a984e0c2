package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Export entry-level data (one row per transcript line, no text).
 *
 * @param format csv, json or parquet
 * @param project only this project dir, or {@code null}
 * @param session only this session id, or {@code null} (a job enqueued before this field
 * existed reads as {@code null})
 */
public record ExportJobRequest(String format, String project, String session) implements JobRequest {

	@Override
	public Class<ExportJobHandler> getJobRequestHandler() {
		return ExportJobHandler.class;
	}

}
