package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Export entry-level data (one row per transcript line, no text).
 *
 * @param format csv, json or parquet
 * @param project only this project dir, or {@code null}
 * @param session only this session id, or {@code null} (a job enqueued before this field
 * existed reads as {@code null})
 * @param from only lines timed at or after this instant (epoch milliseconds), or
 * {@code null} (as {@code session} for a job enqueued before)
 * @param to only lines timed before this instant (epoch milliseconds), or {@code null}
 */
public record ExportJobRequest(String format, String project, String session, Long from,
		Long to) implements JobRequest {

	@Override
	public Class<ExportJobHandler> getJobRequestHandler() {
		return ExportJobHandler.class;
	}

}
