package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * An ad-hoc analytics query. The query itself is not an argument: JobRunr stores a job's
 * arguments and shows them in its dashboard, and a filter may hold anything a user typed
 * (a model filter of a key's shape was kept there), so the validated query in canonical
 * JSON ({@link QuerySpec#canonical()}) waits in the job's {@code job_request} row
 * ({@code request_text}) until the job stores its result, as a search's text does.
 *
 * @param dimensions what it groups by, comma-separated (for the dashboard's list)
 */
public record QueryJobRequest(String dimensions) implements JobRequest {

	@Override
	public Class<QueryJobHandler> getJobRequestHandler() {
		return QueryJobHandler.class;
	}

}
