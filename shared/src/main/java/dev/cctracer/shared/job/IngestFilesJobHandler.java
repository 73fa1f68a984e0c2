package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Implemented by the worker; declared here so that the web JVM can enqueue without worker classes.
 */
public interface IngestFilesJobHandler extends JobRequestHandler<IngestFilesJobRequest> {

}
