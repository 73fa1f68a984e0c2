package dev.cctracer.web.usage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The answer cache under concurrent requests: an answer nobody holds yet is computed by
 * one caller while the others asking for it wait for that result, so a commit under load
 * does not have every busy client compute the same (possibly heavy) answer at once.
 */
class AnswerCacheTests {

	private static final int CLIENTS = 8;

	private final ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);

	private final List<Thread> threads = new ArrayList<>();

	@AfterEach
	void stop() {
		this.pool.shutdownNow();
	}

	@Test
	void concurrentCallersOfAMissingAnswerShareOneComputation() throws Exception {
		AnswerCache cache = new AnswerCache(new SimpleMeterRegistry());
		AtomicInteger computed = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		List<Future<String>> answers = askAll(() -> cache.get(AnswerCache.USAGE, "daily@7", () -> {
			int n = computed.incrementAndGet();
			awaitQuietly(release);
			return "answer " + n;
		}));
		// every caller is parked: one inside the computation, the others waiting for it
		// (without sharing, all of them would be parked inside computations of their own)
		await().atMost(Duration.ofSeconds(10)).until(this::allWaiting);
		release.countDown();
		for (Future<String> f : answers) {
			assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("answer 1");
		}
		assertThat(computed).hasValue(1);
		// and it is cached: no computation for the next caller either
		assertThat(cache.get(AnswerCache.USAGE, "daily@7", () -> "again")).isEqualTo("answer 1");
	}

	@Test
	void aFailedComputationFailsItsWaitersAndIsNotCached() throws Exception {
		AnswerCache cache = new AnswerCache(new SimpleMeterRegistry());
		AtomicInteger computed = new AtomicInteger();
		CountDownLatch release = new CountDownLatch(1);
		List<Future<String>> answers = askAll(() -> cache.get(AnswerCache.JSON, "blocks", (String s) -> true, () -> {
			computed.incrementAndGet();
			awaitQuietly(release);
			throw new IllegalStateException("database went away");
		}));
		await().atMost(Duration.ofSeconds(10)).until(this::allWaiting);
		release.countDown();
		for (Future<String> f : answers) {
			assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
				.hasRootCauseMessage("database went away");
		}
		assertThat(computed).hasValue(1);
		assertThat(cache.get(AnswerCache.JSON, "blocks", (String s) -> true, () -> "recovered")).isEqualTo("recovered");
	}

	private List<Future<String>> askAll(Supplier<String> ask) {
		List<Future<String>> answers = new ArrayList<>();
		for (int i = 0; i < CLIENTS; i++) {
			answers.add(this.pool.submit(() -> {
				synchronized (this.threads) {
					this.threads.add(Thread.currentThread());
				}
				return ask.get();
			}));
		}
		return answers;
	}

	private boolean allWaiting() {
		synchronized (this.threads) {
			return this.threads.size() == CLIENTS && this.threads.stream()
				.allMatch((t) -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING);
		}
	}

	/**
	 * An answer computed while the storage recovered is returned but not kept: the
	 * database reopened at its last complete commit, so the data version it was asked for
	 * may come back with other data.
	 */
	@Test
	void anAnswerComputedAcrossAStorageRecoveryIsNotKept() {
		AnswerCache cache = new AnswerCache(new SimpleMeterRegistry());
		AtomicInteger computed = new AtomicInteger();
		String first = cache.get(AnswerCache.USAGE, "v7", () -> {
			computed.incrementAndGet();
			cache.onStorageRecovered();
			return "before";
		});
		assertThat(first).isEqualTo("before");
		assertThat(cache.get(AnswerCache.USAGE, "v7", () -> "after" + computed.incrementAndGet())).isEqualTo("after2");
		assertThat(cache.get(AnswerCache.USAGE, "v7", () -> "again" + computed.incrementAndGet())).isEqualTo("after2");
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			if (!latch.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("never released");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
