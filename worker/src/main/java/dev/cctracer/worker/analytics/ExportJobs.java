package dev.cctracer.worker.analytics;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.job.ExportJobHandler;
import dev.cctracer.shared.job.ExportJobRequest;

/**
 * The entry-level export job.
 */
@Component
class ExportJobs implements ExportJobHandler {

	private final ResultJobRunner runner;

	private final EntriesExport export;

	ExportJobs(ResultJobRunner runner, EntriesExport export) {
		this.runner = runner;
		this.export = export;
	}

	@Override
	public void run(ExportJobRequest request) throws Exception {
		String id = jobContext().getJobId().toString();
		this.runner.run("export", id, () -> this.export.run(id, request.format(), request.project(), request.session(),
				request.from(), request.to()));
	}

}
