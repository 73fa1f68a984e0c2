package dev.cctracer.worker.facts;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import dev.cctracer.worker.IngestFinished;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * When the facts of new commits are written: a delay after the last commit, at once after
 * a run that read at least a facts batch's worth.
 */
class FactsAfterCommitTests {

	@Test
	void shouldWaitTheDelayAfterACommitAndStartAtOnceAfterALargeRun() throws Exception {
		AtomicInteger syncs = new AtomicInteger();
		FactsAfterCommit facts = new FactsAfterCommit(syncs::incrementAndGet, true, Duration.ofSeconds(30));
		try {
			// a commit, then a small run (a session's append) ending: the delay holds
			facts.onDataChanged();
			facts.onIngestFinished(new IngestFinished(1, 4096));
			Thread.sleep(300);
			assertThat(syncs).hasValue(0);
			// a run of a facts batch's worth ends: its facts start now, once
			facts.onDataChanged();
			facts.onIngestFinished(new IngestFinished(3000, FactsStore.BATCH_BYTES));
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(syncs).hasValue(1));
			Thread.sleep(300);
			assertThat(syncs).hasValue(1);
		}
		finally {
			facts.destroy();
		}
	}

	@Test
	void shouldRunOnceAfterTheLastOfSeveralCommitsAndAgainAfterAFailure() {
		AtomicInteger syncs = new AtomicInteger();
		FactsAfterCommit facts = new FactsAfterCommit(() -> {
			syncs.incrementAndGet();
			throw new IOException("No space left on device");
		}, true, Duration.ofMillis(200));
		try {
			for (int i = 0; i < 5; i++) {
				facts.onDataChanged();
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(syncs).hasValue(1));
			// the failure is logged, the next commit schedules again
			facts.onDataChanged();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(syncs).hasValue(2));
		}
		finally {
			facts.destroy();
		}
	}

	@Test
	void shouldDoNothingWhenOff() throws Exception {
		AtomicInteger syncs = new AtomicInteger();
		FactsAfterCommit facts = new FactsAfterCommit(syncs::incrementAndGet, false, Duration.ZERO);
		try {
			facts.onDataChanged();
			facts.onIngestFinished(new IngestFinished(3000, FactsStore.BATCH_BYTES * 4));
			Thread.sleep(300);
			assertThat(syncs).hasValue(0);
		}
		finally {
			facts.destroy();
		}
	}

}
