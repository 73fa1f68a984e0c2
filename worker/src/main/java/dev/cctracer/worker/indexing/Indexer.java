package dev.cctracer.worker.indexing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.cctracer.worker.IndexControl;
import dev.cctracer.worker.IngestReport;
import dev.cctracer.worker.PathProblem;
import dev.cctracer.worker.StoragePausedException;
import dev.cctracer.worker.storage.StorageGuard;

/**
 * Runs every scan and ingest of this process on one dedicated thread.
 * <p>
 * One thread because commits serialize on the ingest lock anyway (parsing inside an
 * ingest is parallel), and dedicated because JobRunr interrupts its job threads on stop
 * or delete: an interrupt during H2 file I/O can corrupt an embedded database, so no
 * database write of ours runs on a JobRunr thread.
 * <p>
 * While the {@link StorageGuard} reports a fault of the data dir's storage, work is
 * refused with a {@link StoragePausedException}; a failure of the storage met here pauses
 * ingest at once.
 */
@Component
public class Indexer implements DisposableBean, IndexControl {

	private static final Logger log = LoggerFactory.getLogger(Indexer.class);

	private final ScanService scans;

	private final IngestService ingest;

	private final ExecutorService thread = Executors.newSingleThreadExecutor((r) -> {
		Thread t = new Thread(r, "cctracer-ingest");
		t.setDaemon(false);
		return t;
	});

	private final Repricer repricer;

	private final StorageGuard storage;

	private boolean pricesChecked;

	public Indexer(ScanService scans, IngestService ingest, Repricer repricer, StorageGuard storage) {
		this.scans = scans;
		this.ingest = ingest;
		this.repricer = repricer;
		this.storage = storage;
	}

	@Override
	public IngestReport scanAndIngest() throws InterruptedException {
		return run(() -> {
			ScanResult scan = this.scans.scan();
			IngestReport report = this.ingest.ingest(scan.changed()).withUnopened(scan.unchanged());
			if (report.read() > 0 || report.deleted() > 0) {
				log.info(
						"indexed {} of {} files: {} MB, {} lines in {} ms (scan {} ms, parse {} ms on all threads, commit {} ms)",
						report.read(), scan.filesSeen(), report.bytes() >> 20, report.lines(), report.millis(),
						scan.millis(), report.parseMillis(), report.commitMillis());
			}
			return report;
		});
	}

	@Override
	public long filesOpened() {
		return this.ingest.filesOpened();
	}

	@Override
	public List<PathProblem> lastProblems() {
		List<PathProblem> refused = this.ingest.refusedFiles();
		if (refused.isEmpty()) {
			return this.scans.lastProblems();
		}
		List<PathProblem> all = new ArrayList<>(this.scans.lastProblems());
		all.addAll(refused);
		return all;
	}

	/** Scans only; the caller decides how to ingest (e.g. as jobs). */
	public ScanResult scan() throws InterruptedException {
		return run(this.scans::scan);
	}

	/** Ingests these files; waits for the result. */
	public IngestReport ingest(Collection<Long> fileIds) throws InterruptedException {
		return run(() -> this.ingest.ingest(fileIds));
	}

	/** Ingests the files at these paths (from the watcher), registering new ones. */
	public IngestReport ingestPaths(Collection<Path> paths) throws InterruptedException {
		return run(() -> {
			List<Long> ids = new ArrayList<>();
			for (Path path : paths) {
				this.scans.idOf(path).ifPresent(ids::add);
			}
			return this.ingest.ingest(ids);
		});
	}

	/** Runs work on the ingest thread: no ingest of this process runs meanwhile. */
	public <T> T exclusive(Callable<T> work) throws InterruptedException {
		return run(work);
	}

	private <T> T run(Callable<T> work) throws InterruptedException {
		Future<T> future = this.thread.submit(() -> {
			this.storage.checkWritable();
			try {
				if (!this.pricesChecked) {
					// before the first commit of this process: stored costs must match
					// the
					// price table in force
					this.repricer.repriceIfChanged();
					this.pricesChecked = true;
				}
				return work.call();
			}
			catch (RuntimeException ex) {
				var fault = this.storage.failed(ex);
				if (fault.isPresent()) {
					throw new StoragePausedException(fault.get());
				}
				throw ex;
			}
		});
		try {
			return future.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException runtime) {
				throw runtime;
			}
			throw new IllegalStateException(cause);
		}
	}

	@Override
	public void destroy() throws InterruptedException {
		this.thread.shutdown();
		if (!this.thread.awaitTermination(30, TimeUnit.SECONDS)) {
			log.warn("ingest still running after 30 s at shutdown");
		}
	}

}
