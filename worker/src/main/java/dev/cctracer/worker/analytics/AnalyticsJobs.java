package dev.cctracer.worker.analytics;

import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.job.ToolStatsJobHandler;
import dev.cctracer.shared.job.ToolStatsJobRequest;

/**
 * The tool statistics job.
 */
@Component
class AnalyticsJobs implements ToolStatsJobHandler {

	private final ResultJobRunner runner;

	private final ToolStatsQuery tools;

	private final MetaRepository meta;

	AnalyticsJobs(ResultJobRunner runner, ToolStatsQuery tools, MetaRepository meta) {
		this.runner = runner;
		this.tools = tools;
		this.meta = meta;
	}

	@Override
	public void run(ToolStatsJobRequest request) throws Exception {
		this.runner.run("tools", jobContext().getJobId().toString(),
				() -> this.tools.run(request.project(), request.session(), this.meta.dataVersion()));
	}

}
