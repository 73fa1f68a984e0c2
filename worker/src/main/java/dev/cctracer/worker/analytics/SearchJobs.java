package dev.cctracer.worker.analytics;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.job.SearchJobHandler;
import dev.cctracer.shared.job.SearchJobRequest;

/**
 * The full-text search job: its text read from the job's {@code job_request} row, never
 * from its JobRunr arguments ({@link SearchJobRequest}).
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
		String id = jobContext().getJobId().toString();
		this.runner.run("search", id, () -> {
			String text = this.runner.requestText(id, "the search's text");
			return this.search.run(text, request.project());
		});
	}

}
