package dev.cctracer.shared.job;

import org.jobrunr.jobs.lambdas.JobRequest;

/**
 * Tool statistics over every transcript of a project, of one session of it, or of all
 * projects.
 *
 * @param project the project dir, or {@code null} for all projects
 * @param session a session id of the project (its main transcript and subagents), or
 * {@code null} for the whole project
 */
public record ToolStatsJobRequest(String project, String session) implements JobRequest {

	/** The statistics of a project ({@code null}: of all projects). */
	public ToolStatsJobRequest(String project) {
		this(project, null);
	}

	@Override
	public Class<ToolStatsJobHandler> getJobRequestHandler() {
		return ToolStatsJobHandler.class;
	}

}
