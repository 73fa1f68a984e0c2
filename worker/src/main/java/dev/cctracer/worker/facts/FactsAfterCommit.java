package dev.cctracer.worker.facts;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.worker.DataChanged;

/**
 * Writes the facts of what the ingest committed, shortly after it committed: each commit
 * ({@link DataChanged}) (re)starts a delay ({@code cctracer.facts.delay}, 2 s), so a
 * first index is not slowed by facts written between its batches, and analytics then find
 * their facts written. Runs on its own thread, never the ingest's; the analytics sync
 * again before reading, so a failure here (logged) only costs time there. Off with
 * {@code cctracer.facts.after-commit=false}.
 */
@Component
class FactsAfterCommit implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(FactsAfterCommit.class);

	private final FactsStore facts;

	private final boolean enabled;

	private final Duration delay;

	private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((r) -> {
		Thread t = new Thread(r, "facts-after-commit");
		t.setDaemon(true);
		return t;
	});

	private ScheduledFuture<?> next;

	FactsAfterCommit(FactsStore facts, Environment env) {
		this.facts = facts;
		this.enabled = env.getProperty("cctracer.facts.after-commit", Boolean.class, true);
		this.delay = env.getProperty("cctracer.facts.delay", Duration.class, Duration.ofSeconds(2));
	}

	@EventListener(DataChanged.class)
	synchronized void onDataChanged() {
		if (!this.enabled || this.executor.isShutdown()) {
			return;
		}
		if (this.next != null) {
			this.next.cancel(false);
		}
		this.next = this.executor.schedule(this::sync, this.delay.toMillis(), TimeUnit.MILLISECONDS);
	}

	private void sync() {
		try {
			this.facts.sync((n) -> {
			});
		}
		catch (Exception ex) {
			log.warn("facts: writing the facts of the last commits failed ({}); analytics will write them",
					ex.toString());
		}
	}

	@Override
	public void destroy() {
		this.executor.shutdownNow();
	}

}
