package dev.cctracer.worker.analytics;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.worker.ingest.Indexer;

/**
 * Runs a job's work on the ingest thread (a consistent view of committed offsets; no H2
 * work on a JobRunr thread, whose interrupts can corrupt an embedded database) and stores
 * its result as JSON, or an error summary (exception type and message: paths and SQL,
 * never transcript text).
 */
@Component
public class ResultJobRunner {

	private static final ObjectMapper JSON = new ObjectMapper()
		.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

	private final Indexer indexer;

	private final JobRequestRepository jobs;

	public ResultJobRunner(Indexer indexer, JobRequestRepository jobs) {
		this.indexer = indexer;
		this.jobs = jobs;
	}

	public <T> T run(String jobId, Callable<T> work) throws Exception {
		return this.indexer.exclusive(() -> {
			try {
				T result = work.call();
				this.jobs.saveResult(jobId, JSON.writeValueAsString(result), System.currentTimeMillis());
				return result;
			}
			catch (Exception ex) {
				this.jobs.saveError(jobId, ex.getClass().getSimpleName() + ": " + ex.getMessage(),
						System.currentTimeMillis());
				throw ex;
			}
		});
	}

}
