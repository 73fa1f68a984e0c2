package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Hook statistics (runs, failures and blocks of the hooks of Claude Code's settings) over
 * every transcript of a project, or of all projects, on the disk of the worker that runs
 * the job.
 *
 * @param project the project dir, or {@code null} for all projects
 */
public record HookStatsJobRequest(String project) implements JobRequest {

	@Override
	public Class<HookStatsJobHandler> getJobRequestHandler() {
		return HookStatsJobHandler.class;
	}

}
