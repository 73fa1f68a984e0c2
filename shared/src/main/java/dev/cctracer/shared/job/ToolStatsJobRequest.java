package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Tool statistics over every transcript of a project, or of all projects.
 *
 * @param project the project dir, or {@code null} for all projects
 */
public record ToolStatsJobRequest(String project) implements JobRequest {

	@Override
	public Class<ToolStatsJobHandler> getJobRequestHandler() {
		return ToolStatsJobHandler.class;
	}

}
