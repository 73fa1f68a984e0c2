package dev.cctracer.worker.memory;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap trim: when it decides to trim (idle long enough, heap grown), and that a trim
 * of this very JVM gives back a heap a burst grew.
 */
class HeapTrimTests {

	private static final long SECOND = 1_000_000_000L;

	private static final long MB = 1L << 20;

	private final HeapTrim trim = new HeapTrim(new MemoryProperties(Duration.ofSeconds(10), Duration.ofSeconds(2)),
			100 * MB);

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
		HeapTrim late = new HeapTrim(new MemoryProperties(Duration.ofSeconds(10), Duration.ofSeconds(2)), 64 * MB);
		late.due(0, 0, 393 * MB);
		assertThat(late.due(10 * SECOND, SECOND / 10, 393 * MB)).isTrue();
	}

	@Test
	void withoutTheJvmsInitialHeapTheFirstReadingIsTheBase() {
		HeapTrim unknown = new HeapTrim(new MemoryProperties(Duration.ofSeconds(10), Duration.ofSeconds(2)), -1);
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
		HeapTrim off = new HeapTrim(new MemoryProperties(Duration.ZERO, Duration.ofSeconds(2)), 100 * MB);
		off.due(0, 0, 100 * MB);
		assertThat(off.due(60 * SECOND, 0, 500 * MB)).isFalse();
		off.start();
		assertThat(off.isRunning()).isFalse();
	}

	@Test
	void aTrimGivesBackTheHeapABurstGrewAndRestoresTheFreeRatios() {
		var flags = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
		String min = flags.getVMOption("MinHeapFreeRatio").getValue();
		String max = flags.getVMOption("MaxHeapFreeRatio").getValue();
		List<byte[]> burst = new ArrayList<>();
		for (int i = 0; i < 384; i++) {
			burst.add(new byte[(int) MB]);
		}
		long grown = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
		assertThat(grown).as("the burst is held").isGreaterThan(384 * MB);
		burst.clear();

		long after = this.trim.trim();

		assertThat(after).isEqualTo(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted())
			.isLessThan(grown - 192 * MB);
		assertThat(flags.getVMOption("MinHeapFreeRatio").getValue()).isEqualTo(min);
		assertThat(flags.getVMOption("MaxHeapFreeRatio").getValue()).isEqualTo(max);
	}

}
