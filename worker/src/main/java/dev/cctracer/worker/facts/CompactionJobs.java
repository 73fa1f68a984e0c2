package dev.cctracer.worker.facts;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.shared.job.ArchiveJobHandler;
import dev.cctracer.shared.job.ArchiveJobRequest;
import dev.cctracer.worker.indexing.Indexer;

/**
 * The archive job (recurring, and on an admin's request), which compacts the facts: each
 * database read and write runs on the ingest thread, DuckDB merges on the job's thread,
 * so ingest is never blocked for long and no H2 work happens on a JobRunr thread.
 */
@Component
class CompactionJobs implements ArchiveJobHandler {

	private static final Logger log = LoggerFactory.getLogger(CompactionJobs.class);

	private static final ObjectMapper JSON = new ObjectMapper()
		.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

	private final FactsCompaction compaction;

	private final Indexer indexer;

	private final JobRequestRepository jobs;

	private final TransactionTemplate transactions;

	CompactionJobs(FactsCompaction compaction, Indexer indexer, JobRequestRepository jobs,
			TransactionTemplate transactions) {
		this.compaction = compaction;
		this.indexer = indexer;
		this.jobs = jobs;
		this.transactions = transactions;
	}

	/**
	 * What one run did.
	 *
	 * @param candidates merges found (at most one per run)
	 * @param converted small batches merged
	 * @param rows entries in the merged batches
	 * @param bytesIn size of the segments merged (bytes)
	 * @param bytesOut size of the merged segments (bytes)
	 * @param orphans batch files removed that no record named
	 * @param millis wall time (milliseconds)
	 */
	record ArchiveReport(int candidates, int converted, long rows, long bytesIn, long bytesOut, int orphans,
			long millis) {

	}

	@Override
	public void run(ArchiveJobRequest request) throws Exception {
		ArchiveReport report = compactNow();
		String id = jobContext().getJobId().toString();
		String json = JSON.writeValueAsString(report);
		this.indexer.exclusive(() -> {
			this.jobs.saveResult(id, json, System.currentTimeMillis());
			return null;
		});
	}

	ArchiveReport compactNow() throws Exception {
		long started = System.nanoTime();
		List<FactsCompaction.Candidate> candidates = this.indexer
			.exclusive(() -> this.compaction.candidates(System.currentTimeMillis()));
		int converted = 0;
		long rows = 0;
		long in = 0;
		long out = 0;
		for (FactsCompaction.Candidate c : candidates) {
			FactsCompaction.Compacted done = this.compaction.compact(c);
			boolean recorded = Boolean.TRUE.equals(this.indexer.exclusive(() -> this.transactions.execute((tx) -> {
				boolean replaced = this.compaction.record(done);
				if (!replaced) {
					tx.setRollbackOnly();
				}
				return replaced;
			})));
			if (recorded) {
				// the old batches go with the orphans, an hour after they were written
				converted += c.batches().size();
				rows += done.merged().stream().mapToLong((s) -> s.entryRows()).sum();
				in += c.bytes();
				out += done.bytes();
			}
			else {
				this.compaction.discard(done);
			}
		}
		List<String> recorded = this.indexer.exclusive(this.compaction::recordedPaths);
		int orphans = this.compaction.removeOrphans(recorded);
		ArchiveReport report = new ArchiveReport(candidates.size(), converted, rows, in, out, orphans,
				(System.nanoTime() - started) / 1_000_000);
		if (converted > 0 || orphans > 0) {
			log.info("facts compaction: {} batches merged ({} KB → {} KB), {} orphan files removed, {} ms", converted,
					in >> 10, out >> 10, orphans, report.millis());
		}
		return report;
	}

}
