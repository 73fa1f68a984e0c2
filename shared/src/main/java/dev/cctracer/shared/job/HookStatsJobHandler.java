package dev.cctracer.shared.job;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Implemented by the worker.
 */
public interface HookStatsJobHandler extends JobRequestHandler<HookStatsJobRequest> {

	/**
	 * Declared again, concrete, so that JobRunr finds {@code run} with the concrete
	 * request type (as {@link ToolStatsJobHandler#run}); the worker's bean overrides it.
	 */
	@Override
	@Job(name = "Hook statistics (%0)", retries = 0)
	default void run(HookStatsJobRequest request) throws Exception {
		throw new UnsupportedOperationException("no worker in this process handles " + request);
	}

}
