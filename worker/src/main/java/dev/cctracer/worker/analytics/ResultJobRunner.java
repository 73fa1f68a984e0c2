package dev.cctracer.worker.analytics;

import java.sql.SQLException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.transcript.RedactingModule;
import dev.cctracer.worker.SlowLog;
import dev.cctracer.worker.facts.FactsStore;
import dev.cctracer.worker.indexing.Indexer;

/**
 * Runs a job's work on the ingest thread (a consistent view of committed offsets; no H2
 * work on a JobRunr thread, whose interrupts can corrupt an embedded database), stores
 * its result as JSON, or an error summary (exception type and the first paragraph of its
 * message, fact files named relative to the facts dir: never SQL, an absolute path of the
 * data dir or transcript text; see {@link #summary}), and times it as
 * {@code cctracer.job{type=…}}.
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

	private final ObjectProvider<FactsStore> facts;

	public ResultJobRunner(Indexer indexer, JobRequestRepository jobs, MeterRegistry meters, SlowLog slow,
			ObjectProvider<FactsStore> facts) {
		this.slow = slow;
		this.facts = facts;
		this.indexer = indexer;
		this.jobs = jobs;
		this.meters = meters;
	}

	/**
	 * Runs {@code work} exclusively of the ingest and stores its result or its error. A
	 * failure that names a damaged fact batch (DuckDB could not read it) removes the
	 * batch and runs the work once more, which writes its facts again from the
	 * transcripts.
	 * @param type the job's kind, for its timer
	 * @throws Exception what the work threw (its summary stored as the job's error)
	 */
	public <T> T run(String type, String jobId, Callable<T> work) throws Exception {
		long started = System.nanoTime();
		try {
			return this.indexer.exclusive(() -> {
				try {
					T result = FactsStore.callRepairing(this.facts, work);
					this.jobs.saveResult(jobId, JSON.writeValueAsString(result), System.currentTimeMillis());
					return result;
				}
				catch (Exception ex) {
					this.jobs.saveError(jobId, summary(ex), System.currentTimeMillis());
					throw ex;
				}
			});
		}
		finally {
			long took = timed(type, started);
			this.slow.duckdb(type, took, null);
		}
	}

	/**
	 * Runs a job whose work reads files, not the database: {@code read} on the ingest
	 * thread (what to read, from the database), {@code compute} on the job's own thread
	 * (the ingest goes on meanwhile), then its result or error stored on the ingest
	 * thread.
	 * @param type the job's kind, for its timer
	 * @throws Exception what either step threw (its summary stored as the job's error)
	 */
	public <F, T> T run(String type, String jobId, Callable<F> read, Function<F, T> compute) throws Exception {
		long started = System.nanoTime();
		try {
			try {
				T result = compute.apply(this.indexer.exclusive(read));
				String json = JSON.writeValueAsString(result);
				this.indexer.exclusive(() -> {
					this.jobs.saveResult(jobId, json, System.currentTimeMillis());
					return null;
				});
				return result;
			}
			catch (Exception ex) {
				this.indexer.exclusive(() -> {
					this.jobs.saveError(jobId, summary(ex), System.currentTimeMillis());
					return null;
				});
				throw ex;
			}
		}
		finally {
			// its time in the job timer only: reading every transcript takes seconds by
			// design, so the slow log's threshold is not for it
			timed(type, started);
		}
	}

	/**
	 * Records the job's time as {@code cctracer.job{type=…}}; returns it (nanoseconds).
	 */
	private long timed(String type, long started) {
		long took = System.nanoTime() - started;
		Timer.builder("cctracer.job")
			.description("duration of jobs by type")
			.tag("type", type)
			.register(this.meters)
			.record(took, TimeUnit.NANOSECONDS);
		return took;
	}

	/**
	 * What a job was asked that is no JobRunr argument (a search's text, a query's
	 * filters): kept in its job's row until it stores its result.
	 * @param what what is asked, for the error ("the search's text")
	 * @throws IllegalStateException when the row holds none
	 */
	public String requestText(String jobId, String what) {
		return this.jobs.requestText(jobId)
			.orElseThrow(() -> new IllegalStateException(what + " is not recorded with its job"));
	}

	/**
	 * A failure as a job's error: its type and the first paragraph of its message (DuckDB
	 * adds the query's SQL after a blank line), the facts dir's absolute path named
	 * {@code facts/} (the error is shown to API clients). A failure of the app's own
	 * database (a Spring {@link DataAccessException}: its message holds the statement,
	 * and H2's the start of a value bound to it) is named by its type and SQL state only.
	 */
	public String summary(Exception ex) {
		DataAccessException database = Causes.find(ex, DataAccessException.class);
		if (database != null) {
			SQLException sql = Causes.find(database, SQLException.class);
			String code = (sql != null) ? " (SQL state " + sql.getSQLState() + ")" : "";
			return database.getClass().getSimpleName() + ": the app's database refused the job's work" + code;
		}
		String message = String.valueOf(ex.getMessage());
		int paragraph = message.indexOf("\n\n");
		if (paragraph >= 0) {
			message = message.substring(0, paragraph);
		}
		FactsStore facts = this.facts.getIfAvailable();
		if (facts != null) {
			message = message.replace(facts.dir().toAbsolutePath().normalize() + "/", "facts/");
		}
		return ex.getClass().getSimpleName() + ": " + message.strip();
	}

}
