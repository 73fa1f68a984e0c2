package dev.cctracer.shared.job;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Implemented by the worker.
 */
public interface QueryJobHandler extends JobRequestHandler<QueryJobRequest> {

	/**
	 * Declared again, concrete, so that JobRunr finds {@code run} with the concrete
	 * request type (it refuses an abstract {@code run} on a handler type); the worker's
	 * bean overrides it.
	 */
	@Override
	@Job(name = "Analytics query", retries = 0)
	default void run(QueryJobRequest request) throws Exception {
		throw new UnsupportedOperationException("no worker in this process handles " + request);
	}

}
