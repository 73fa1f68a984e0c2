package dev.cctracer.worker.memory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.sun.management.HotSpotDiagnosticMXBean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import dev.cctracer.worker.FactsWritten;
import dev.cctracer.worker.HeapTrimming;
import dev.cctracer.worker.IngestEnded;
import dev.cctracer.worker.IngestStarting;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The heap trim: when it decides to trim (idle long enough, heap grown; a burst's facts
 * written), that a trim of this very JVM gives back a heap a burst grew, and which free
 * ratios hold when (the JVM's own during a burst's ingest, the serving ones otherwise).
 */
class HeapTrimTests {

	private static final long SECOND = 1_000_000_000L;

	private static final long MB = 1L << 20;

	/**
	 * The free ratios this JVM started with, as the trim read them; set again before each
	 * test (the heap trims of other tests' Spring contexts in this JVM leave theirs).
	 */
	private final int[] jvmRatios = HeapTrim.jvmRatios();

	/** The ratios before this test, given back after it. */
	private final int[] before = ratios();

	/** The events the trim published. */
	private final List<Object> events = new ArrayList<>();

	private HeapTrim trim;

	@BeforeEach
	void startWithTheJvmsDefaultRatios() {
		set(this.jvmRatios);
		this.trim = new HeapTrim(properties(Duration.ofSeconds(10)), 100 * MB, this.events::add);
	}

	@AfterEach
	void giveTheRatiosBack() {
		this.trim.stop();
		set(this.before);
	}

	@Test
	void trimsOnlyOnceIdleLongEnoughWithAHeapThatGrew() {
		long cpu = 0;
		assertThat(this.trim.due(0, cpu, 100 * MB)).as("first reading").isFalse();
		// busy: a whole core for 2 s, with a heap grown to 300 MB
		cpu += 2 * SECOND;
		assertThat(this.trim.due(2 * SECOND, cpu, 300 * MB)).isFalse();
		// idle (1 % of a core) for 2, 4, 6, 8 s: not yet
		for (long t = 4; t <= 10; t += 2) {
			cpu += SECOND / 50;
			assertThat(this.trim.due(t * SECOND, cpu, 300 * MB)).as("idle since 2 s, at %d s", t).isFalse();
		}
		cpu += SECOND / 50;
		assertThat(this.trim.due(12 * SECOND, cpu, 300 * MB)).as("idle for 10 s").isTrue();
	}

	@Test
	void aBusyIntervalRestartsTheIdleTime() {
		long cpu = 0;
		this.trim.due(0, cpu, 300 * MB);
		this.trim.due(8 * SECOND, cpu, 300 * MB);
		// 0.4 s of CPU in 2 s: 20 % of a core, busy
		cpu += 4 * SECOND / 10;
		assertThat(this.trim.due(10 * SECOND, cpu, 400 * MB)).isFalse();
		assertThat(this.trim.due(18 * SECOND, cpu, 400 * MB)).as("idle for 8 s only").isFalse();
		assertThat(this.trim.due(20 * SECOND, cpu, 400 * MB)).as("idle for 10 s").isTrue();
	}

	@Test
	void aHeapThatDidNotGrowSinceTheLastTrimIsLeftAlone() {
		this.trim.due(0, 0, 100 * MB);
		assertThat(this.trim.due(20 * SECOND, 0, 100 * MB + 15 * MB)).as("grown by 15 MB only").isFalse();
		assertThat(this.trim.due(22 * SECOND, 0, 300 * MB)).isTrue();
		this.trim.trimmed(120 * MB, 23 * SECOND, 0);
		assertThat(this.trim.due(40 * SECOND, 0, 130 * MB)).as("10 MB over the trimmed heap").isFalse();
		assertThat(this.trim.due(42 * SECOND, 0, 140 * MB)).as("20 MB over it").isTrue();
	}

	@Test
	void aHeapThatGrewBeforeTheFirstReadingIsTrimmedToo() {
		// the first check comes after the web server started, when a first index may
		// already have grown the heap from its 64 MB start
		HeapTrim late = new HeapTrim(properties(Duration.ofSeconds(10)), 64 * MB, this.events::add);
		late.due(0, 0, 393 * MB);
		assertThat(late.due(10 * SECOND, SECOND / 10, 393 * MB)).isTrue();
	}

	@Test
	void withoutTheJvmsInitialHeapTheFirstReadingIsTheBase() {
		HeapTrim unknown = new HeapTrim(properties(Duration.ofSeconds(10)), -1, this.events::add);
		unknown.due(0, 0, 393 * MB);
		assertThat(unknown.due(10 * SECOND, 0, 400 * MB)).as("grown by 7 MB only").isFalse();
		assertThat(unknown.due(12 * SECOND, 0, 410 * MB)).isTrue();
	}

	@Test
	void withoutTheProcessCpuTimeTheProcessNeverCountsAsIdle() {
		this.trim.due(0, -1, 100 * MB);
		assertThat(this.trim.due(60 * SECOND, -1, 500 * MB)).isFalse();
	}

	@Test
	void aZeroIdleTimeTurnsTheTrimOff() {
		HeapTrim off = new HeapTrim(properties(Duration.ZERO), 100 * MB, this.events::add);
		off.due(0, 0, 100 * MB);
		assertThat(off.due(60 * SECOND, 0, 500 * MB)).isFalse();
		off.start();
		assertThat(off.isRunning()).isFalse();
	}

	@Test
	void aTrimGivesBackTheHeapABurstGrewAndLeavesTheServingRatios() {
		List<byte[]> burst = new ArrayList<>();
		for (int i = 0; i < 384; i++) {
			burst.add(new byte[(int) MB]);
		}
		long grown = committed();
		assertThat(grown).as("the burst is held").isGreaterThan(384 * MB);
		burst.clear();

		long after = this.trim.trim(0, "in a test");

		assertThat(this.events).as("what can be rebuilt was released first").containsExactly(new HeapTrimming());
		assertThat(after).isEqualTo(committed()).isLessThan(grown - 192 * MB);
		assertThat(ratios()).containsExactly(Math.min(this.jvmRatios[0], HeapTrim.SERVING_MIN_FREE),
				Math.min(this.jvmRatios[1], HeapTrim.SERVING_MAX_FREE));
	}

	@Test
	void aBurstsIngestHoldsTheJvmsOwnRatiosUntilATrimAfterItsEnd() {
		this.trim.trim(0, "in a test");
		assertThat(ratios()).as("serving").isNotEqualTo(this.jvmRatios);

		this.trim.onIngestStarting(new IngestStarting(3000, HeapTrim.BURST_BYTES));
		assertThat(ratios()).as("a first index's").containsExactly(this.jvmRatios);
		assertThat(this.trim.working()).isTrue();

		// a trim decided before the burst began (its idle check read burst 0)
		this.events.clear();
		this.trim.trim(0, "in a test");
		assertThat(ratios()).as("still the burst's").containsExactly(this.jvmRatios);
		// one decided during the ingest (an analytic's facts sync of a first index)
		this.trim.trim(1, "in a test");
		assertThat(ratios()).as("still the burst's, its ingest runs").containsExactly(this.jvmRatios);
		assertThat(this.trim.working()).isTrue();
		assertThat(this.events).as("nothing released while the burst's ingest runs").isEmpty();

		this.trim.onIngestEnded(new IngestEnded(3000, HeapTrim.BURST_BYTES));
		this.trim.trim(1, "in a test");
		assertThat(ratios()).as("serving again").isNotEqualTo(this.jvmRatios);
		assertThat(this.trim.working()).isFalse();
	}

	@Test
	void aSessionsAppendsAreNoBurst() {
		this.trim.trim(0, "in a test");
		int[] serving = ratios();
		this.trim.onIngestStarting(new IngestStarting(1, HeapTrim.BURST_BYTES - 1));
		assertThat(ratios()).containsExactly(serving);
		assertThat(this.trim.working()).isFalse();
	}

	@Test
	void theFactsOfABurstTrimAtOnceWithoutWaitingForIdle() {
		// 10 s of idle never pass in this test: only the burst's end trims
		this.trim.start();
		assertThat(ratios()).as("serving from the start").isNotEqualTo(this.jvmRatios);
		this.trim.onIngestStarting(new IngestStarting(3000, 900 * MB));
		assertThat(ratios()).containsExactly(this.jvmRatios);
		this.trim.onIngestEnded(new IngestEnded(3000, 900 * MB));
		List<byte[]> burst = new ArrayList<>();
		for (int i = 0; i < 384; i++) {
			burst.add(new byte[(int) MB]);
		}
		long grown = committed();
		burst.clear();

		this.trim.onFactsWritten(new FactsWritten(1, HeapTrim.BURST_BYTES - 1));
		this.trim.onFactsWritten(new FactsWritten(3000, 900 * MB));

		await().atMost(Duration.ofSeconds(8)).until(() -> !this.trim.working());
		assertThat(committed()).isLessThan(grown - 192 * MB);
		assertThat(ratios()).as("serving after the trim").isNotEqualTo(this.jvmRatios);
	}

	@Test
	void noTrimWhileABurstsIngestRuns() throws Exception {
		this.trim.start();
		this.trim.onIngestStarting(new IngestStarting(3000, 900 * MB));
		// an analytic writes the facts committed so far, mid-index
		this.trim.onFactsWritten(new FactsWritten(1500, 450 * MB));
		assertThat(this.trim.afterQueuedWork()).isTrue();
		assertThat(this.trim.working()).isTrue();
		assertThat(ratios()).containsExactly(this.jvmRatios);
	}

	@Test
	void aBurstThatGrewTheHeapTooLittleToTrimStillEndsInTheServingRatios() throws Exception {
		// a base far above any heap here: never grown enough to trim
		this.trim = new HeapTrim(properties(Duration.ofSeconds(10)), 1L << 40, this.events::add);
		this.trim.start();
		this.trim.onIngestStarting(new IngestStarting(3000, 900 * MB));
		this.trim.onIngestEnded(new IngestEnded(3000, 900 * MB));
		this.trim.onFactsWritten(new FactsWritten(3000, 900 * MB));
		assertThat(this.trim.afterQueuedWork()).isTrue();
		assertThat(this.trim.working()).isFalse();
		assertThat(ratios()).isNotEqualTo(this.jvmRatios);
		assertThat(this.events).as("the burst is over: what can be rebuilt goes").containsExactly(new HeapTrimming());
	}

	@Test
	void theFactsOfSessionsAppendsDoNotTrim() throws Exception {
		this.trim.start();
		this.trim.onIngestStarting(new IngestStarting(3000, 900 * MB));
		this.trim.onIngestEnded(new IngestEnded(3000, 900 * MB));
		this.trim.onFactsWritten(new FactsWritten(2, HeapTrim.BURST_BYTES - 1));
		// the trim's thread runs one task at a time: a probe after it sees it done
		assertThat(this.trim.afterQueuedWork()).isTrue();
		assertThat(this.trim.working()).as("no trim ended the burst").isTrue();
		assertThat(this.events).isEmpty();
	}

	@Test
	void stoppingGivesTheJvmItsOwnRatiosBack() {
		this.trim.start();
		assertThat(ratios()).isNotEqualTo(this.jvmRatios);
		this.trim.stop();
		assertThat(ratios()).containsExactly(this.jvmRatios);
	}

	/** The trim's settings: trims after this much idle time, checks every 2 s. */
	private static MemoryProperties properties(Duration trimAfterIdle) {
		return new MemoryProperties(trimAfterIdle, Duration.ofSeconds(2), DataSize.ofMegabytes(16),
				DataSize.ofMegabytes(2));
	}

	private static long committed() {
		return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
	}

	private static void set(int[] ratios) {
		var flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		flags.setVMOption("MaxHeapFreeRatio", "100");
		flags.setVMOption("MinHeapFreeRatio", String.valueOf(ratios[0]));
		flags.setVMOption("MaxHeapFreeRatio", String.valueOf(ratios[1]));
	}

	private static int[] ratios() {
		var flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		return new int[] { Integer.parseInt(flags.getVMOption("MinHeapFreeRatio").getValue()),
				Integer.parseInt(flags.getVMOption("MaxHeapFreeRatio").getValue()) };
	}

}
