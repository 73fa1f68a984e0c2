package dev.cctracer.worker.analytics;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.shared.transcript.RedactingModule;
import dev.cctracer.worker.SlowLog;
import dev.cctracer.worker.indexing.Indexer;

/**
 * Runs a job's work on the ingest thread (a consistent view of committed offsets; no H2
 * work on a JobRunr thread, whose interrupts can corrupt an embedded database), stores
 * its result as JSON, or an error summary (exception type and message: paths and SQL,
 * never transcript text), and times it as {@code cctracer.job{type=…}}.
 */
@Component
public class ResultJobRunner {

	/** Results leave as they are stored: every string redacted. */
	private static final ObjectMapper JSON = new ObjectMapper().registerModule(new RedactingModule())
		.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

	private final Indexer indexer;

	private final JobRequestRepository jobs;

	private final MeterRegistry meters;

	private final SlowLog slow;

	public ResultJobRunner(Indexer indexer, JobRequestRepository jobs, MeterRegistry meters, SlowLog slow) {
		this.slow = slow;
		this.indexer = indexer;
		this.jobs = jobs;
		this.meters = meters;
	}

	public <T> T run(String type, String jobId, Callable<T> work) throws Exception {
		long started = System.nanoTime();
		try {
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
		finally {
			long took = System.nanoTime() - started;
			this.slow.duckdb(type, took, null);
			Timer.builder("cctracer.job")
				.description("duration of jobs by type")
				.tag("type", type)
				.register(this.meters)
				.record(took, TimeUnit.NANOSECONDS);
		}
	}

}
