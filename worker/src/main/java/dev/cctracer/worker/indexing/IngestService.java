package dev.cctracer.worker.indexing;

import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.facts.FileFactsRepository;
import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.worker.HeapTrimming;
import dev.cctracer.worker.IngestEnded;
import dev.cctracer.worker.IngestFinished;
import dev.cctracer.worker.IngestStarting;
import dev.cctracer.worker.IngestReport;
import dev.cctracer.worker.PathProblem;
import dev.cctracer.worker.TracerProperties;

/**
 * Incremental, exact ingest of transcript files.
 * <p>
 * Read phase (parallel, no database writes; {@link TranscriptReader}): stat; skip an
 * unchanged file without opening it; check identity (file key, head fingerprint,
 * {@code size >= offset}) and re-read from 0 when the file was truncated or replaced;
 * parse the complete lines after the committed offset.
 * <p>
 * Commit phase (one transaction per batch of files, under the ingest lock;
 * {@link BatchCommitter} and {@link UsageWriter}): move each file's offset guarded by the
 * offset and generation it was read from (a duplicated or concurrent job changes
 * nothing), store the new usage copies, recompute the global dedup winners of every
 * message id involved, and apply the differences to the rollups and file totals. Offset
 * and totals therefore commit together or not at all.
 * <p>
 * This class plans the run: it drops other machines' files, keeps the parse threads a
 * batch ahead of the commits, and cuts batches by file count and usage copies; a run that
 * read or removed files ends with {@link IngestFinished}. A large first index on H2 runs
 * <em>bulk</em>, without the message-hash index until its end (see {@link #enter}); the
 * index is then built in the background, after the run has returned (see {@link #exit}).
 */
@Service
public class IngestService implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(IngestService.class);

	private static final int COPIES_PER_COMMIT = 20_000;

	/** This machine's origin: only its files are ingested here. */
	private final String origin;

	private final SourceFileRepository files;

	private final TracerProperties.Ingest settings;

	private final ExecutorService parsePool;

	/** Builds the message-hash index after a bulk first index (one thread). */
	private final ExecutorService indexBuilder;

	private final TranscriptReader reader;

	private final UsageWriter usage;

	private final BatchCommitter committer;

	private final ApplicationEventPublisher events;

	/** Every ingest that read or removed something: parse and commit, end to end. */
	private final Timer runTimer;

	private final UsageCopyRepository copies;

	private final MetaRepository meta;

	/**
	 * Whether a first index may go bulk: on an H2 file that no other process opens (not
	 * {@code AUTO_SERVER}, not several workers), nothing else writes during it.
	 */
	private final boolean bulkAllowed;

	/** H2: the message-hash index may be missing after a crash during a bulk. */
	private final boolean h2;

	private volatile Runnable afterCommit = () -> {
	};

	private volatile Runnable beforeHashIndexBuild = () -> {
	};

	/** A run into an empty {@code usage_copy} with this many bytes to read goes bulk. */
	private volatile long bulkMinBytes;

	/** Guards {@link #activeRuns} and {@link #hashIndexChecked}. */
	private final Object runs = new Object();

	/** Files refused at commit ({@link #commitIsolating}), by id. */
	private final Map<Long, PathProblem> refused = new ConcurrentHashMap<>();

	/** Runs of {@link #ingest} in progress in this process. */
	private int activeRuns;

	/**
	 * Whether this process has seen the message-hash index (checked once, not on every
	 * append's run; again after a bulk whose build failed).
	 */
	private boolean hashIndexChecked;

	public IngestService(SourceFileRepository files, UsageCopyRepository copies, UsageRollupRepository rollups,
			FileFactsRepository facts, MetaRepository meta, TransactionTemplate tx, PriceTable prices,
			TracerProperties properties, ApplicationEventPublisher events, MeterRegistry meters,
			PlannerStatistics statistics) {
		this.runTimer = Timer.builder("cctracer.ingest.run")
			.description("an ingest that read or removed files: parse and commit")
			.register(meters);
		this.files = files;
		this.copies = copies;
		this.meta = meta;
		this.h2 = !statistics.isPostgres();
		this.bulkAllowed = this.h2 && !statistics.isSharedH2()
				&& !"jobs".equalsIgnoreCase(properties.ingest().startup());
		this.bulkMinBytes = properties.ingest().bulkMinSize().toBytes();
		this.events = events;
		this.settings = properties.ingest();
		this.reader = new TranscriptReader(this.settings, meters);
		AtomicInteger n = new AtomicInteger();
		this.parsePool = Executors.newFixedThreadPool(Math.max(1, this.settings.parseThreads()), (r) -> {
			Thread t = new Thread(r, "cctracer-parse-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
		this.indexBuilder = Executors.newSingleThreadExecutor((r) -> {
			Thread t = new Thread(r, "cctracer-hash-index");
			t.setDaemon(true);
			return t;
		});
		this.origin = properties.effectiveOrigin();
		this.usage = new UsageWriter(files, copies, rollups, facts, new UsageCopyMapper(prices));
		this.committer = new BatchCommitter(files, meta, tx, this.usage, statistics, events, meters,
				ProcessHandle.current().pid() + "@" + this.origin);
	}

	/**
	 * How many files this process has opened for reading (unchanged files are never
	 * opened).
	 */
	public long filesOpened() {
		return this.reader.filesOpened();
	}

	/**
	 * The app trims its heap (a burst of work is over, or it is idle): the JSONL readers'
	 * spare read buffers go (every reader's in the process: 1 MiB each, 4 at most per
	 * size). The known message hashes stay: without them the next append of 500 ids or
	 * more reads them back (0.5 s on the 4.4 GB benchmark set) and smaller ones look
	 * every new id up (BENCHMARKS.md, "What the heap holds").
	 */
	@EventListener(HeapTrimming.class)
	void onHeapTrimming() {
		JsonlReader.releaseSpareBuffers();
	}

	/**
	 * Test seam: runs inside the commit transaction, after all writes, before the commit.
	 */
	void beforeCommit(Runnable hook) {
		this.committer.beforeCommit(hook);
	}

	/** For tests: 0 makes every commit use (and load) the known hashes. */
	void knownHashesThreshold(int threshold) {
		this.usage.knownHashesThreshold(threshold);
	}

	/** For tests: 0 makes every run into an empty {@code usage_copy} go bulk. */
	void bulkMinBytes(long bytes) {
		this.bulkMinBytes = bytes;
	}

	/** Test seam: runs after each commit of a run, outside its transaction. */
	void afterCommit(Runnable hook) {
		this.afterCommit = hook;
	}

	/**
	 * Test seam: runs on the builder's thread before a bulk's message-hash index build.
	 */
	void beforeHashIndexBuild(Runnable hook) {
		this.beforeHashIndexBuild = hook;
	}

	/** For tests: look-ups of stored copies served through a bulk's places. */
	long bulkPlaceLookups() {
		return this.usage.placeLookups();
	}

	/**
	 * Makes a deleted file row the path's again (a scan found the transcript it was put
	 * back) and recomputes the dedup winners of its messages, in one transaction under
	 * the ingest lock.
	 * @return whether the row was revived
	 */
	boolean revive(long id, String root, String relPath, long size, long mtime) {
		return this.committer.revive(id, this.origin, root, relPath, size, mtime);
	}

	/**
	 * Ingests the new complete lines of these files.
	 * @param fileIds ids of {@code source_file} rows (unknown ids and other machines'
	 * files are skipped)
	 * @return what was read and committed (files, bytes, lines, guard misses, timings in
	 * milliseconds)
	 * @throws RuntimeException when a commit fails (earlier batches stay committed)
	 */
	public IngestReport ingest(Collection<Long> fileIds) {
		long started = System.nanoTime();
		long parseBefore = this.reader.parseNanos();
		List<FileState> states = new ArrayList<>(this.files.findByIds(new LinkedHashSet<>(fileIds)));
		// another machine's files are on its disk, not here: never opened (nor marked
		// deleted) by this one
		states.removeIf((s) -> !this.origin.equals(s.origin()) && !s.origin().isEmpty());
		IngestStats stats = new IngestStats(states.size());
		long pending = pendingBytes(states);
		CopyPlaces bulk = enter(states, pending);
		try {
			if (pending > 0) {
				this.events.publishEvent(new IngestStarting(states.size(), pending));
			}
			run(states, stats, bulk);
		}
		finally {
			exit(bulk);
			if (pending > 0) {
				this.events.publishEvent(new IngestEnded(states.size(), pending));
			}
		}
		stats.parseNanos = this.reader.parseNanos() - parseBefore;
		long took = System.nanoTime() - started;
		if (stats.read + stats.deleted > 0) {
			this.runTimer.record(took, TimeUnit.NANOSECONDS);
			this.events.publishEvent(new IngestFinished(stats.read + stats.deleted, stats.bytes));
		}
		return stats.report(took / 1_000_000);
	}

	/**
	 * Reads and commits the files in batches.
	 * @param bulk the places of this run's bulk first index, or null
	 */
	private void run(List<FileState> states, IngestStats stats, CopyPlaces bulk) {
		Deque<Future<FileRead>> inflight = new ArrayDeque<>();
		Iterator<FileState> pending = states.iterator();
		// parsing runs ahead by a whole batch, so the parse threads keep working while a
		// batch commits
		int window = Math.max(2, this.settings.batchFiles() + this.settings.parseThreads() * 2);
		List<FileRead> batch = new ArrayList<>();
		int batchCopies = 0;
		boolean bulkOn = bulk != null;
		while (pending.hasNext() || !inflight.isEmpty()) {
			while (pending.hasNext() && inflight.size() < window) {
				FileState next = pending.next();
				inflight.add(this.parsePool.submit(() -> this.reader.readSafely(next)));
			}
			FileRead read = await(inflight.poll());
			batch.add(read);
			batchCopies += (read.outcome() == FileRead.Outcome.GONE) ? storedCopiesAtMost(read.state()) : read.copies();
			if (batch.size() >= this.settings.batchFiles() || batchCopies >= COPIES_PER_COMMIT) {
				commitIsolating(batch, stats);
				this.afterCommit.run();
				batch = new ArrayList<>();
				batchCopies = 0;
				if (bulkOn && !this.usage.bulkTrusted(this.meta.dataVersion())) {
					// another writer committed, or too many messages to map: the
					// index is needed again for the rest of the run
					bulkOn = false;
					endBulk(bulk);
				}
			}
		}
		if (!batch.isEmpty()) {
			commitIsolating(batch, stats);
			this.afterCommit.run();
		}
	}

	/**
	 * Commits a batch; when the commit fails on a value the database cannot hold (a sum
	 * past 64 bits, which only crafted counts reach), commits its files one at a time so
	 * that such a file does not hold back the others (a trial's file of 100 lines of a
	 * billion tokens each failed its batch at every scan). A file whose commit fails
	 * alone is a failed read: nothing of it is counted, it is named with the reason among
	 * the scan's problems (one WARN line, once) and tried again at each scan, as its size
	 * and time are not recorded as read.
	 * @throws RuntimeException any other failure of the commit, as before
	 */
	private void commitIsolating(List<FileRead> batch, IngestStats stats) {
		try {
			this.committer.commit(batch, stats);
		}
		catch (RuntimeException ex) {
			String reason = refusal(ex);
			if (reason == null) {
				throw ex;
			}
			if (batch.size() > 1) {
				for (FileRead read : batch) {
					commitIsolating(List.of(read), stats);
				}
				return;
			}
			FileState state = batch.get(0).state();
			boolean news = this.refused.put(state.id(), new PathProblem(state.pathOrder(), reason)) == null;
			if (news) {
				log.warn("file {} ({}) not counted: {}", state.id(), LogText.safe(Redactor.redact(state.relPath())),
						reason);
			}
			// the data version moves once, when the refusal is new: the pages' not-read
			// banner counts it
			this.committer.commit(List.of(FileRead.failed(state, reason)), stats, news);
			return;
		}
		for (FileRead read : batch) {
			if (read.outcome() != FileRead.Outcome.FAILED) {
				this.refused.remove(read.state().id());
			}
		}
	}

	/**
	 * Why the database cannot hold what a commit wrote, or {@code null} when it failed
	 * for another reason: a sum past 64 bits, in Java ({@link ArithmeticException}) or in
	 * the database (SQL state class 22, data exception: 22003 on H2 and PostgreSQL).
	 */
	static String refusal(Throwable failure) {
		if (Causes.find(failure, ArithmeticException.class) != null) {
			return "its usage sums pass 64 bits (more than $9.2M of cost in one quarter-hour of one model, "
					+ "or in one file): not a real transcript's counts";
		}
		SQLException sql = Causes.find(failure, SQLException.class);
		if (sql != null && sql.getSQLState() != null && sql.getSQLState().startsWith("22")) {
			return "22003".equals(sql.getSQLState())
					? "its usage sums pass 64 bits in the database (more than $9.2M of cost in one quarter-hour of "
							+ "one model): not a real transcript's counts"
					: "the database refused one of its values (SQL state " + sql.getSQLState() + ")";
		}
		return null;
	}

	/**
	 * Files whose commit failed alone on a value the database cannot hold
	 * ({@link #commitIsolating}), with why; until each is committed.
	 */
	public List<PathProblem> refusedFiles() {
		return List.copyOf(this.refused.values());
	}

	/**
	 * An upper bound of the copies a file going deleted has stored (a usage line takes
	 * more than 512 bytes): its commit loads every copy of their messages to recompute
	 * their winners, so a renamed project dir's files are spread over several commits as
	 * a first read of them would be.
	 */
	private static int storedCopiesAtMost(FileState s) {
		return (int) Math.min(COPIES_PER_COMMIT, s.committedOffset() / 512);
	}

	/**
	 * Starts a run. The first run in this process with nothing else running, on an H2
	 * file no other process opens, into an empty {@code usage_copy}, with at least
	 * {@code cctracer.ingest.bulk-min-size} to read goes <em>bulk</em>: the message-hash
	 * index is dropped and built once after the run (its random keys cost every insert
	 * page reads and rewrites all over it: the commits of the large benchmark set's first
	 * index took 25.6–26.1 s with it, 15.1–16.2 s without, and the build 4.4–5.9 s);
	 * until it exists the copies of a message already stored are found through the files
	 * {@link CopyPlaces} records for it. On H2 the first other run of a process, and the
	 * first after a failed build, builds the index if it is missing (a crash during a
	 * bulk run leaves it so).
	 * @param pendingBytes the run's bytes past the committed offsets (bytes)
	 * @return the places of this run's bulk (it must then {@link #exit} with them), or
	 * null
	 */
	private CopyPlaces enter(List<FileState> states, long pendingBytes) {
		synchronized (this.runs) {
			this.activeRuns++;
			try {
				if (this.activeRuns == 1 && this.bulkAllowed && pendingBytes >= this.bulkMinBytes) {
					// the version before the emptiness: a copy committed in between
					// moves it, and the bulk is not trusted
					long version = this.meta.dataVersion();
					if (this.copies.isEmpty()) {
						this.copies.dropMessageHashIndex();
						log.info("first index in bulk: the message-hash index is built after the last commit");
						return this.usage.beginBulk(version);
					}
				}
				if (this.h2 && !this.hashIndexChecked && !this.usage.inBulk()) {
					if (!this.copies.hasMessageHashIndex()) {
						log.warn("the message-hash index is missing (a bulk first index did not finish): building it");
						this.copies.createMessageHashIndex();
					}
					this.hashIndexChecked = true;
				}
				return null;
			}
			catch (RuntimeException ex) {
				this.activeRuns--;
				throw ex;
			}
		}
	}

	/**
	 * Ends a run: counts it out and, after a bulk, has the message-hash index built in
	 * the background. The run's totals are committed and served already; the build
	 * (0.7–1.5 s on the medium benchmark set, 4.4–5.9 s on the large) would only delay
	 * the run's end, and the next start-up steps with it (the facts). Until the index
	 * exists, commits of later runs look stored copies up through the bulk's places, as
	 * during the bulk; they wait while {@code CREATE INDEX} holds the table. Should the
	 * places stop being trusted meanwhile (a re-pricing moves the data version), their
	 * look-ups go by hash without the index, slower, until the build ends.
	 */
	private void exit(CopyPlaces bulk) {
		try {
			if (bulk != null) {
				try {
					this.indexBuilder.execute(() -> {
						this.beforeHashIndexBuild.run();
						endBulk(bulk);
					});
				}
				catch (RejectedExecutionException ex) {
					// shutting down: the next process builds the index first
					log.warn("the message-hash index was not built after a bulk first index (shutting down); "
							+ "the next start builds it");
				}
			}
		}
		finally {
			synchronized (this.runs) {
				this.activeRuns--;
			}
		}
	}

	/**
	 * Builds the message-hash index, then stops using this bulk's places (runs that
	 * commit meanwhile look up through them until the index exists). A failed build is
	 * logged, not thrown: the run's commits stand, and the next run builds the index
	 * first.
	 */
	private void endBulk(CopyPlaces bulk) {
		if (!this.usage.isBulk(bulk)) {
			return;
		}
		long started = System.nanoTime();
		try {
			this.copies.createMessageHashIndex();
			log.info("message-hash index built in {} ms ({} messages)", (System.nanoTime() - started) / 1_000_000,
					bulk.size());
		}
		catch (RuntimeException ex) {
			log.warn("the message-hash index was not built after a bulk first index ({}); the next ingest builds it",
					ex.toString());
			synchronized (this.runs) {
				this.hashIndexChecked = false;
			}
		}
		finally {
			this.usage.endBulk(bulk);
		}
	}

	private static long pendingBytes(List<FileState> states) {
		long bytes = 0;
		for (FileState s : states) {
			bytes += Math.max(0, Math.max(s.sizeAtScan(), s.seenSize()) - s.committedOffset());
		}
		return bytes;
	}

	private static FileRead await(Future<FileRead> future) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return future.get();
				}
				catch (InterruptedException ex) {
					// finish the batch: the commit below must not be torn by an interrupt
					interrupted = true;
				}
				catch (ExecutionException ex) {
					throw new IllegalStateException("parse task failed", ex.getCause());
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/**
	 * Whether the message-hash index of a bulk first index is still to be built (for
	 * tests: look-ups go through the bulk's places meanwhile).
	 */
	boolean buildingHashIndex() {
		return this.usage.inBulk();
	}

	/**
	 * Stops the parse threads, and lets a message-hash index build finish (up to a
	 * minute), so that the next start does not build it again. A build still running then
	 * is left to the JVM's exit, never interrupted: an interrupt inside H2's file I/O can
	 * corrupt the database (see {@link Indexer}); the next start builds the index if it
	 * is missing.
	 */
	@Override
	public void destroy() throws InterruptedException {
		this.parsePool.shutdownNow();
		this.indexBuilder.shutdown();
		if (!this.indexBuilder.awaitTermination(1, TimeUnit.MINUTES)) {
			log.warn("the message-hash index build did not end within a minute of shutting down; "
					+ "the next start builds the index if it is missing");
		}
	}

}
