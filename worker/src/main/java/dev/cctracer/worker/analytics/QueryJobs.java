package dev.cctracer.worker.analytics;

import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.job.QueryJobHandler;
import dev.cctracer.shared.job.QueryJobRequest;
import dev.cctracer.shared.job.QuerySpec;

/**
 * The ad-hoc analytics query job.
 */
@Component
class QueryJobs implements QueryJobHandler {

	private final ResultJobRunner runner;

	private final QueryRunner queries;

	private final MetaRepository meta;

	private final JobRequestRepository jobs;

	QueryJobs(ResultJobRunner runner, QueryRunner queries, MetaRepository meta, JobRequestRepository jobs) {
		this.runner = runner;
		this.queries = queries;
		this.meta = meta;
		this.jobs = jobs;
	}

	@Override
	public void run(QueryJobRequest request) throws Exception {
		String id = jobContext().getJobId().toString();
		this.runner.run("query", id, () -> {
			QuerySpec spec = QuerySpec.parse(this.jobs.requestText(id)
				.orElseThrow(() -> new IllegalStateException("the query is not recorded with its job")));
			return this.queries.run(spec, this.meta.dataVersion());
		});
	}

}
