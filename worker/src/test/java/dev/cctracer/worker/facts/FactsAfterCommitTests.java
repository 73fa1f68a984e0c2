package dev.cctracer.worker.facts;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.cctracer.worker.FactsOutOfMemoryException;
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
		FactsAfterCommit facts = new FactsAfterCommit(syncs::incrementAndGet, true, Duration.ofSeconds(30),
				Duration.ofMinutes(1));
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

	/**
	 * A process killed between a commit and its facts: the next start writes them without
	 * waiting for a commit (a team trial's restarted worker had none for minutes), after
	 * the delay, which a start-up index's commits push back.
	 */
	@Test
	void shouldLookForUnwrittenFactsOnceAfterTheStart() throws Exception {
		AtomicInteger syncs = new AtomicInteger();
		FactsAfterCommit facts = new FactsAfterCommit(syncs::incrementAndGet, true, Duration.ofSeconds(2),
				Duration.ofMinutes(1));
		try {
			facts.onReady();
			// commits every 100 ms (a start-up index's) push it back
			for (int i = 0; i < 4; i++) {
				Thread.sleep(100);
				facts.onDataChanged();
			}
			assertThat(syncs).hasValue(0);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(syncs).hasValue(1));
		}
		finally {
			facts.destroy();
		}
		FactsAfterCommit off = new FactsAfterCommit(syncs::incrementAndGet, false, Duration.ZERO,
				Duration.ofMinutes(1));
		try {
			off.onReady();
			Thread.sleep(300);
			assertThat(syncs).hasValue(1);
		}
		finally {
			off.destroy();
		}
	}

	/**
	 * The app stops while the facts are written: the write's interrupt is said as the
	 * stop it is, not as a failure.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldSayAStopDuringTheFactsIsNoFailure(CapturedOutput output) throws Exception {
		CountDownLatch writing = new CountDownLatch(1);
		FactsAfterCommit facts = new FactsAfterCommit(() -> {
			writing.countDown();
			try {
				Thread.sleep(60_000);
			}
			catch (InterruptedException ex) {
				throw new IOException("interrupted while writing facts", ex);
			}
			return null;
		}, true, Duration.ofSeconds(30), Duration.ofMinutes(1));
		facts.onIngestFinished(new IngestFinished(3000, FactsStore.BATCH_BYTES));
		assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
		facts.destroy();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getOut()).contains("the app stopped before the facts"));
		assertThat(output.getOut()).doesNotContain("writing the facts of the last commits failed");
	}

	@Test
	void shouldRunOnceAfterTheLastOfSeveralCommitsAndAgainAfterAFailure() {
		AtomicInteger syncs = new AtomicInteger();
		FactsAfterCommit facts = new FactsAfterCommit(() -> {
			syncs.incrementAndGet();
			throw new IOException("No space left on device");
		}, true, Duration.ofMillis(200), Duration.ofMinutes(1));
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

	/**
	 * The writer out of memory fails again on every try until its limit is raised: after
	 * such a failure the next run waits the backoff (here 1 s, then 2 s), however many
	 * commits come, and runs then; a success ends the wait.
	 */
	@Test
	void shouldWaitLongerAfterEachFailureForWantOfMemory() throws Exception {
		List<Long> runs = new CopyOnWriteArrayList<>();
		AtomicInteger failures = new AtomicInteger(2);
		FactsAfterCommit facts = new FactsAfterCommit(() -> {
			runs.add(System.nanoTime());
			if (failures.getAndDecrement() > 0) {
				throw new FactsOutOfMemoryException("16MB", new SQLException(
						"Out of Memory Error: failed to allocate data of size 2.0 MiB (16.0 MiB/16.0 MiB used)"));
			}
			return null;
		}, true, Duration.ofMillis(50), Duration.ofSeconds(1));
		try {
			facts.onDataChanged();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runs).hasSize(1));
			// commits during the wait do not run it sooner
			for (int i = 0; i < 5; i++) {
				facts.onDataChanged();
				Thread.sleep(100);
			}
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runs).hasSize(2));
			assertThat(Duration.ofNanos(runs.get(1) - runs.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
			// the second failure doubles the wait; the run after it succeeds
			facts.onDataChanged();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runs).hasSize(3));
			assertThat(Duration.ofNanos(runs.get(2) - runs.get(1))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
			// after a success a commit runs again
			facts.onDataChanged();
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(runs).hasSize(4));
		}
		finally {
			facts.destroy();
		}
	}

	@Test
	void shouldDoNothingWhenOff() throws Exception {
		AtomicInteger syncs = new AtomicInteger();
		FactsAfterCommit facts = new FactsAfterCommit(syncs::incrementAndGet, false, Duration.ZERO,
				Duration.ofMinutes(1));
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
