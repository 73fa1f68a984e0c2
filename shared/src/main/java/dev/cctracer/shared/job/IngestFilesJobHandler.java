package dev.cctracer.shared.job;

import org.jobrunr.jobs.annotations.Job;
import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Implemented by the worker; declared here so that the web JVM can enqueue without worker
 * classes.
 */
public interface IngestFilesJobHandler extends JobRequestHandler<IngestFilesJobRequest> {

	/**
	 * Declared again, concrete, so that JobRunr finds {@code run} with the concrete
	 * request type (it refuses an abstract {@code run} on a handler type); the worker's
	 * bean overrides it.
	 */
	@Override
	@Job(name = "Ingest %0", retries = 3)
	default void run(IngestFilesJobRequest request) throws Exception {
		throw new UnsupportedOperationException("no worker in this process handles " + request);
	}

}
