package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Full-text search over all transcripts. The text to find is not an argument: JobRunr
 * stores a job's arguments and shows them in its dashboard, and a user may search for a
 * secret (to see where a key leaked), so the text waits in the job's {@code job_request}
 * row ({@code request_text}, 2 to 200 characters, matched case-insensitively) until the
 * job stores its result.
 *
 * @param project only this project dir, or {@code null}
 */
public record SearchJobRequest(String project) implements JobRequest {

	@Override
	public Class<SearchJobHandler> getJobRequestHandler() {
		return SearchJobHandler.class;
	}

}
