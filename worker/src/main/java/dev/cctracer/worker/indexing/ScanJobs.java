package dev.cctracer.worker.indexing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.db.support.Batches;
import dev.cctracer.shared.job.ArchiveJobRequest;
import dev.cctracer.shared.job.IngestFilesJobRequest;
import dev.cctracer.shared.job.ScanJobHandler;
import dev.cctracer.shared.job.ScanJobRequest;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.worker.IngestReport;
import dev.cctracer.worker.StorageRecovered;
import dev.cctracer.worker.TracerProperties;

/**
 * The recurring scan job, and the first index at start-up.
 * <p>
 * The scan enqueues one ingest job per batch of changed files, with an id derived from
 * the files and what the scan saw of them (size, mtime, and whether the file is quiet for
 * {@code cctracer.ingest.quiet-tail} yet): repeated scans of the same change do not pile
 * up jobs, and a later change — or the same one once quiet, when a rewrite in place or an
 * unterminated last line is due — gets a new id (JobRunr ignores an id it already knows,
 * even a finished one).
 */
@Component
class ScanJobs implements ScanJobHandler {

	static final String RECURRING_SCAN_ID = "cctracer-scan";

	static final String RECURRING_ARCHIVE_ID = "cctracer-archive";

	private static final Logger log = LoggerFactory.getLogger(ScanJobs.class);

	/**
	 * When a worker of several scans its own files on its own the first time, at most
	 * (milliseconds after it is ready): what its start-up scan enqueued and no worker of
	 * its machine took is read then.
	 */
	static final long FIRST_LOCAL_SCAN_MS = 15_000;

	/** How often a worker of several looks for a rescan request, milliseconds. */
	static final long RESCAN_POLL_MS = 2_000;

	/** No count of rescans read yet ({@link #rescansSeen}). */
	private static final long UNKNOWN = Long.MIN_VALUE;

	private final Indexer indexer;

	private final JobRequestScheduler scheduler;

	private final SourceFileRepository files;

	private final TracerProperties properties;

	private final MetaRepository meta;

	private final OriginClaims claims;

	/**
	 * The count of rescans asked that this worker has answered
	 * ({@link MetaRepository#RESCANS_ASKED}); touched on the local scan's thread only,
	 * after {@link #onReady} set it.
	 */
	private long rescansSeen = UNKNOWN;

	ScanJobs(Indexer indexer, JobRequestScheduler scheduler, SourceFileRepository files, TracerProperties properties,
			MetaRepository meta, OriginClaims claims) {
		this.meta = meta;
		this.claims = claims;
		this.indexer = indexer;
		this.scheduler = scheduler;
		this.files = files;
		this.properties = properties;
	}

	@EventListener(ApplicationReadyEvent.class)
	void onReady() {
		if (!this.properties.ingest().enabled()) {
			return;
		}
		scheduleRecurrently(RECURRING_SCAN_ID, this.properties.ingest().scanInterval(),
				new ScanJobRequest("recurring"));
		if (this.properties.archive().enabled()) {
			scheduleRecurrently(RECURRING_ARCHIVE_ID, this.properties.archive().interval(),
					new ArchiveJobRequest("recurring"));
		}
		if ("jobs".equalsIgnoreCase(this.properties.ingest().startup())) {
			// several workers: this machine's scan, run here, enqueues ingest batches the
			// workers of this machine share (a scan job was taken by any worker, which
			// scanned its own machine: a team trial's second machine waited)
			Thread startUp = new Thread(this::startUpScan, "cctracer-start-up-scan");
			startUp.setDaemon(true);
			startUp.start();
			// JobRunr cannot send a job to one machine: a batch another machine's worker
			// took is skipped there, so every worker also scans and ingests its own files
			// on its own clock
			ScheduledExecutorService local = Executors.newSingleThreadScheduledExecutor((r) -> {
				Thread t = new Thread(r, "cctracer-local-scan");
				t.setDaemon(true);
				return t;
			});
			long every = Math.max(1, this.properties.ingest().scanInterval().toMillis());
			// the first one soon: another machine's worker may take this scan's batches
			// and
			// skip them (a re-trial: a second machine's files waited a 10-minute
			// interval)
			local.scheduleWithFixedDelay(this::localScan, Math.min(every, FIRST_LOCAL_SCAN_MS), every,
					TimeUnit.MILLISECONDS);
			// the admin console's "Rescan now" reaches every machine: a scan job would be
			// taken by one worker, which scans its own disk
			this.rescansSeen = rescansAsked();
			this.claims.claim();
			local.scheduleWithFixedDelay(this::rescanIfAsked, RESCAN_POLL_MS, RESCAN_POLL_MS, TimeUnit.MILLISECONDS);
			return;
		}
		indexInBackground("start-up");
	}

	/** Once the storage works again, what changed meanwhile is indexed at once. */
	@EventListener
	void onStorageRecovered(StorageRecovered recovered) {
		if (this.properties.ingest().enabled()) {
			indexInBackground("after recovery");
		}
	}

	private void indexInBackground(String when) {
		Thread thread = new Thread(() -> {
			try {
				IngestReport report = this.indexer.scanAndIngest();
				log.info("{} index: {} files read, {} unchanged (not opened), {} MB in {} ms", when, report.read(),
						report.unchanged(), report.bytes() >> 20, report.millis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			catch (RejectedExecutionException ex) {
				log.debug("{} index not run: the process is stopping", when);
			}
			catch (RuntimeException ex) {
				log.error("{} index failed; the recurring scan will retry: {}", when, LogText.safe(ex.toString()));
			}
		}, "cctracer-index");
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Registers a recurring job; several workers starting together register the same id
	 * at once, and the losers of that insert race get a duplicate-key error: the job
	 * exists, which is all that was wanted (tried once more in case the error was
	 * something else).
	 */
	private void scheduleRecurrently(String id, Duration every, JobRequest request) {
		for (int attempt = 1;; attempt++) {
			try {
				this.scheduler.scheduleRecurrently(id, every, request);
				return;
			}
			catch (RuntimeException ex) {
				if (attempt == 2) {
					log.warn("recurring job {} not (re)registered here: {}", id, LogText.failure(ex));
					return;
				}
				try {
					Thread.sleep(250);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private void startUpScan() {
		quietly("start-up scan", "the local scan retries", () -> run(new ScanJobRequest("start-up")));
	}

	/** A scan of a worker of several on its own thread. */
	@FunctionalInterface
	private interface Scan {

		void run() throws InterruptedException;

	}

	/**
	 * Runs {@code scan}: a failure is one WARN line saying what comes next
	 * ({@code retry}), and none while the process stops (the ingest thread refuses work
	 * then).
	 */
	private static void quietly(String what, String retry, Scan scan) {
		try {
			scan.run();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RejectedExecutionException ex) {
			log.debug("{} not run: the process is stopping", what);
		}
		catch (RuntimeException ex) {
			log.warn("{} failed; {}: {}", what, retry, LogText.failure(ex));
		}
	}

	/** Scans this machine's files when a rescan was asked since the last one answered. */
	void rescanIfAsked() {
		long asked = rescansAsked();
		if (asked == UNKNOWN) {
			return;
		}
		if (this.rescansSeen == UNKNOWN) {
			// the database was away at start: the requests before now are not this run's
			this.rescansSeen = asked;
		}
		else if (asked > this.rescansSeen) {
			this.rescansSeen = asked;
			log.info("a rescan was asked (the admin console): scanning this machine's files");
			localScan();
		}
	}

	/** The count of rescans asked, or {@link #UNKNOWN} with the database away. */
	private long rescansAsked() {
		try {
			return this.meta.getLong(MetaRepository.RESCANS_ASKED).orElse(0L);
		}
		catch (RuntimeException ex) {
			// the storage guard says so; asked again at the next poll
			return UNKNOWN;
		}
	}

	private void localScan() {
		this.claims.claim();
		quietly("local scan", "next time", () -> {
			IngestReport report = this.indexer.scanAndIngest();
			if (report.read() > 0) {
				log.info("local scan: {} files read, {} MB", report.read(), report.bytes() >> 20);
			}
		});
	}

	@Override
	public void run(ScanJobRequest request) throws InterruptedException {
		var scan = this.indexer.scan();
		List<List<Long>> batches = Batches.partition(scan.changed(), this.properties.ingest().batchFiles());
		if (batches.isEmpty()) {
			return;
		}
		var states = this.files.findByIds(scan.changed());
		long now = System.currentTimeMillis();
		long quiet = this.properties.ingest().quietTail().toMillis();
		StringBuilder version = new StringBuilder();
		// and whether the file is quiet yet: a file rewritten in place at the same size,
		// or
		// one whose last line has no line break, is read only once quiet, and the scans
		// before saw the same size and mtime — without it the scan after the file turned
		// quiet had the id of a job already run, a no-op, and it was never read again (a
		// trial's same-size edit, still uncounted after 7 minutes)
		states.forEach((s) -> version.append(s.id())
			.append(':')
			.append(s.seenSize())
			.append(':')
			.append(s.seenMtime())
			.append(':')
			.append(now - s.seenMtime() >= quiet)
			.append(','));
		for (List<Long> batch : batches) {
			UUID id = UUID.nameUUIDFromBytes(
					("ingest:" + batch + ":" + version.toString().hashCode()).getBytes(StandardCharsets.UTF_8));
			this.scheduler.enqueue(id, new IngestFilesJobRequest(batch, batch.size() + " files"));
		}
		log.info("scan found {} changed files, enqueued {} ingest jobs", scan.changed().size(), batches.size());
	}

}
