package dev.cctracer.worker.facts;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;
import org.springframework.util.backoff.BackOffExecution;
import org.springframework.util.backoff.ExponentialBackOff;

import dev.cctracer.shared.log.LogText;
import dev.cctracer.worker.DataChanged;
import dev.cctracer.worker.FactsOutOfMemoryException;
import dev.cctracer.worker.IngestFinished;

/**
 * Writes the facts of what the ingest committed, shortly after it committed: each commit
 * ({@link DataChanged}) (re)starts a delay ({@code cctracer.facts.delay}, 2 s), so a
 * first index is not slowed by facts written between its batches and a session's appends
 * are gathered into one batch; a run that read at least one facts batch's worth
 * ({@link FactsStore#BATCH_BYTES}, e.g. a first index) starts them as soon as it ends
 * ({@link IngestFinished}). Runs on its own thread, never the ingest's; the analytics
 * sync again before reading, so a failure here (logged) only costs time there. When the
 * writer runs out of memory ({@link FactsOutOfMemoryException}: its limit is too small
 * for what is pending, which fails again on every try), the next run waits 1 minute, then
 * 2, 4… up to an hour, until one succeeds: each try re-parses everything pending. Also
 * runs once after the start ({@link #onReady}), in a process that ingests. Off with
 * {@code cctracer.facts.after-commit=false}.
 */
@Component
class FactsAfterCommit implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(FactsAfterCommit.class);

	private final Runnable sync;

	private final boolean enabled;

	private final Duration delay;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread t = new Thread(r, "facts-after-commit");
		t.setDaemon(true);
		return t;
	});

	/** The waits after the writer ran out of memory: the first, doubled up to an hour. */
	private final ExponentialBackOff backOff;

	private ScheduledFuture<?> next;

	/** The waits of the failures in a row for want of memory; null after a success. */
	private BackOffExecution outOfMemory;

	/** No run before this instant ({@link System#nanoTime}) while failing. */
	private long pausedUntil;

	/**
	 * Whether this process looks once after its start ({@link #onReady}): it ingests
	 * ({@code cctracer.ingest.enabled}; not a web-only process, which writes no facts).
	 */
	private final boolean atStart;

	@Autowired
	FactsAfterCommit(FactsStore facts, Environment env) {
		this(() -> facts.sync((n) -> {
		}), env.getProperty("cctracer.facts.after-commit", Boolean.class, true),
				env.getProperty("cctracer.ingest.enabled", Boolean.class, true),
				env.getProperty("cctracer.facts.delay", Duration.class, Duration.ofSeconds(2)), Duration.ofMinutes(1));
	}

	/** For tests: as below, looking once after the start. */
	FactsAfterCommit(Callable<?> sync, boolean enabled, Duration delay, Duration backoff) {
		this(sync, enabled, true, delay, backoff);
	}

	/**
	 * @param sync the facts' sync (a test's stand-in)
	 * @param atStart whether to run once after the start
	 * @param backoff the first wait after the writer ran out of memory
	 */
	FactsAfterCommit(Callable<?> sync, boolean enabled, boolean atStart, Duration delay, Duration backoff) {
		this.atStart = atStart;
		this.sync = () -> {
			long paused = remainingPause();
			if (paused > 0) {
				// scheduled before the last failure: wait for its end
				schedule(Duration.ofNanos(paused));
				return;
			}
			try {
				sync.call();
				succeeded();
			}
			catch (FactsOutOfMemoryException ex) {
				Duration wait = outOfMemory();
				log.warn(
						"facts: writing the facts of the last commits failed ({}); the next try after commits in {} s, "
								+ "analytics still write them when asked",
						LogText.safe(ex.getMessage()), wait.toSeconds());
			}
			catch (Exception ex) {
				if (this.executor.isShutdown()) {
					// the app is stopping (its interrupt ended the write): nothing failed
					log.info("facts: the app stopped before the facts of the last commits were written; "
							+ "the next start (or an analytic) writes them");
				}
				else {
					log.warn("facts: writing the facts of the last commits failed ({}); analytics will write them",
							LogText.failure(ex));
				}
			}
		};
		this.enabled = enabled;
		this.delay = delay;
		this.backOff = new ExponentialBackOff(backoff.toMillis(), 2);
		this.backOff.setMaxInterval(Duration.ofHours(1).toMillis());
	}

	/** Nanoseconds left to wait after a failure for want of memory, or 0. */
	private synchronized long remainingPause() {
		return (this.outOfMemory == null) ? 0 : Math.max(0, this.pausedUntil - System.nanoTime());
	}

	private synchronized void succeeded() {
		this.outOfMemory = null;
	}

	/** Records a failure for want of memory; returns the wait before the next run. */
	private synchronized Duration outOfMemory() {
		if (this.outOfMemory == null) {
			this.outOfMemory = this.backOff.start();
		}
		Duration wait = Duration.ofMillis(this.outOfMemory.nextBackOff());
		this.pausedUntil = System.nanoTime() + wait.toNanos();
		return wait;
	}

	@EventListener(DataChanged.class)
	void onDataChanged() {
		schedule(this.delay);
	}

	/**
	 * Once after the start: a process stopped (or killed) between a commit and its facts
	 * left them unwritten, and nothing else writes them until its next commit, which a
	 * quiet machine may not make for days; analytics said "facts short of their committed
	 * lines" meanwhile (a helper's team trial). Each commit of a start-up index pushes
	 * this run back by the delay, as any other, so it does not run beside a first index;
	 * with nothing pending it opens no transcript.
	 */
	@EventListener(ApplicationReadyEvent.class)
	void onReady() {
		if (this.atStart) {
			schedule(this.delay);
		}
	}

	@EventListener(IngestFinished.class)
	void onIngestFinished(IngestFinished run) {
		if (run.bytes() >= FactsStore.BATCH_BYTES) {
			schedule(Duration.ZERO);
		}
	}

	private synchronized void schedule(Duration after) {
		if (!this.enabled || this.executor.isShutdown()) {
			return;
		}
		long wait = Math.max(after.toNanos(), remainingPause());
		if (this.next != null) {
			this.next.cancel(false);
		}
		this.next = this.executor.schedule(this.sync, wait, TimeUnit.NANOSECONDS);
	}

	@Override
	public synchronized void destroy() {
		// under the same monitor as schedule(): no task is handed to a stopped executor
		this.executor.shutdownNow();
	}

}
