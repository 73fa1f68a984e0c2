package dev.cctracer.worker.indexing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.job.IngestFilesJobHandler;
import dev.cctracer.shared.job.IngestFilesJobRequest;
import dev.cctracer.worker.IngestReport;

/**
 * The ingest job: runs the ingest of its files on the ingest thread (never on the JobRunr
 * thread, see {@link Indexer}) and fails the job on errors so JobRunr retries it.
 */
@Component
class IngestJobs implements IngestFilesJobHandler {

	private static final Logger log = LoggerFactory.getLogger(IngestJobs.class);

	private final Indexer indexer;

	IngestJobs(Indexer indexer) {
		this.indexer = indexer;
	}

	@Override
	public void run(IngestFilesJobRequest request) throws InterruptedException {
		IngestReport report = this.indexer.ingest(request.fileIds());
		if (report.files() == 0 && !request.fileIds().isEmpty()) {
			// JobRunr cannot send a job to one machine
			log.info("ingest job of {} files skipped: none is a file of this machine (another machine's worker "
					+ "enqueued it, and that machine's local scan reads them)", request.fileIds().size());
			return;
		}
		log.info("ingest job: {} files, {} read, {} unchanged, {} bytes, {} lines in {} ms", report.files(),
				report.read(), report.unchanged(), report.bytes(), report.lines(), report.millis());
		if (report.failed() > 0) {
			throw new IllegalStateException(report.failed() + " of " + report.files() + " files could not be read");
		}
	}

}
