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
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.worker.DataChanged;
import dev.cctracer.worker.IngestFinished;

/**
 * Writes the facts of what the ingest committed, shortly after it committed: each commit
 * ({@link DataChanged}) (re)starts a delay ({@code cctracer.facts.delay}, 2 s), so a
 * first index is not slowed by facts written between its batches and a session's appends
 * are gathered into one batch; a run that read at least one facts batch's worth
 * ({@link FactsStore#BATCH_BYTES}, e.g. a first index) starts them as soon as it ends
 * ({@link IngestFinished}). Runs on its own thread, never the ingest's; the analytics
 * sync again before reading, so a failure here (logged) only costs time there. Off with
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

	private ScheduledFuture<?> next;

	@Autowired
	FactsAfterCommit(FactsStore facts, Environment env) {
		this(() -> facts.sync((n) -> {
		}), env.getProperty("cctracer.facts.after-commit", Boolean.class, true),
				env.getProperty("cctracer.facts.delay", Duration.class, Duration.ofSeconds(2)));
	}

	/** For tests: {@code sync} stands for the facts' sync. */
	FactsAfterCommit(Callable<?> sync, boolean enabled, Duration delay) {
		this.sync = () -> {
			try {
				sync.call();
			}
			catch (Exception ex) {
				log.warn("facts: writing the facts of the last commits failed ({}); analytics will write them",
						ex.toString());
			}
		};
		this.enabled = enabled;
		this.delay = delay;
	}

	@EventListener(DataChanged.class)
	void onDataChanged() {
		schedule(this.delay);
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
		if (this.next != null) {
			this.next.cancel(false);
		}
		this.next = this.executor.schedule(this.sync, after.toMillis(), TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void destroy() {
		// under the same monitor as schedule(): no task is handed to a stopped executor
		this.executor.shutdownNow();
	}

}
