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
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.log.LogText;
import dev.cctracer.worker.FactsWritten;
import dev.cctracer.worker.HeapTrimming;
import dev.cctracer.worker.IngestEnded;
import dev.cctracer.worker.IngestStarting;

/**
 * Gives back to the operating system the heap a burst of work grew (a first index, the
 * facts, a load of requests), and keeps the heap of a serving process small.
 * <p>
 * The JVM keeps a heap it grew: the serial collector that {@code ./run.sh} starts (and G1
 * or the parallel collector alike) shrinks the heap only at a full collection, and only
 * down to {@code MaxHeapFreeRatio} free (70 % by default, 95 % as {@code ./run.sh} starts
 * it), by a damped step each time. So a trim lowers the two manageable flags
 * {@code MinHeapFreeRatio}/{@code MaxHeapFreeRatio} to
 * {@value #TRIM_MIN_FREE}/{@value #TRIM_MAX_FREE} % and runs full collections, once
 * {@link HeapTrimming} has let the app drop what it can rebuild (caches, spare buffers),
 * until the committed heap stops shrinking (at most {@value #MAX_COLLECTIONS}; 50–200 ms
 * each on a heap of 60–130 MB live). A trim runs when the committed heap grew by
 * {@link #MIN_GROWTH_BYTES} or more since the last one and either the process has been
 * idle for {@link MemoryProperties#trimAfterIdle()} (under {@link #BUSY_SHARE} of one
 * core over each check interval: a request, an ingest or a job counts as busy) or a facts
 * sync of a burst ({@link #BURST_BYTES} or more parsed: a first index's) has just written
 * its facts ({@link FactsWritten}).
 * <p>
 * Two pairs of free ratios take turns. The JVM's own (80/95 % as {@code ./run.sh} starts
 * it: a heap of at least 5× what is live, which halves the collector's pauses of a first
 * index) hold from the start of a burst's ingest ({@link IngestStarting} of
 * {@link #BURST_BYTES} or more, e.g. the first index) until a trim after its end
 * ({@link IngestEnded}), or idle time when the heap grew too little to trim; no trim runs
 * while a burst's ingest does. Otherwise, from {@link #start} on, the <em>serving</em>
 * ratios {@value #SERVING_MIN_FREE}/{@value #SERVING_MAX_FREE} % (never above the JVM's
 * own) hold: a full collection under a load of requests then leaves a heap of 1.1–1.4×
 * what is live, not 5× (resident memory right after the benchmark's load on the medium
 * set 364 against 613 MB at 20/50 %, with 32 request threads; on the 4.4 GB set ~310 MB
 * at 10/30 % with {@code -XX:-ShrinkHeapInSteps}, as {@code ./run.sh} starts the JVM,
 * against ~385 MB without it and ~414 MB at 20/50 %; BENCHMARKS.md, "The heap of a
 * serving app" and "What the heap holds"). {@link #stop} gives the JVM its own back.
 * Flags the JVM refuses to change leave the collections to the JVM's own ratios; a JVM
 * started with {@code -XX:+DisableExplicitGC} is not trimmed. Off, ratios included, when
 * {@code trimAfterIdle} is zero.
 */
@Component
@EnableConfigurationProperties(MemoryProperties.class)
public class HeapTrim implements SmartLifecycle {

	/** Share of one core over a check interval above which the process counts as busy. */
	static final double BUSY_SHARE = 0.10;

	/** Growth of the committed heap since the last trim that is worth a trim (bytes). */
	static final long MIN_GROWTH_BYTES = 16L << 20;

	/** Free ratios during a trim's collections (%): minimum, maximum. */
	static final int TRIM_MIN_FREE = 10;

	static final int TRIM_MAX_FREE = 20;

	/** Full collections a trim runs at most. */
	static final int MAX_COLLECTIONS = 6;

	/**
	 * Free ratios of a serving process (%): minimum, maximum (each at most the JVM's
	 * own).
	 */
	static final int SERVING_MIN_FREE = 10;

	static final int SERVING_MAX_FREE = 30;

	/**
	 * Transcript bytes an ingest must read, or a facts sync parse, to count as a burst
	 * (bytes): a first index or a large import, not a session's appends.
	 */
	static final long BURST_BYTES = 64L << 20;

	private static final Logger log = LoggerFactory.getLogger(HeapTrim.class);

	/**
	 * The free ratios the JVM started with (%): minimum, maximum; null when it does not
	 * tell them. Read once, when this class loads, before any instance changed them.
	 */
	private static final int[] JVM_RATIOS = readRatios();

	/** The free ratios of a serving process (%); null when the JVM's are unknown. */
	private static final int[] SERVING_RATIOS = (JVM_RATIOS == null) ? null
			: new int[] { Math.min(JVM_RATIOS[0], SERVING_MIN_FREE), Math.min(JVM_RATIOS[1], SERVING_MAX_FREE) };

	/**
	 * The flags are the JVM's, not an instance's: one change at a time in the process.
	 */
	private static final Object FLAGS = new Object();

	private final MemoryProperties properties;

	private final ApplicationEventPublisher events;

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

	/** Counts the bursts begun: a trim decided before the last one began does not run. */
	private long bursts;

	/** Bursts' ingests running now: no trim while one runs. */
	private int runningBursts;

	/**
	 * Whether a burst began and no trim (or idle time) after its ingests ended it yet.
	 */
	private boolean working;

	/** Whether {@link #stop} was called: the JVM's own ratios stay. */
	private boolean stopped;

	@Autowired
	public HeapTrim(MemoryProperties properties, ApplicationEventPublisher events) {
		this(properties, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getInit(), events);
	}

	/**
	 * @param initialHeapBytes the heap the process started with (bytes), the base a heap
	 * must have grown from before it is trimmed; negative when unknown (the first reading
	 * is the base then). Not the first reading itself: the first check may come after a
	 * first index already grew the heap (it starts with the web server), and that heap
	 * would never be given back.
	 * @param events where {@link HeapTrimming} is published before each trim
	 */
	HeapTrim(MemoryProperties properties, long initialHeapBytes, ApplicationEventPublisher events) {
		this.properties = properties;
		this.trimmedTo = initialHeapBytes;
		this.events = events;
	}

	/**
	 * A burst's ingest begins: the JVM's own free ratios hold until a trim after its end
	 * (or idle time). Runs on the ingest's thread, before it reads; the first index
	 * starts after the application is ready, after this bean listens and started.
	 */
	@EventListener
	public void onIngestStarting(IngestStarting run) {
		if (run.bytes() >= BURST_BYTES && enabled()) {
			synchronized (this) {
				this.bursts++;
				this.runningBursts++;
				this.working = true;
				apply(JVM_RATIOS);
			}
		}
	}

	/** A burst's ingest ended (committed, failed or interrupted). */
	@EventListener
	public void onIngestEnded(IngestEnded run) {
		if (run.bytes() >= BURST_BYTES && enabled()) {
			synchronized (this) {
				this.runningBursts = Math.max(0, this.runningBursts - 1);
			}
		}
	}

	/**
	 * A burst's facts are written (the end of a first index's work): on the trim's own
	 * thread, trims now if the committed heap grew by {@link #MIN_GROWTH_BYTES} since the
	 * last trim, and leaves the serving ratios either way; nothing while a burst's ingest
	 * runs (an analytic's sync during a first index) or once another began, nor before
	 * {@link #start} or after {@link #stop}.
	 */
	@EventListener
	public synchronized void onFactsWritten(FactsWritten facts) {
		if (facts.bytes() >= BURST_BYTES && this.ticker != null) {
			long burst = this.bursts;
			this.ticker.execute(() -> trimOrSettle(burst, "after a burst's facts"));
		}
	}

	private boolean enabled() {
		return this.properties.trims();
	}

	/** The free ratios the JVM started with (%): minimum, maximum (for tests). */
	static int[] jvmRatios() {
		return JVM_RATIOS.clone();
	}

	/** Whether a burst holds the JVM's own free ratios (for tests). */
	synchronized boolean working() {
		return this.working;
	}

	/**
	 * Waits for the tasks handed to the trim's thread before this call (for tests).
	 * @return true once they ran; false when the trim is not running
	 * @throws Exception when the wait fails or takes over 30 s
	 */
	boolean afterQueuedWork() throws Exception {
		ScheduledExecutorService thread;
		synchronized (this) {
			thread = this.ticker;
		}
		if (thread == null) {
			return false;
		}
		thread.submit(() -> {
		}).get(30, TimeUnit.SECONDS);
		return true;
	}

	private synchronized long bursts() {
		return this.bursts;
	}

	private synchronized long trimmedTo() {
		return this.trimmedTo;
	}

	/**
	 * Whether a trim decided when {@link #bursts} was {@code burst} may (still) run: no
	 * burst began since, none runs, and the trim was not stopped.
	 */
	private synchronized boolean mayTrim(long burst) {
		return this.bursts == burst && this.runningBursts == 0 && !this.stopped;
	}

	/**
	 * Ends the burst read as {@code burst} if no other began and none runs, then sets the
	 * ratios that hold now: the JVM's own while a burst holds them or after
	 * {@link #stop}, the serving ones otherwise.
	 */
	private synchronized void settle(long burst) {
		if (this.bursts == burst && this.runningBursts == 0) {
			this.working = false;
		}
		apply((this.working || this.stopped) ? JVM_RATIOS : SERVING_RATIOS);
	}

	/**
	 * One check, with its readings passed in: whether the process has been idle long
	 * enough and either its heap grew enough to trim or a burst is still to be ended
	 * ({@link #trimOrSettle}).
	 * @param now {@link System#nanoTime()} of the readings
	 * @param cpuNanos the process's CPU time so far (ns), or a negative value when the
	 * JVM does not report it (then the process never counts as idle)
	 * @param committedBytes the heap committed now (bytes)
	 */
	synchronized boolean due(long now, long cpuNanos, long committedBytes) {
		return idleLongEnough(now, cpuNanos, committedBytes)
				&& (this.working || committedBytes >= this.trimmedTo + MIN_GROWTH_BYTES);
	}

	/**
	 * Reads one check's readings (see {@link #due}): whether the process has now been
	 * idle for {@link MemoryProperties#trimAfterIdle()}.
	 */
	private boolean idleLongEnough(long now, long cpuNanos, long committedBytes) {
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
		return idle > 0 && now - this.busySince >= idle;
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
	 * stops shrinking, then leaves the ratios that hold ({@link #settle}). Runs nothing
	 * when a burst began since {@code burst} was read or one runs, and stops between
	 * collections when one begins.
	 * @param burst {@link #bursts} when the trim was decided
	 * @param why when it was decided, for the log ("after 10 s idle")
	 * @return the committed heap after the trim (bytes)
	 */
	long trim(long burst, String why) {
		long before = committed();
		long started = System.nanoTime();
		int collections = 0;
		long after = before;
		if (!mayTrim(burst)) {
			return before;
		}
		releaseRebuildable();
		synchronized (this) {
			if (!mayTrim(burst)) {
				return before;
			}
			apply(new int[] { TRIM_MIN_FREE, TRIM_MAX_FREE });
		}
		try {
			int unchanged = 0;
			while (collections < MAX_COLLECTIONS && mayTrim(burst)) {
				System.gc();
				collections++;
				long now = committed();
				// the serial collector damps a shrink (nothing at the first collection,
				// then growing steps) unless the JVM runs with -XX:-ShrinkHeapInSteps
				unchanged = (now < after) ? 0 : unchanged + 1;
				after = now;
				if (unchanged == 2) {
					break;
				}
			}
		}
		finally {
			settle(burst);
		}
		log.info("heap trimmed {}: committed {} → {} MB ({} full collections, {} ms)", why, before >> 20, after >> 20,
				collections, (System.nanoTime() - started) / 1_000_000);
		return after;
	}

	/**
	 * Publishes {@link HeapTrimming}, outside this trim's lock: what its listeners drop
	 * is given back by the collections that follow. A listener's failure is logged and
	 * the trim goes on.
	 */
	private void releaseRebuildable() {
		try {
			this.events.publishEvent(new HeapTrimming());
		}
		catch (RuntimeException ex) {
			log.warn("a cache was not released before the heap trim: {}", LogText.failure(ex));
		}
	}

	/**
	 * The end of a burst's work (its facts written, or idle time): trims if the committed
	 * heap grew by {@link #MIN_GROWTH_BYTES} since the last trim, and leaves the ratios
	 * that hold either way, {@link HeapTrimming} published first either way; nothing if a
	 * burst began since {@code burst} was read or one runs.
	 */
	private void trimOrSettle(long burst, String why) {
		if (!mayTrim(burst)) {
			return;
		}
		if (committed() >= trimmedTo() + MIN_GROWTH_BYTES) {
			trimAndRecord(burst, why);
		}
		else {
			// no collections, but the burst is over all the same
			releaseRebuildable();
			settle(burst);
		}
	}

	private void trimAndRecord(long burst, String why) {
		try {
			long after = trim(burst, why);
			trimmed(after, System.nanoTime(), cpuNanos());
		}
		catch (RuntimeException ex) {
			log.warn("heap trim failed: {}", LogText.failure(ex));
		}
	}

	/**
	 * Sets the two free ratios, in the order that keeps {@code MinHeapFreeRatio} at or
	 * under {@code MaxHeapFreeRatio} at every step (the JVM refuses a change that does
	 * not), one change at a time in the process.
	 * @param ratios minimum and maximum free (%), or null to leave the flags alone
	 */
	private static void apply(int[] ratios) {
		if (ratios == null || JVM_RATIOS == null) {
			return;
		}
		synchronized (FLAGS) {
			try {
				HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
				int max = Integer.parseInt(flags.getVMOption("MaxHeapFreeRatio").getValue());
				if (ratios[0] <= max) {
					flags.setVMOption("MinHeapFreeRatio", String.valueOf(ratios[0]));
					flags.setVMOption("MaxHeapFreeRatio", String.valueOf(ratios[1]));
				}
				else {
					flags.setVMOption("MaxHeapFreeRatio", String.valueOf(ratios[1]));
					flags.setVMOption("MinHeapFreeRatio", String.valueOf(ratios[0]));
				}
			}
			catch (IllegalArgumentException | SecurityException ex) {
				log.debug("heap free ratios not changed ({}): the JVM's own apply", ex.getMessage());
			}
		}
	}

	/** The JVM's free ratios now (%), or null when it does not tell them. */
	private static int[] readRatios() {
		try {
			HotSpotDiagnosticMXBean flags = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
			return new int[] { Integer.parseInt(flags.getVMOption("MinHeapFreeRatio").getValue()),
					Integer.parseInt(flags.getVMOption("MaxHeapFreeRatio").getValue()) };
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	private void check() {
		long burst = bursts();
		if (due(System.nanoTime(), cpuNanos(), committed())) {
			trimOrSettle(burst, "after " + this.properties.trimAfterIdle().toSeconds() + " s idle");
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
		if (!enabled()) {
			return;
		}
		this.ticker = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "cctracer-heap-trim");
			t.setDaemon(true);
			return t;
		});
		this.stopped = false;
		if (!this.working) {
			apply(SERVING_RATIOS);
		}
		long every = Math.max(100, this.properties.checkInterval().toMillis());
		this.ticker.scheduleWithFixedDelay(this::check, every, every, TimeUnit.MILLISECONDS);
	}

	@Override
	public synchronized void stop() {
		if (this.ticker != null) {
			this.ticker.shutdownNow();
			this.ticker = null;
		}
		// a trim still running gives them back too (settle)
		this.stopped = true;
		apply(JVM_RATIOS);
	}

	@Override
	public synchronized boolean isRunning() {
		return this.ticker != null;
	}

}
