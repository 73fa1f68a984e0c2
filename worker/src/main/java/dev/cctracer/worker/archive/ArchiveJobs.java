package dev.cctracer.worker.archive;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.shared.job.ArchiveJobHandler;
import dev.cctracer.shared.job.ArchiveJobRequest;
import dev.cctracer.worker.indexing.Indexer;

/**
 * The archive job (recurring, and on an admin's request): DuckDB converts on the job's
 * thread, while each database read and write runs on the ingest thread, so ingest is
 * never blocked for long and no H2 work happens on a JobRunr thread.
 */
@Component
class ArchiveJobs implements ArchiveJobHandler {

	private static final Logger log = LoggerFactory.getLogger(ArchiveJobs.class);

	private static final ObjectMapper JSON = new ObjectMapper()
		.setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE);

	private final ArchiveService archive;

	private final Indexer indexer;

	private final JobRequestRepository jobs;

	ArchiveJobs(ArchiveService archive, Indexer indexer, JobRequestRepository jobs) {
		this.archive = archive;
		this.indexer = indexer;
		this.jobs = jobs;
	}

	/** What one archive run did. */
	record ArchiveReport(int candidates, int converted, long rows, long bytesIn, long bytesOut, long millis) {

	}

	@Override
	public void run(ArchiveJobRequest request) throws Exception {
		ArchiveReport report = archiveNow();
		String id = jobContext().getJobId().toString();
		String json = JSON.writeValueAsString(report);
		this.indexer.exclusive(() -> {
			this.jobs.saveResult(id, json, System.currentTimeMillis());
			return null;
		});
	}

	ArchiveReport archiveNow() throws Exception {
		long started = System.nanoTime();
		List<ArchiveService.Candidate> candidates = this.indexer.exclusive(this.archive::candidates);
		int converted = 0;
		long rows = 0;
		long in = 0;
		long out = 0;
		for (ArchiveService.Candidate c : candidates) {
			ArchiveService.Converted done = this.archive.convert(c, System.currentTimeMillis());
			if (done != null && Boolean.TRUE
				.equals(this.indexer.exclusive(() -> this.archive.record(done, System.currentTimeMillis())))) {
				converted++;
				rows += done.rows();
				in += c.committed();
				out += done.bytes();
			}
		}
		ArchiveReport report = new ArchiveReport(candidates.size(), converted, rows, in, out,
				(System.nanoTime() - started) / 1_000_000);
		if (converted > 0) {
			log.info("archived {} transcripts ({} MB → {} MB Parquet) in {} ms", converted, in >> 20, out >> 20,
					report.millis());
		}
		return report;
	}

}
