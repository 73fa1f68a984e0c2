package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Full-text search over all transcripts.
 *
 * @param text what to find (2 to 200 characters, matched case-insensitively)
 * @param project only this project dir, or {@code null}
 */
public record SearchJobRequest(String text, String project) implements JobRequest {

	@Override
	public Class<SearchJobHandler> getJobRequestHandler() {
		return SearchJobHandler.class;
	}

}
