package dev.cctracer.worker.analytics;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.job.SearchJobHandler;
import dev.cctracer.shared.job.SearchJobRequest;

/**
 * The full-text search job.
 */
@Component
class SearchJobs implements SearchJobHandler {

	private final ResultJobRunner runner;

	private final SearchQuery search;

	SearchJobs(ResultJobRunner runner, SearchQuery search) {
		this.runner = runner;
		this.search = search;
	}

	@Override
	public void run(SearchJobRequest request) throws Exception {
		this.runner.run("search", jobContext().getJobId().toString(),
				() -> this.search.run(request.text(), request.project()));
	}

}
