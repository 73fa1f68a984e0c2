package dev.cctracer.benchmark;

import java.nio.file.Path;
import java.util.Locale;

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
			this.report.line("memory of the app after the load", AppMemory.describe(this.app));
			this.report.line("memory of the app " + AppMemory.IDLE_WAIT_MS / 1000 + " s later, idle (its heap trim)",
					AppMemory.describeOnceIdle(this.app));
		}
		finally {
			this.app.stop();
		}
		this.report.print();
	}

}
