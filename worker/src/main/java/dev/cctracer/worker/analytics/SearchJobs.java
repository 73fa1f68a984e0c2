package dev.cctracer.worker.analytics;

import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
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

	private final JobRequestRepository jobs;

	SearchJobs(ResultJobRunner runner, SearchQuery search, JobRequestRepository jobs) {
		this.runner = runner;
		this.search = search;
		this.jobs = jobs;
	}

	@Override
	public void run(SearchJobRequest request) throws Exception {
		String id = jobContext().getJobId().toString();
		this.runner.run("search", id, () -> {
			String text = this.jobs.requestText(id)
				.orElseThrow(() -> new IllegalStateException("the search's text is not recorded with its job"));
			return this.search.run(text, request.project());
		});
	}

}
