package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * An ad-hoc analytics query.
 *
 * @param spec the validated query in canonical JSON (dimensions, range, zone, filters:
 * ids and dates, never transcript text)
 */
public record QueryJobRequest(String spec) implements JobRequest {

	@Override
	public Class<QueryJobHandler> getJobRequestHandler() {
		return QueryJobHandler.class;
	}

}
