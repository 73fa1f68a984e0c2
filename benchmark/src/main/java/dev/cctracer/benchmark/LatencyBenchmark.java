package dev.cctracer.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * Warm latency of the list endpoints alone (issue 18): generates a calibrated dataset
 * ({@code -Dbench.size=small}, the default, or {@code medium}), starts the app as
 * {@code run.sh} does, waits for the first index, measures every list endpoint at 16
 * clients with the Java client and with {@code ab} ({@link ListEndpoints}), then the
 * app's memory after the load: its resident set, the heap ({@code jcmd GC.heap_info})
 * and, when the app runs with {@code -XX:NativeMemoryTracking=summary} (through
 * {@code -Dbench.jvm-args}), the committed memory by area. No cold-index repeats, peer,
 * pages or restarts: minutes less than {@link DatasetSizeBenchmark} for the same figures.
 */
final class LatencyBenchmark {

	private static final Pattern HEAP = Pattern.compile("heap\\s+total (\\d+)K, used (\\d+)K");

	private static final Pattern METASPACE = Pattern.compile("Metaspace\\s+used (\\d+)K, committed (\\d+)K");

	private static final Pattern NMT_TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

	private static final Pattern NMT_AREA = Pattern
		.compile("(?m)^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)");

	private final Path appJar;

	private final Report report = new Report();

	private final AppClient client = new AppClient();

	private final AppProcess app = new AppProcess(this.client);

	private final HttpLoad load = new HttpLoad(this.client, this.report);

	LatencyBenchmark(Path appJar) {
		this.appJar = appJar;
	}

	/** Runs the benchmark in {@code dir} (the dataset in {@code claude/}). */
	void run(Path dir) throws Exception {
		String size = System.getProperty("bench.size", "small");
		DatasetGenerator.Spec spec = size.equals("medium") ? DatasetGenerator.Spec.calibratedMedium()
				: DatasetGenerator.Spec.calibratedSmall();
		Path claude = dir.resolve("claude");
		Path data = dir.resolve("data");
		Bench.deleteTree(claude);
		Bench.deleteTree(data);
		GroundTruth truth = new DatasetGenerator(spec).generate(claude);
		this.report.line("dataset", String.format(Locale.ROOT, "%s, calibrated shape: %d files, %,d lines, %.0f MB",
				size, truth.fileCount, truth.lines, truth.bytes / 1e6));
		int port = AppProcess.freePort();
		String base = "http://127.0.0.1:" + port;
		this.app.launch(
				AppProcess.command(this.appJar, "--cctracer.claude-dirs=" + claude, "--cctracer.data-dir=" + data,
						"--server.port=" + port, "--cctracer.ingest.debounce=20ms", "--cctracer.demo=off",
						"--cctracer.web.admin-password=" + AppProcess.ADMIN_PASSWORD, "--spring.main.banner-mode=off"),
				dir.resolve("app.log"));
		try {
			this.app.waitForHealth(base);
			this.client.waitForIndex(base, truth.bytes);
			this.report.line("JVM options of the app",
					"-Xmx512m " + System.getProperty("bench.jvm-args", AppProcess.DEFAULT_JVM_ARGS).strip());
			new ListEndpoints(this.client, this.app, this.load, this.report).measure(base, 16,
					Integer.getInteger("bench.requests", 10_000), dir);
			memory();
		}
		finally {
			this.app.stop();
		}
		this.report.print();
	}

	private void memory() {
		long rss = this.app.rssKb();
		List<String> parts = new ArrayList<>();
		parts.add("RSS " + ((rss >= 0) ? (rss >> 10) + " MB" : "not measured"));
		String heapInfo = this.app.jcmd("GC.heap_info");
		Matcher heap = HEAP.matcher(heapInfo);
		if (heap.find()) {
			parts.add("heap committed " + mb(heap.group(1)) + ", in use " + mb(heap.group(2)) + " (garbage included)");
		}
		Matcher metaspace = METASPACE.matcher(heapInfo);
		if (metaspace.find()) {
			parts.add("metaspace " + mb(metaspace.group(1)) + " used, " + mb(metaspace.group(2)) + " committed");
		}
		String nmt = this.app.jcmd("VM.native_memory", "summary");
		Matcher total = NMT_TOTAL.matcher(nmt);
		if (total.find()) {
			StringBuilder areas = new StringBuilder("NMT committed " + mb(total.group(1)) + ":");
			Matcher area = NMT_AREA.matcher(nmt);
			while (area.find()) {
				if (Long.parseLong(area.group(2)) >= 4096) {
					areas.append(' ').append(area.group(1).strip()).append(' ').append(mb(area.group(2))).append(',');
				}
			}
			parts.add(areas.substring(0, areas.length() - 1) + " (areas of 4 MB or more)");
		}
		else {
			parts.add("no NMT breakdown (start the app with -XX:NativeMemoryTracking=summary for one)");
		}
		this.report.line("memory of the app after the load", String.join("; ", parts));
	}

	/** KiB as text → "N MB". */
	private static String mb(String kib) {
		return (Long.parseLong(kib) >> 10) + " MB";
	}

}
