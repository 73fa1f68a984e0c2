package dev.cctracer.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The app's memory as it stands: its resident set ({@code /proc/<pid>/status}), the heap
 * committed and in use ({@code jcmd GC.heap_info}, summed over the collector's
 * generations: G1's one heap, the serial collector's young and tenured ones), metaspace
 * and, when the app runs with {@code -XX:NativeMemoryTracking=summary}, the JVM's
 * committed memory by area and what the resident set holds beyond it (DuckDB's native
 * memory, the C library's heap). Sizes in MB (2^20 bytes).
 */
final class AppMemory {

	private static final Pattern HEAP = Pattern.compile("(?:heap|generation)\\s+total (\\d+)K, used (\\d+)K");

	private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K, committed (\\d+)K");

	private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

	private static final Pattern NMT_AREA = Pattern
		.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

	private AppMemory() {
	}

	/**
	 * How long the harness leaves the app idle before {@link #describeOnceIdle}: after
	 * the last append the app writes its facts 2 s later (up to ~1 s of work), then its
	 * heap trim waits 10 s of idle ({@code cctracer.memory.trim-after-idle}), checks
	 * every 2 s and takes up to ~1 s. With 15 s the large set's trim once came after the
	 * reading.
	 */
	static final long IDLE_WAIT_MS = 25_000;

	/**
	 * {@link #describe} once the app has been left idle for {@link #IDLE_WAIT_MS}.
	 * @throws InterruptedException if interrupted while waiting
	 */
	static String describeOnceIdle(AppProcess app) throws InterruptedException {
		Thread.sleep(IDLE_WAIT_MS);
		return describe(app);
	}

	/** One line: RSS, heap, metaspace and the NMT areas of 4 MB or more. */
	static String describe(AppProcess app) {
		long rss = app.rssKb();
		List<String> parts = new ArrayList<>();
		parts.add("RSS " + ((rss >= 0) ? (rss >> 10) + " MB" : "not measured"));
		String heapInfo = app.jcmd("GC.heap_info");
		Matcher heap = HEAP.matcher(heapInfo);
		long committed = 0;
		long used = 0;
		boolean found = false;
		while (heap.find()) {
			committed += Long.parseLong(heap.group(1));
			used += Long.parseLong(heap.group(2));
			found = true;
		}
		if (found) {
			parts.add("heap committed " + mb(committed) + ", in use " + mb(used) + " (garbage included)");
		}
		Matcher metaspace = METASPACE.matcher(heapInfo);
		if (metaspace.find()) {
			parts.add("metaspace " + mb(Long.parseLong(metaspace.group(1))) + " used, "
					+ mb(Long.parseLong(metaspace.group(2))) + " committed");
		}
		String nmt = app.jcmd("VM.native_memory", "summary");
		Matcher total = NMT_TOTAL.matcher(nmt);
		if (total.find()) {
			long jvm = Long.parseLong(total.group(1));
			StringBuilder areas = new StringBuilder("NMT committed " + mb(jvm) + ":");
			Matcher area = NMT_AREA.matcher(nmt);
			while (area.find()) {
				if (Long.parseLong(area.group(2)) >= 4096) {
					areas.append(' ')
						.append(area.group(1).strip())
						.append(' ')
						.append(mb(Long.parseLong(area.group(2))))
						.append(',');
				}
			}
			parts.add(areas.substring(0, areas.length() - 1) + " (areas of 4 MB or more)");
			if (rss >= 0) {
				parts.add("resident beyond the JVM's committed memory (DuckDB, the C heap): about "
						+ mb(Math.max(0, rss - jvm)));
			}
		}
		else {
			parts.add("no NMT breakdown (start the app with -XX:NativeMemoryTracking=summary for one)");
		}
		return String.join("; ", parts);
	}

	/** KiB → "N MB". */
	private static String mb(long kib) {
		return (kib >> 10) + " MB";
	}

}
