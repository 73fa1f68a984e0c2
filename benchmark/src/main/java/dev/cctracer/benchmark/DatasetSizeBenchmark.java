package dev.cctracer.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * The benchmark of one dataset size ({@code small}, {@code medium}, {@code large})
 * against the targets: generates the dataset, times the peer ({@link Peer}, ccusage) on
 * it, then starts the app on an empty database and measures over HTTP the cold index
 * (process start → every total served; {@code -Dbench.runs} times, 3 by default, median
 * and spread), totals against the ground truth, warm API latency of every list endpoint
 * with 16 concurrent clients ({@link ListEndpoints}: the Java client and {@code ab}) and
 * of two with 100, every dashboard page, 1 MB appended → visible, restarts with unchanged
 * files, and the app's memory. Prints a Markdown report.
 */
final class DatasetSizeBenchmark {

	private final Path appJar;

	private final Report report = new Report();

	private final AppClient client = new AppClient();

	private final AppProcess app = new AppProcess(this.client);

	private final HttpLoad load = new HttpLoad(this.client, this.report);

	DatasetSizeBenchmark(Path appJar) {
		this.appJar = appJar;
	}

	/**
	 * Runs the benchmark of {@code size} in {@code dir} (the dataset in {@code claude/},
	 * the app's database in {@code data/}, ccusage in {@code ../ccusage}).
	 * @throws IllegalArgumentException when {@code size} is not small, medium or large
	 */
	void run(String size, Path dir) throws Exception {
		Path claude = dir.resolve("claude");
		// shaped like real transcripts unless -Dbench.shape=classic (the first
		// benchmarks' shape)
		boolean classic = "classic".equals(System.getProperty("bench.shape", "calibrated"));
		DatasetGenerator.Spec spec = switch (size) {
			case "small" -> classic ? DatasetGenerator.Spec.small() : DatasetGenerator.Spec.calibratedSmall();
			case "medium" -> classic ? DatasetGenerator.Spec.medium() : DatasetGenerator.Spec.calibratedMedium();
			// 250 projects × 20 sessions, 15,000 files, ~4.6 GB
			case "large" ->
				(classic ? DatasetGenerator.Spec.medium() : DatasetGenerator.Spec.calibratedMedium()).scaled(5);
			default -> throw new IllegalArgumentException(
					"unknown size " + size + ": small, medium, large, sessions or analytics");
		};
		long started = System.nanoTime();
		Bench.deleteTree(claude);
		GroundTruth truth = new DatasetGenerator(spec).generate(claude);
		this.report.line("dataset",
				String.format(Locale.ROOT,
						"%s, %s shape: %d files, %,d lines, %.0f MB, %,d responses (generated in %.1f s)", size,
						spec.shape().name().toLowerCase(Locale.ROOT), truth.fileCount, truth.lines, truth.bytes / 1e6,
						truth.global.messages, Report.secs(started)));
		Peer.Result peer = new Peer(dir.getParent().resolve("ccusage"), this.report::line).run(claude, truth);
		MemorySampler sampler = new MemorySampler(this.app);
		sampler.start();

		Path data = dir.resolve("data");
		int port = AppProcess.freePort();
		String base = "http://127.0.0.1:" + port;
		sampler.sampleHeapAt(base);
		double index = coldIndex(claude, data, port, dir, truth);
		JsonNode agg = this.client.get(base + "/api/metrics/aggregate");
		boolean exact = agg.get("message_count").asLong() == truth.global.messages
				&& agg.get("tokens").get("output_tokens").asLong() == truth.global.usage.output()
				&& agg.get("tokens").get("cache_read_input_tokens").asLong() == truth.global.usage.cacheRead()
				&& agg.get("total_cost").asDouble() == truth.global.costPico / 1e12;
		this.report.line("totals equal ground truth", exact ? "yes" : "NO: " + agg);
		long liveAfterIndex = this.app.liveHeapBytes();

		Map<String, HttpLoad.Latency> lists = new ListEndpoints(this.client, this.app, this.load, this.report)
			.measure(base, 16, 10_000, dir);
		double dailyP50 = lists.get("/api/metrics/daily?tz=UTC").p50Ms() * 1e6;
		String project = this.client.get(base + "/api/projects").get("projects").get(0).get("path_hash").asText();
		this.load.latency(base, "/api/metrics/aggregate", 16, 20_000);
		this.load.latency(base, "/api/projects", 100, 20_000);
		this.load.latency(base, "/api/metrics/daily?tz=UTC", 100, 20_000);
		pages(base, project);
		new AppendLatency(this.client, this.report).measure(base, claude, 20);
		new StatusLineLatency(this.client, this.report).measure(base, claude, 100);
		if (peer != null) {
			this.report.line("beside ccusage " + Peer.VERSION,
					String.format(Locale.ROOT,
							"our cold index (empty database → every total) takes %.2f× its `daily` report; "
									+ "a warm /api/metrics/daily answers %.0f× faster than its `daily` report "
									+ "(%.2f s vs p50 %.2f ms)",
							index / peer.dailySeconds(), peer.dailySeconds() * 1e9 / dailyP50, peer.dailySeconds(),
							dailyP50 / 1e6));
		}

		// as the load left it, before the full collection the live-heap probe forces
		this.report.line("memory of the app after the cold index and the load", AppMemory.describe(this.app));
		this.report.line("memory of the app " + AppMemory.IDLE_WAIT_MS / 1000 + " s later, idle (its heap trim)",
				AppMemory.describeOnceIdle(this.app));
		long liveAfterLoad = this.app.liveHeapBytes();
		restarts(claude, data, port, dir);
		this.app.stop();
		sampler.stop();
		this.report.line("JVM options of the app",
				"-Xmx512m " + System.getProperty("bench.jvm-args", AppProcess.DEFAULT_JVM_ARGS).strip());
		this.report.line("memory of the app process",
				"run with -Xmx512m (the heap bound); peak heap in use " + (sampler.heapPeakBytes() >> 20)
						+ " MB (sampled every 100 ms, garbage included); live heap after a full GC: "
						+ Report.mb(liveAfterIndex) + " after the cold index, " + Report.mb(liveAfterLoad)
						+ " after the load, pages and appends; peak RSS " + (sampler.rssPeakKb() >> 10) + " MB");
		this.report.print();
	}

	/**
	 * Cold index, {@code -Dbench.runs} times: each on an empty database, from process
	 * start and from {@code /health} to every total served, and the first ingest as the
	 * app logged it. Leaves the app of the last run running.
	 * @return the median seconds after the app is up
	 */
	private double coldIndex(Path claude, Path data, int port, Path dir, GroundTruth truth) throws Exception {
		String base = "http://127.0.0.1:" + port;
		int runs = Integer.getInteger("bench.runs", 3);
		List<Double> colds = new ArrayList<>();
		List<Double> indexes = new ArrayList<>();
		List<Double> ingests = new ArrayList<>();
		List<Double> facts = new ArrayList<>();
		List<Double> withFacts = new ArrayList<>();
		for (int r = 0; r < runs; r++) {
			if (r > 0) {
				this.app.stop();
			}
			Bench.deleteTree(data);
			long t0 = System.nanoTime();
			start(claude, data, port, dir.resolve("app.log"));
			double startup = this.app.waitForHealth(base);
			this.client.waitForIndex(base, truth.bytes);
			double cold = Report.secs(t0);
			colds.add(cold);
			indexes.add(cold - startup);
			ingests.add(loggedIngestSeconds(dir.resolve("app.log")));
			// the facts every analytic reads, written after the last commit (2 s later)
			facts.add(loggedFactsSeconds(dir.resolve("app.log"), truth.bytes));
			withFacts.add(Report.secs(t0) - startup);
			if (r == 0 && runs > 1) {
				// left alone after its first index, as a user's app mostly is (a run the
				// load does not follow)
				this.report.line(
						"memory of the app " + AppMemory.IDLE_WAIT_MS / 1000
								+ " s after its first index and facts, no request (its heap trim)",
						AppMemory.describeOnceIdle(this.app));
			}
		}
		colds.sort(null);
		indexes.sort(null);
		double index = indexes.get(runs / 2);
		this.report
			.line("cold index (empty database → every total served), " + runs + " runs", String.format(Locale.ROOT,
					"after the app is up: median %.2f s (%.2f–%.2f s, %.0f MB/s); from process start: median %.2f s "
							+ "(%.2f–%.2f s)",
					index, indexes.get(0), indexes.get(runs - 1), truth.bytes / 1e6 / index, colds.get(runs / 2),
					colds.get(0), colds.get(runs - 1)));
		this.report.line(
				"the first ingest as the app timed it (scan, parse, commit; it starts while the app is still starting)",
				Report.spread(ingests, "%.2f") + " s");
		this.report.line("the facts of the first index, written after its last commit, as the app timed them",
				Report.spread(facts, "%.2f") + " s ("
						+ String.format(Locale.ROOT, "%.1f", facts.get(runs / 2) / (truth.bytes / 1e9))
						+ " s per GB); index and facts done after the app is up: " + Report.spread(withFacts, "%.2f")
						+ " s");
		return index;
	}

	/**
	 * Restarts with unchanged files, {@link HttpLoad#repeats()} times: files re-opened,
	 * time to serving and to the start-up scan done. Leaves the last app running.
	 */
	private void restarts(Path claude, Path data, int port, Path dir) throws Exception {
		String base = "http://127.0.0.1:" + port;
		List<Double> readies = new ArrayList<>();
		List<Double> scans = new ArrayList<>();
		List<Double> reopened = new ArrayList<>();
		for (int round = 0; round < HttpLoad.repeats(); round++) {
			String lastScan = this.client.get(base + "/api/index/status").path("last_scan").asText("");
			this.app.stop();
			long t1 = System.nanoTime();
			start(claude, data, port, dir.resolve("app-restart.log"));
			readies.add(this.app.waitForHealth(base));
			while (this.client.get(base + "/api/index/status").path("last_scan").asText("").equals(lastScan)) {
				Thread.sleep(20);
			}
			scans.add(Report.secs(t1));
			reopened
				.add((double) this.client.get(base + "/api/index/status").get("files_opened_by_this_process").asLong());
		}
		this.report.line("restart with unchanged files (" + readies.size() + " restarts)",
				String.format(Locale.ROOT,
						"files re-opened: %s; serving %s s after process start, start-up scan done after %s s",
						Report.spread(reopened, "%.0f"), Report.spread(readies, "%.2f"), Report.spread(scans, "%.2f")));
	}

	private void start(Path claude, Path data, int port, Path log) throws IOException {
		this.app.launch(
				AppProcess.command(this.appJar, "--cctracer.claude-dirs=" + claude, "--cctracer.data-dir=" + data,
						"--server.port=" + port, "--cctracer.ingest.debounce=20ms", "--cctracer.demo=off",
						"--cctracer.web.admin-password=" + AppProcess.ADMIN_PASSWORD, "--spring.main.banner-mode=off"),
				log);
	}

	/**
	 * The first ingest's duration as the app logged it ("indexed … in N ms"), in seconds,
	 * or NaN when the line is not there within 10 s.
	 */
	private static double loggedIngestSeconds(Path log) throws Exception {
		Pattern line = Pattern.compile("indexed \\d+ of \\d+ files: .* in (\\d+) ms");
		for (int i = 0; i < 200; i++) {
			if (Files.exists(log)) {
				Matcher m = line.matcher(Files.readString(log));
				if (m.find()) {
					return Long.parseLong(m.group(1)) / 1e3;
				}
			}
			Thread.sleep(50);
		}
		return Double.NaN;
	}

	/**
	 * Waits for the facts of the whole set to be written after the first index (the app's
	 * "facts: … segments written (N MB parsed …), M ms" lines adding up to the set's
	 * size) and answers their total time in seconds, or NaN after 5 minutes.
	 */
	static double loggedFactsSeconds(Path log, long bytes) throws Exception {
		Pattern line = Pattern.compile("facts: \\d+ segments written \\(([\\d.]+) MB parsed, \\d+ entries\\), "
				+ "\\d+ stale removed, (\\d+) ms");
		for (int i = 0; i < 6000; i++) {
			double mb = 0;
			long ms = 0;
			Matcher m = line.matcher(Files.readString(log));
			while (m.find()) {
				mb += Double.parseDouble(m.group(1));
				ms += Long.parseLong(m.group(2));
			}
			// MB are logged to a tenth per sync
			if (mb > 0 && (mb + 0.1) * (1 << 20) >= bytes * 0.99) {
				return ms / 1e3;
			}
			Thread.sleep(50);
		}
		return Double.NaN;
	}

	/**
	 * Server-side render time of each dashboard page, warm: one client, time to the last
	 * byte of the HTML (no browser, no assets).
	 */
	private void pages(String base, String project) throws Exception {
		JsonNode sessions = this.client.get(base + "/api/projects/" + project + "/sessions?sort=messages&limit=1");
		String session = sessions.get("sessions").get(0).get("session_id").asText();
		String message = this.client.get(base + "/api/sessions/" + project + "/" + session + "/messages?limit=1")
			.get("messages")
			.get(0)
			.get("uuid")
			.asText();
		String sessionPage = "/projects/" + project + "/sessions/" + session;
		for (String page : List.of("/", "/projects", "/projects/" + project, sessionPage,
				sessionPage + "/messages/" + message, "/analytics", "/admin")) {
			this.load.pageLatency(base, page, 300);
		}
	}

}
