package dev.cctracer.worker.analytics;

import org.springframework.stereotype.Component;

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

	QueryJobs(ResultJobRunner runner, QueryRunner queries, MetaRepository meta) {
		this.runner = runner;
		this.queries = queries;
		this.meta = meta;
	}

	@Override
	public void run(QueryJobRequest request) throws Exception {
		String id = jobContext().getJobId().toString();
		this.runner.run("query", id, () -> {
			QuerySpec spec = QuerySpec.parse(this.runner.requestText(id, "the query"));
			return this.queries.run(spec, this.meta.dataVersion());
		});
	}

}
