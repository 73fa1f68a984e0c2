package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequestHandler;

/**
 * Implemented by the worker.
 */
public interface ScanJobHandler extends JobRequestHandler<ScanJobRequest> {

}
