package dev.cctracer.worker.memory;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.OperatingSystemMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Gives back to the operating system the heap a burst of work grew (a first index, the
 * facts, a load of requests) once the process has been idle for
 * {@link MemoryProperties#trimAfterIdle()}.
 * <p>
 * The JVM keeps a heap it grew: the serial collector that {@code ./run.sh} starts (and G1
 * or the parallel collector alike) shrinks the heap only at a full collection, and only
 * down to {@code MaxHeapFreeRatio} free (70 % by default, 95 % as {@code ./run.sh} starts
 * it), by a damped step each time. So, when the process is idle and its committed heap
 * grew by {@link #MIN_GROWTH_BYTES} or more since the last trim, this lowers the two
 * manageable flags {@code MinHeapFreeRatio}/{@code MaxHeapFreeRatio} to
 * {@value #TRIM_MIN_FREE}/{@value #TRIM_MAX_FREE} %, runs full collections until the
 * committed heap stops shrinking (at most {@value #MAX_COLLECTIONS}; 50–200 ms each on a
 * heap of 60–130 MB live), and restores the flags, so the next burst grows the heap as
 * before. Idle means the process used less than {@link #BUSY_SHARE} of one core over a
 * check interval: a request, an ingest or a job in that interval counts as busy. Flags
 * the JVM refuses to change leave the collections to the JVM's own ratios; a JVM started
 * with {@code -XX:+DisableExplicitGC} is not trimmed.
 */
@Component
@EnableConfigurationProperties(MemoryProperties.class)
public class HeapTrim implements SmartLifecycle {

	/** Share of one core over a check interval above which the process counts as busy. */
	static final double BUSY_SHARE = 0.10;

	/** Growth of the committed heap since the last trim that is worth a trim (bytes). */
	static final long MIN_GROWTH_BYTES = 16L << 20;

	static final int TRIM_MIN_FREE = 10;

	static final int TRIM_MAX_FREE = 20;

	static final int MAX_COLLECTIONS = 6;

	private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);

	private final MemoryProperties properties;

	private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

	private ScheduledExecutorService ticker;

	/** When the process was last seen busy ({@link System#nanoTime()}). */
	private long busySince;

	private long lastCheck = -1;

	private long lastCpu;

	/**
	 * Committed heap (bytes) after the last trim; before any, the JVM's initial heap
	 * ({@code -Xms}), or the first reading when the JVM does not tell it.
	 */
	private long trimmedTo;

	@Autowired
	public HeapTrim(MemoryProperties properties) {
		this(properties, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit());
	}

	/**
	 * @param initialHeapBytes the heap the process started with (bytes), the base a heap
	 * must have grown from before it is trimmed; negative when unknown (the first reading
	 * is the base then). Not the first reading itself: the first check may come after a
	 * first index already grew the heap (it starts with the web server), and that heap
	 * would never be given back.
	 */
	HeapTrim(MemoryProperties properties, long initialHeapBytes) {
		this.properties = properties;
		this.trimmedTo = initialHeapBytes;
	}

	/**
	 * One check, with its readings passed in: whether the heap should be trimmed now.
	 * @param now {@link System#nanoTime()} of the readings
	 * @param cpuNanos the process's CPU time so far (ns), or a negative value when the
	 * JVM does not report it (then the process never counts as idle)
	 * @param committedBytes the heap committed now (bytes)
	 */
	synchronized boolean due(long now, long cpuNanos, long committedBytes) {
		if (this.lastCheck < 0) {
			this.lastCheck = now;
			this.lastCpu = cpuNanos;
			this.busySince = now;
			if (this.trimmedTo < 0) {
				this.trimmedTo = committedBytes;
			}
			return false;
		}
		long wall = now - this.lastCheck;
		boolean busy = cpuNanos < 0 || wall <= 0 || (cpuNanos - this.lastCpu) > BUSY_SHARE * wall;
		this.lastCheck = now;
		this.lastCpu = cpuNanos;
		if (busy) {
			this.busySince = now;
			return false;
		}
		long idle = this.properties.trimAfterIdle().toNanos();
		return idle > 0 && now - this.busySince >= idle && committedBytes >= this.trimmedTo + MIN_GROWTH_BYTES;
	}

	/**
	 * The trim happened: the committed heap it left is the new base, and the collections
	 * it ran do not count as work.
	 */
	synchronized void trimmed(long committedBytes, long now, long cpuNanos) {
		this.trimmedTo = committedBytes;
		this.lastCheck = now;
		this.lastCpu = cpuNanos;
	}

	/**
	 * Runs full collections with the heap's free ratios lowered, until the committed heap
	 * stops shrinking.
	 * @return the committed heap after the trim (bytes)
	 */
	long trim() {
		long before = committed();
		long started = System.nanoTime();
		HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
		String min = flags.getVMOption("MinHeapFreeRatio").getValue();
		String max = flags.getVMOption("MaxHeapFreeRatio").getValue();
		boolean lowered = false;
		int collections = 0;
		long after = before;
		try {
			// Min must stay at or under Max at every step
			flags.setVMOption("MinHeapFreeRatio", String.valueOf(TRIM_MIN_FREE));
			flags.setVMOption("MaxHeapFreeRatio", String.valueOf(TRIM_MAX_FREE));
			lowered = true;
		}
		catch (IllegalArgumentException | SecurityException ex) {
			log.debug("heap free ratios not changed ({}): the JVM's own apply", ex.getMessage());
		}
		try {
			int unchanged = 0;
			while (collections < MAX_COLLECTIONS) {
				System.gc();
				collections++;
				long now = committed();
				// the serial collector damps a shrink: nothing at the first collection,
				// then growing steps
				unchanged = (now < after) ? 0 : unchanged + 1;
				after = now;
				if (unchanged == 2) {
					break;
				}
			}
		}
		finally {
			if (lowered) {
				flags.setVMOption("MaxHeapFreeRatio", max);
				flags.setVMOption("MinHeapFreeRatio", min);
			}
		}
		log.info("heap trimmed after {} s idle: committed {} → {} MB ({} full collections, {} ms)",
				this.properties.trimAfterIdle().toSeconds(), before >> 20, after >> 20, collections,
				(System.nanoTime() - started) / 1_000_000);
		return after;
	}

	private void check() {
		try {
			if (due(System.nanoTime(), cpuNanos(), committed())) {
				long after = trim();
				trimmed(after, System.nanoTime(), cpuNanos());
			}
		}
		catch (RuntimeException ex) {
			log.warn("heap trim failed: {}", ex.toString());
		}
	}

	private long committed() {
		return this.memory.getHeapMemoryUsage().getCommitted();
	}

	private static long cpuNanos() {
		if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
			return os.getProcessCpuTime();
		}
		return -1;
	}

	@Override
	public synchronized void start() {
		if (this.properties.trimAfterIdle().isZero() || this.properties.trimAfterIdle().isNegative()) {
			return;
		}
		this.ticker = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "cctracer-heap-trim");
			t.setDaemon(true);
			return t;
		});
		long every = Math.max(100, this.properties.checkInterval().toMillis());
		this.ticker.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.ticker != null) {
			this.ticker.shutdownNow();
			this.ticker = null;
		}
	}

	@Override
	public synchronized boolean isRunning() {
		return this.ticker != null;
	}

}
