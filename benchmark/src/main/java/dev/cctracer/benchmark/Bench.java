package dev.cctracer.benchmark;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * The benchmark harness:
 * {@code java -jar benchmark/target/cctracer-benchmark.jar [small|medium|large] [dir] [app jar]}.
 * <p>
 * Generates the dataset (deterministic), times the peer ({@link Peer}, ccusage) on it,
 * then starts the app jar as its own process ({@code -Xmx512m}) on an empty database and
 * measures over HTTP: cold index (process start → every total served;
 * {@code -Dbench.runs} times, 3 by default, median and spread), totals against the ground
 * truth, warm API latency with 16 and 100 concurrent clients, 1 MB appended → visible (20
 * trials), and a restart with unchanged files. Prints a Markdown report.
 */
public final class Bench {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	/**
	 * The admin's client: logged in once through the login form (a session cookie), so
	 * requests do not pay the password hash that HTTP Basic costs on every request.
	 */
	private final HttpClient admin = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.cookieHandler(new java.net.CookieManager())
		.build();

	private final List<String> report = new ArrayList<>();

	private final Path appJar;

	private volatile Process app;

	private volatile long rssPeakKb;

	/**
	 * Highest heap in use seen by the sampler (Micrometer {@code jvm.memory.used}, area
	 * heap).
	 */
	private volatile long heapPeakBytes;

	/** {@link System#nanoTime} just before the app process was launched. */
	private volatile long launchedNanos;

	/**
	 * Peak of the heap still live after a collection (Micrometer's
	 * {@code jvm.gc.live.data.size}: the old generation after the last major or
	 * concurrent cycle): the live set, without the garbage that "heap in use" includes.
	 */

	/** The app's base URL while it runs, for the heap sampler. */
	private volatile String base;

	/** The admin password the benchmarked app is started with (admin API, actuator). */
	private static final String ADMIN_PASSWORD = "bench-admin";

	/**
	 * {@code java -Xmx512m [bench.jvm-args] -jar <jar> <args>}: the JVM options under
	 * test ({@code -Dbench.jvm-args=…}, default {@link #DEFAULT_JVM_ARGS}) go to every
	 * app and worker process.
	 */
	/**
	 * The app's JVM options besides the heap bound, as {@code run.sh} starts it: C1 only
	 * (see BENCHMARKS.md); {@code -Dbench.jvm-args=} (empty) measures the JVM's default
	 * tiered compilation.
	 */
	static final String DEFAULT_JVM_ARGS = "-XX:TieredStopAtLevel=1";

	static List<String> command(Path jar, String... args) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.add("-Xmx512m");
		String extra = System.getProperty("bench.jvm-args", DEFAULT_JVM_ARGS).strip();
		if (!extra.isEmpty()) {
			command.addAll(List.of(extra.split("\\s+")));
		}
		command.add("-jar");
		command.add(jar.toString());
		command.addAll(List.of(args));
		return command;
	}

	private Bench(Path appJar) {
		this.appJar = appJar;
	}

	public static void main(String[] args) throws Exception {
		String size = (args.length > 0) ? args[0] : "medium";
		Path dir = Path.of((args.length > 1) ? args[1] : "target/bench").resolve(size).toAbsolutePath();
		Path jar = Path.of((args.length > 2) ? args[2] : "web/target/cctracer-web-exec.jar").toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			System.err.println("app jar not found: " + jar + " (build it first: mvn -Pbench -DskipTests install)");
			System.exit(2);
		}
		if (size.equals("sessions")) {
			new Bench(jar).sessions(dir);
		}
		else if (size.equals("analytics")) {
			new Bench(jar).analytics(dir);
		}
		else if (size.equals("soak")) {
			new Soak(jar, dir).run();
		}
		else if (size.equals("cluster")) {
			Path worker = Path.of((args.length > 3) ? args[3] : "worker/target/cctracer-worker-exec.jar")
				.toAbsolutePath();
			new Bench(jar).cluster(dir, worker);
		}
		else {
			new Bench(jar).run(size, dir);
		}
		System.exit(0);
	}

	/**
	 * Sessions: a 10k-message session (pages of 50, first access and warm) and a ~1 GB
	 * session file (index build under the app's 512 MB heap).
	 */
	private void sessions(Path dir) throws Exception {
		Instant start = Instant.parse("2026-02-01T08:00:00Z");
		Path claude = dir.resolve("claude");
		deleteTree(claude);
		GroundTruth big = new DatasetGenerator(new DatasetGenerator.Spec(1, 1, 1700, 1500, 7, start))
			.generate(claude.resolve("a"));
		GroundTruth huge = new DatasetGenerator(new DatasetGenerator.Spec(1, 1, 4200, 120_000, 8, start))
			.generate(claude.resolve("b"));
		line("datasets",
				String.format(Locale.ROOT, "%.0f MB and %.0f MB of transcripts", big.bytes / 1e6, huge.bytes / 1e6));
		Thread sampler = startRssSampler();
		Path data = dir.resolve("data");
		deleteTree(data);
		int port = freePort();
		String base = "http://127.0.0.1:" + port;
		this.launchedNanos = System.nanoTime();
		this.app = new ProcessBuilder(
				command(this.appJar, "--cctracer.claude-dirs=" + claude.resolve("a") + "," + claude.resolve("b"),
						"--cctracer.data-dir=" + data, "--server.port=" + port, "--cctracer.demo=off",
						"--cctracer.web.admin-password=" + ADMIN_PASSWORD, "--spring.main.banner-mode=off"))
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("app.log").toFile())
			.start();
		waitForHealth(base);
		waitForIndex(base, big.bytes + huge.bytes);
		for (String root : List.of("a", "b")) {
			String p = null;
			JsonNode session = null;
			for (JsonNode proj : get(base + "/api/projects").get("projects")) {
				for (JsonNode sn : get(base + "/api/projects/" + proj.get("path_hash").asText() + "/sessions")
					.get("sessions")) {
					long messages = sn.get("message_count").asLong();
					if ((root.equals("a") && messages < 5000) || (root.equals("b") && messages >= 5000)) {
						session = sn;
						p = proj.get("path_hash").asText();
					}
				}
			}
			String url = base + "/api/sessions/" + p + "/" + session.get("session_id").asText() + "/messages?limit=50";
			long t = System.nanoTime();
			JsonNode first = get(url);
			double firstMs = (System.nanoTime() - t) / 1e6;
			// walk the whole session page by page, bench.repeats times
			List<Double> p50s = new ArrayList<>();
			List<Double> p99s = new ArrayList<>();
			int count = 0;
			for (int walk = 0; walk < repeats(); walk++) {
				JsonNode opening = (walk == 0) ? first : get(url);
				List<Long> pages = new ArrayList<>();
				count = opening.get("messages").size();
				String cursor = opening.get("has_more").asBoolean() ? opening.get("next_cursor").asText() : null;
				while (cursor != null) {
					long s0 = System.nanoTime();
					JsonNode page = get(url + "&cursor=" + cursor);
					pages.add(System.nanoTime() - s0);
					count += page.get("messages").size();
					cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
				}
				List<Long> sorted = pages.stream().sorted().toList();
				p50s.add(pct(sorted, 50) / 1e6);
				p99s.add(pct(sorted, 99) / 1e6);
			}
			line(root.equals("a") ? "page of 50 messages, 10k-message session"
					: "page of 50 messages, ~1 GB session file",
					String.format(Locale.ROOT,
							"%d messages; first access (index build) %.0f ms; every later page over %d walks: "
									+ "p50 %s ms, p99 %s ms",
							count, firstMs, p50s.size(), spread(p50s, "%.1f"), spread(p99s, "%.1f")));
		}
		stop();
		sampler.interrupt();
		line("memory of the app process", "run with -Xmx512m; peak RSS " + (this.rssPeakKb >> 10) + " MB");
		System.out.println();
		System.out.println("| measure | result |");
		System.out.println("|---|---|");
		this.report.forEach(System.out::println);
	}

	/**
	 * Analytics: Parquet conversion throughput and grouped queries from Parquet on the
	 * medium set.
	 */
	private void analytics(Path dir) throws Exception {
		Path claude = dir.resolve("claude");
		deleteTree(claude);
		GroundTruth truth = new DatasetGenerator(DatasetGenerator.Spec.medium()).generate(claude);
		line("dataset", String.format(Locale.ROOT, "medium: %d files, %.0f MB", truth.fileCount, truth.bytes / 1e6));
		Path data = dir.resolve("data");
		deleteTree(data);
		int port = freePort();
		String base = "http://127.0.0.1:" + port;
		this.launchedNanos = System.nanoTime();
		this.app = new ProcessBuilder(command(this.appJar, "--cctracer.claude-dirs=" + claude,
				"--cctracer.data-dir=" + data, "--server.port=" + port, "--cctracer.demo=off",
				"--cctracer.web.admin-password=" + ADMIN_PASSWORD, "--cctracer.archive.quiet=0s",
				"--cctracer.archive.interval=1h", "--spring.main.banner-mode=off"))
			.redirectErrorStream(true)
			.redirectOutput(dir.resolve("app.log").toFile())
			.start();
		waitForHealth(base);
		waitForIndex(base, truth.bytes);
		for (String tz : List.of("UTC", "Europe/Paris", "Asia/Tokyo")) {
			JsonNode r = job(base, "/api/queries", "{\"group_by\":[\"day\",\"model\"],\"tz\":\"" + tz + "\"}");
			line("query day × model from JSONL (" + tz + ")",
					r.get("millis").asLong() + " ms in DuckDB, " + r.get("rows").size() + " rows");
		}
		JsonNode archive = job(base, "/api/admin/archive", "");
		double seconds = archive.get("millis").asLong() / 1000.0;
		line("Parquet conversion",
				String.format(Locale.ROOT, "%d files, %.0f MB JSONL → %.0f MB Parquet in %.1f s (%.0f MB/s)",
						archive.get("converted").asLong(), archive.get("bytes_in").asLong() / 1e6,
						archive.get("bytes_out").asLong() / 1e6, seconds,
						archive.get("bytes_in").asLong() / 1e6 / seconds));
		for (String tz : List.of("UTC", "Europe/Paris", "Asia/Tokyo")) {
			JsonNode r = job(base, "/api/queries",
					"{\"group_by\":[\"day\",\"model\"],\"tz\":\"" + tz + "\", \"from\":\"2026-01-01\"}");
			line("query day × model from Parquet (" + tz + ")", r.get("millis").asLong() + " ms in DuckDB ("
					+ r.get("parquet_files").asLong() + " Parquet files), " + r.get("rows").size() + " rows");
		}
		JsonNode tools = job(base, "/api/queries", "{\"group_by\":[\"tool\"]}");
		line("query by tool from Parquet", tools.get("millis").asLong() + " ms in DuckDB");
		stop();
		System.out.println();
		System.out.println("| measure | result |");
		System.out.println("|---|---|");
		this.report.forEach(System.out::println);
	}

	/** POSTs, follows the job to its result (or takes a 200 answer). */
	private JsonNode job(String base, String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
			.header("X-Requested-By", "bench")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		login(base);
		HttpResponse<String> response = this.admin.send(request, HttpResponse.BodyHandlers.ofString());
		JsonNode answer = JSON.readTree(response.body());
		if (response.statusCode() == 200) {
			return answer;
		}
		String status = base + answer.get("status_url").asText();
		while (true) {
			JsonNode s = get(status);
			String state = s.get("state").asText();
			if (state.equals("succeeded")) {
				return get(base + s.get("result_url").asText());
			}
			if (state.equals("failed")) {
				throw new IllegalStateException("job failed: " + s);
			}
			Thread.sleep(100);
		}
	}

	private void run(String size, Path dir) throws Exception {
		Path claude = dir.resolve("claude");
		DatasetGenerator.Spec spec = switch (size) {
			case "small" -> DatasetGenerator.Spec.small();
			case "medium" -> DatasetGenerator.Spec.medium();
			// 250 projects × 20 sessions, 15,000 files, ~4.6 GB
			case "large" -> DatasetGenerator.Spec.medium().scaled(5);
			default -> throw new IllegalArgumentException(
					"unknown size " + size + ": small, medium, large, sessions or analytics");
		};
		long started = System.nanoTime();
		deleteTree(claude);
		GroundTruth truth = new DatasetGenerator(spec).generate(claude);
		line("dataset",
				String.format(Locale.ROOT, "%s: %d files, %,d lines, %.0f MB, %,d responses (generated in %.1f s)",
						size, truth.fileCount, truth.lines, truth.bytes / 1e6, truth.global.messages, secs(started)));
		Peer.Result peer = new Peer(dir.getParent().resolve("ccusage"), this::line).run(claude, truth);
		Thread sampler = startRssSampler();

		Path data = dir.resolve("data");
		int port = freePort();
		String base = "http://127.0.0.1:" + port;
		this.base = base;
		int runs = Integer.getInteger("bench.runs", 3);
		List<Double> colds = new ArrayList<>();
		List<Double> indexes = new ArrayList<>();
		List<Double> ingests = new ArrayList<>();
		for (int r = 0; r < runs; r++) {
			if (r > 0) {
				stop();
			}
			deleteTree(data);
			long t0 = System.nanoTime();
			start(claude, data, port, dir.resolve("app.log"));
			double startup = waitForHealth(base);
			waitForIndex(base, truth.bytes);
			double cold = secs(t0);
			colds.add(cold);
			indexes.add(cold - startup);
			ingests.add(loggedIngestSeconds(dir.resolve("app.log")));
		}
		colds.sort(null);
		indexes.sort(null);
		double index = indexes.get(runs / 2);
		line("cold index (empty database → every total served), " + runs + " runs", String.format(Locale.ROOT,
				"after the app is up: median %.2f s (%.2f–%.2f s, %.0f MB/s); from process start: median %.2f s "
						+ "(%.2f–%.2f s)",
				index, indexes.get(0), indexes.get(runs - 1), truth.bytes / 1e6 / index, colds.get(runs / 2),
				colds.get(0), colds.get(runs - 1)));
		line("the first ingest as the app timed it (scan, parse, commit; it starts while the app is still starting)",
				spread(ingests, "%.2f") + " s");
		JsonNode agg = get(base + "/api/metrics/aggregate");
		boolean exact = agg.get("message_count").asLong() == truth.global.messages
				&& agg.get("tokens").get("output_tokens").asLong() == truth.global.usage.output()
				&& agg.get("tokens").get("cache_read_input_tokens").asLong() == truth.global.usage.cacheRead()
				&& agg.get("total_cost").asDouble() == truth.global.costPico / 1e12;
		line("totals equal ground truth", exact ? "yes" : "NO: " + agg);
		long liveAfterIndex = liveHeapBytes();

		latency(base, "/api/projects", 16, 20_000);
		String project = get(base + "/api/projects").get("projects").get(0).get("path_hash").asText();
		latency(base, "/api/projects/" + project + "/sessions", 16, 20_000);
		long dailyP50 = latency(base, "/api/metrics/daily?tz=UTC", 16, 10_000);
		latency(base, "/api/metrics/aggregate", 16, 20_000);
		latency(base, "/api/projects", 100, 20_000);
		latency(base, "/api/metrics/daily?tz=UTC", 100, 20_000);
		pages(base, project);
		appendLatency(base, claude, 20);
		if (peer != null) {
			line("beside ccusage " + Peer.VERSION,
					String.format(Locale.ROOT,
							"our cold index (empty database → every total) takes %.2f× its `daily` report; "
									+ "a warm /api/metrics/daily answers %.0f× faster than its `daily` report "
									+ "(%.2f s vs p50 %.2f ms)",
							index / peer.dailySeconds(), peer.dailySeconds() * 1e9 / dailyP50, peer.dailySeconds(),
							dailyP50 / 1e6));
		}

		long liveAfterLoad = liveHeapBytes();
		List<Double> readies = new ArrayList<>();
		List<Double> scans = new ArrayList<>();
		List<Double> reopened = new ArrayList<>();
		for (int round = 0; round < repeats(); round++) {
			String lastScan = get(base + "/api/index/status").path("last_scan").asText("");
			stop();
			long t1 = System.nanoTime();
			start(claude, data, port, dir.resolve("app-restart.log"));
			readies.add(waitForHealth(base));
			while (get(base + "/api/index/status").path("last_scan").asText("").equals(lastScan)) {
				Thread.sleep(20);
			}
			scans.add(secs(t1));
			reopened.add((double) get(base + "/api/index/status").get("files_opened_by_this_process").asLong());
		}
		line("restart with unchanged files (" + readies.size() + " restarts)",
				String.format(Locale.ROOT,
						"files re-opened: %s; serving %s s after process start, start-up scan done after %s s",
						spread(reopened, "%.0f"), spread(readies, "%.2f"), spread(scans, "%.2f")));
		stop();
		sampler.interrupt();
		line("JVM options of the app", "-Xmx512m " + System.getProperty("bench.jvm-args", DEFAULT_JVM_ARGS).strip());
		line("memory of the app process",
				"run with -Xmx512m (the heap bound); peak heap in use " + (this.heapPeakBytes >> 20)
						+ " MB (sampled every 100 ms, garbage included); live heap after a full GC: "
						+ mb(liveAfterIndex) + " after the cold index, " + mb(liveAfterLoad)
						+ " after the load, pages and appends; peak RSS " + (this.rssPeakKb >> 10) + " MB");
		System.out.println();
		System.out.println("| measure | result |");
		System.out.println("|---|---|");
		this.report.forEach(System.out::println);
	}

	private void start(Path claude, Path data, int port, Path log) throws IOException {
		this.launchedNanos = System.nanoTime();
		this.app = new ProcessBuilder(
				command(this.appJar, "--cctracer.claude-dirs=" + claude, "--cctracer.data-dir=" + data,
						"--server.port=" + port, "--cctracer.ingest.debounce=20ms", "--cctracer.demo=off",
						"--cctracer.web.admin-password=" + ADMIN_PASSWORD, "--spring.main.banner-mode=off"))
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
	}

	private void stop() throws InterruptedException {
		this.app.destroy();
		this.app.waitFor();
	}

	/** Seconds from process start until {@code /health} answers. */
	private double waitForHealth(String base) throws InterruptedException {
		while (true) {
			try {
				HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/health")).build();
				if (this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
					// from the launch, on the same clock as the caller's timings (the
					// OS's
					// process start instant was up to a second off)
					return secs(this.launchedNanos);
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			if (!this.app.isAlive()) {
				throw new IllegalStateException("the app exited; see its log");
			}
			Thread.sleep(20);
		}
	}

	/**
	 * The first ingest's duration as the app logged it ("indexed … in N ms"), in seconds,
	 * or NaN when the line is not there within 10 s.
	 */
	private static double loggedIngestSeconds(Path log) throws Exception {
		java.util.regex.Pattern line = java.util.regex.Pattern.compile("indexed \\d+ of \\d+ files: .* in (\\d+) ms");
		for (int i = 0; i < 200; i++) {
			if (Files.exists(log)) {
				java.util.regex.Matcher m = line.matcher(Files.readString(log));
				if (m.find()) {
					return Long.parseLong(m.group(1)) / 1e3;
				}
			}
			Thread.sleep(50);
		}
		return Double.NaN;
	}

	private void waitForIndex(String base, long bytes) throws Exception {
		while (true) {
			JsonNode s = get(base + "/api/index/status");
			if (s.get("bytes_indexed").asLong() >= bytes - 64 * 1024 && s.get("files_pending").asLong() == 0
					&& s.get("data_version").asLong() > 0 && !s.get("last_scan").isNull()) {
				get(base + "/api/projects");
				return;
			}
			Thread.sleep(50);
		}
	}

	/**
	 * Warm latency of one endpoint: 500 warm-up requests, then {@code bench.repeats}
	 * rounds (3 by default) of {@code requests} requests from {@code clients} threads;
	 * p50, p99 and throughput are reported as the median of the rounds and their range.
	 * @return the median p50 in nanoseconds
	 */
	private long latency(String base, String path, int clients, int requests) throws Exception {
		URI uri = URI.create(base + path);
		for (int i = 0; i < 500; i++) {
			send(uri);
		}
		int rounds = repeats();
		List<Double> p50s = new ArrayList<>();
		List<Double> p99s = new ArrayList<>();
		List<Double> rates = new ArrayList<>();
		long errorCount = 0;
		for (int round = 0; round < rounds; round++) {
			ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
			AtomicInteger left = new AtomicInteger(requests);
			AtomicLong errors = new AtomicLong();
			CountDownLatch done = new CountDownLatch(clients);
			long started = System.nanoTime();
			for (int c = 0; c < clients; c++) {
				Thread t = new Thread(() -> {
					try {
						while (left.decrementAndGet() >= 0) {
							long s = System.nanoTime();
							if (send(uri) != 200) {
								errors.incrementAndGet();
							}
							nanos.add(System.nanoTime() - s);
						}
					}
					catch (Exception ex) {
						errors.incrementAndGet();
					}
					finally {
						done.countDown();
					}
				});
				t.start();
			}
			done.await();
			double seconds = secs(started);
			List<Long> sorted = nanos.stream().sorted().toList();
			p50s.add(pct(sorted, 50) / 1e6);
			p99s.add(pct(sorted, 99) / 1e6);
			rates.add(sorted.size() / seconds);
			errorCount += errors.get();
		}
		line("GET " + path + " (" + clients + " clients, warm, " + rounds + " rounds of " + requests + ")",
				String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, %s req/s, %d errors", spread(p50s, "%.2f"),
						spread(p99s, "%.2f"), spread(rates, "%.0f"), errorCount));
		return Math.round(median(p50s) * 1e6);
	}

	/** Rounds of each latency measurement ({@code -Dbench.repeats}, 3 by default). */
	private static int repeats() {
		return Math.max(1, Integer.getInteger("bench.repeats", 3));
	}

	private static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	/** "median (min–max)" of repeated figures, or the one figure. */
	static String spread(List<Double> values, String format) {
		List<Double> sorted = values.stream().sorted().toList();
		String median = String.format(Locale.ROOT, format, sorted.get(sorted.size() / 2));
		if (sorted.size() == 1) {
			return median;
		}
		return median + " (" + String.format(Locale.ROOT, format, sorted.get(0)) + "–"
				+ String.format(Locale.ROOT, format, sorted.get(sorted.size() - 1)) + ")";
	}

	/**
	 * Server-side render time of each dashboard page, warm: one client, time to the last
	 * byte of the HTML (no browser, no assets).
	 */
	private void pages(String base, String project) throws Exception {
		JsonNode sessions = get(base + "/api/projects/" + project + "/sessions?sort=messages&limit=1");
		String session = sessions.get("sessions").get(0).get("session_id").asText();
		String message = get(base + "/api/sessions/" + project + "/" + session + "/messages?limit=1").get("messages")
			.get(0)
			.get("uuid")
			.asText();
		String sessionPage = "/projects/" + project + "/sessions/" + session;
		for (String page : List.of("/", "/projects", "/projects/" + project, sessionPage,
				sessionPage + "/messages/" + message, "/analytics", "/admin")) {
			pageLatency(base, page, 300);
		}
	}

	/** Logs the admin client in through the login form (CSRF token and all). */
	private void login(String base) throws IOException, InterruptedException {
		HttpResponse<String> form = this.admin.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		java.util.regex.Matcher token = java.util.regex.Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"")
			.matcher(form.body());
		if (!token.find()) {
			throw new IllegalStateException("no CSRF token on the login page");
		}
		String body = "username=admin&password=" + ADMIN_PASSWORD + "&_csrf=" + token.group(1);
		HttpResponse<Void> done = this.admin.send(HttpRequest.newBuilder(URI.create(base + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.discarding());
		String location = done.headers().firstValue("Location").orElse("");
		if (done.statusCode() != 302 || location.contains("error")) {
			throw new IllegalStateException("admin login failed: " + done.statusCode() + " " + location);
		}
	}

	/**
	 * The team topology on PostgreSQL: the medium set indexed by one and then by two
	 * worker processes (start-up ingest as JobRunr jobs), the web with its job server
	 * off; then API latency on PostgreSQL.
	 */
	private void cluster(Path dir, Path workerJar) throws Exception {
		Path claude = dir.resolve("claude");
		deleteTree(dir);
		GroundTruth truth = new DatasetGenerator(DatasetGenerator.Spec.medium()).generate(claude);
		line("dataset", String.format(Locale.ROOT, "medium: %d files, %.0f MB, %,d responses", truth.fileCount,
				truth.bytes / 1e6, truth.global.messages));
		try (io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg = io.zonky.test.db.postgres.embedded.EmbeddedPostgres
			.builder()
			.setOverrideWorkingDirectory(dir.resolve("pg").toFile())
			.start()) {
			org.springframework.jdbc.core.JdbcTemplate db = new org.springframework.jdbc.core.JdbcTemplate(
					pg.getPostgresDatabase());
			List<String> database = List.of(
					"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres",
					"--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
			for (int workers = 1; workers <= 2; workers++) {
				db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
				int port = freePort();
				String base = "http://127.0.0.1:" + port;
				List<Process> started = new ArrayList<>();
				List<String> web = new ArrayList<>(
						command(this.appJar, "--spring.profiles.active=web-only", "--server.port=" + port,
								"--cctracer.data-dir=" + dir.resolve("web-data"), "--cctracer.claude-dirs=" + claude,
								"--cctracer.web.admin-password=" + ADMIN_PASSWORD, "--spring.main.banner-mode=off"));
				web.addAll(database);
				this.launchedNanos = System.nanoTime();
				this.app = new ProcessBuilder(web).redirectErrorStream(true)
					.redirectOutput(dir.resolve("web-" + workers + ".log").toFile())
					.start();
				started.add(this.app);
				waitForHealth(base);
				long t0 = System.nanoTime();
				for (int w = 1; w <= workers; w++) {
					List<String> worker = new ArrayList<>(command(workerJar, "--cctracer.claude-dirs=" + claude,
							"--cctracer.data-dir=" + dir.resolve("worker-" + w), "--cctracer.origin=bench",
							"--cctracer.ingest.startup=jobs", "--cctracer.archive.enabled=false",
							"--spring.main.banner-mode=off"));
					worker.addAll(database);
					started.add(new ProcessBuilder(worker).redirectErrorStream(true)
						.redirectOutput(dir.resolve("worker-" + workers + "-" + w + ".log").toFile())
						.start());
				}
				waitForIndex(base, truth.bytes);
				double cold = secs(t0);
				JsonNode agg = get(base + "/api/metrics/aggregate");
				boolean exact = agg.get("message_count").asLong() == truth.global.messages
						&& agg.get("total_cost").asDouble() == truth.global.costPico / 1e12;
				line("cold index on PostgreSQL, " + workers + " worker" + ((workers > 1) ? "s" : ""),
						String.format(Locale.ROOT,
								"%.2f s from starting the workers to every total served (%.0f MB/s, worker JVM start "
										+ "included); totals %s",
								cold, truth.bytes / 1e6 / cold, exact ? "exact" : "WRONG: " + agg));
				if (workers == 2) {
					latency(base, "/api/projects", 16, 20_000);
					String project = get(base + "/api/projects").get("projects").get(0).get("path_hash").asText();
					latency(base, "/api/projects/" + project + "/sessions", 16, 20_000);
					latency(base, "/api/metrics/daily?tz=UTC", 16, 10_000);
					latency(base, "/api/metrics/aggregate", 16, 20_000);
				}
				for (Process p : started) {
					p.destroy();
					p.waitFor();
				}
			}
		}
		System.out.println();
		System.out.println("| measure | result |");
		System.out.println("|---|---|");
		this.report.forEach(System.out::println);
	}

	private void pageLatency(String base, String path, int requests) throws Exception {
		login(base);
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
			.header("Accept", "text/html")
			.timeout(Duration.ofSeconds(30))
			.build();
		long bytes = 0;
		List<Double> p50s = new ArrayList<>();
		List<Double> p99s = new ArrayList<>();
		for (int round = 0; round < repeats(); round++) {
			List<Long> nanos = new ArrayList<>();
			for (int i = 0; i < requests + ((round == 0) ? 50 : 0); i++) {
				long s = System.nanoTime();
				HttpResponse<byte[]> response = this.admin.send(request, HttpResponse.BodyHandlers.ofByteArray());
				long took = System.nanoTime() - s;
				if (response.statusCode() != 200) {
					throw new IllegalStateException(path + " answered " + response.statusCode());
				}
				if (round > 0 || i >= 50) {
					nanos.add(took);
					bytes = response.body().length;
				}
			}
			nanos.sort(null);
			p50s.add(pct(nanos, 50) / 1e6);
			p99s.add(pct(nanos, 99) / 1e6);
		}
		line("page " + path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}") + " (1 client, warm, " + p50s.size()
				+ " rounds of " + requests + ")",
				String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, %.0f KB of HTML", spread(p50s, "%.1f"),
						spread(p99s, "%.1f"), bytes / 1024.0));
	}

	private void appendLatency(String base, Path claude, int trials) throws Exception {
		double[] runsBefore = ingestRuns(base);
		Path session;
		try (Stream<Path> files = Files.walk(claude.resolve("projects"), 2)) {
			session = files.filter((p) -> p.getFileName().toString().matches("[0-9a-f-]{36}\\.jsonl"))
				.max(Comparator.comparing(Path::toString))
				.orElseThrow();
		}
		String pad = "x".repeat(1000);
		List<Double> p50s = new ArrayList<>();
		List<Double> p99s = new ArrayList<>();
		int rounds = repeats();
		for (int round = 0; round < rounds; round++) {
			List<Long> nanos = new ArrayList<>();
			for (int trial = round * trials; trial < (round + 1) * trials; trial++) {
				long before = get(base + "/api/metrics/aggregate").get("tokens").get("output_tokens").asLong();
				StringBuilder sb = new StringBuilder();
				long added = 0;
				for (int n = 0; sb.length() < 1_000_000; n++) {
					long out = 7 + n;
					sb.append(
							"{\"type\":\"assistant\",\"timestamp\":\"2026-01-08T12:00:00.000Z\",\"requestId\":\"req_b")
						.append(trial)
						.append('_')
						.append(n)
						.append("\",\"message\":{\"id\":\"msg_b")
						.append(trial)
						.append('_')
						.append(n)
						.append("\",\"model\":\"claude-opus-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"")
						.append(pad)
						.append("\"}],\"usage\":{\"input_tokens\":1,\"output_tokens\":")
						.append(out)
						.append("}}}\n");
					added += out;
				}
				long s = System.nanoTime();
				Files.writeString(session, sb, StandardOpenOption.APPEND);
				while (get(base + "/api/metrics/aggregate").get("tokens").get("output_tokens").asLong() != before
						+ added) {
					Thread.sleep(2);
				}
				nanos.add(System.nanoTime() - s);
			}
			List<Long> sorted = nanos.stream().sorted().toList();
			p50s.add(pct(sorted, 50) / 1e6);
			p99s.add(pct(sorted, 99) / 1e6);
		}
		line("1 MB appended → visible in /api/metrics/aggregate (" + rounds + " rounds of " + trials + " trials)",
				String.format(Locale.ROOT, "p50 %s ms, p99 %s ms", spread(p50s, "%.0f"), spread(p99s, "%.0f")));
		double[] runsAfter = ingestRuns(base);
		double runs = runsAfter[0] - runsBefore[0];
		line("ingest work of those appends (parse + commit, the app's cctracer.ingest.run timer)",
				(runs > 0)
						? String.format(Locale.ROOT, "mean %.1f ms over %.0f ingests (the watcher may split an append)",
								(runsAfter[1] - runsBefore[1]) * 1e3 / runs, runs)
						: "not measured");
	}

	/**
	 * The count and total seconds of the app's ingest runs, from the actuator (admin
	 * login); zeros when it cannot tell.
	 */
	private double[] ingestRuns(String base) throws InterruptedException {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/actuator/metrics/cctracer.ingest.run"))
				.timeout(Duration.ofSeconds(5))
				.build();
			HttpResponse<String> response = this.admin.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 401) {
				login(base);
				response = this.admin.send(request, HttpResponse.BodyHandlers.ofString());
			}
			double count = 0;
			double total = 0;
			for (JsonNode m : JSON.readTree(response.body()).path("measurements")) {
				switch (m.path("statistic").asText()) {
					case "COUNT" -> count = m.path("value").asDouble();
					case "TOTAL_TIME" -> total = m.path("value").asDouble();
					default -> {
					}
				}
			}
			return new double[] { count, total };
		}
		catch (IOException ex) {
			return new double[] { 0, 0 };
		}
	}

	private int send(URI uri) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private JsonNode get(String url) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
		return JSON.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
	}

	/**
	 * The app's live heap: what is left after a full collection, which {@code jcmd
	 * GC.class_histogram} forces (between measurements only: it stops the app for a
	 * moment). Micrometer's {@code jvm.gc.live.data.size} was tried first; under G1 it
	 * reports the old generation after any collection, garbage included (376 MB on the
	 * large set where a full collection leaves ~60 MB).
	 * @return bytes, or -1 when jcmd cannot tell
	 */
	private long liveHeapBytes() {
		try {
			Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
			Process p = new ProcessBuilder(jcmd.toString(), String.valueOf(this.app.pid()), "GC.class_histogram")
				.redirectErrorStream(true)
				.start();
			String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			p.waitFor();
			java.util.regex.Matcher total = java.util.regex.Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)")
				.matcher(out);
			return total.find() ? Long.parseLong(total.group(1)) : -1;
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	private static String mb(long bytes) {
		return (bytes >= 0) ? (bytes >> 20) + " MB" : "not measured";
	}

	private void sampleHeap() {
		String url = this.base;
		if (url == null) {
			return;
		}
		try {
			HttpRequest request = HttpRequest
				.newBuilder(URI.create(url + "/actuator/metrics/jvm.memory.used?tag=area:heap"))
				.timeout(Duration.ofSeconds(2))
				.build();
			HttpResponse<String> response = this.admin.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 401) {
				// a new app process: log in again
				login(url);
			}
			if (response.statusCode() == 200) {
				long used = JSON.readTree(response.body()).path("measurements").path(0).path("value").asLong();
				this.heapPeakBytes = Math.max(this.heapPeakBytes, used);
			}
		}
		catch (IOException | RuntimeException ex) {
			// not listening (yet, or any more)
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private Thread startRssSampler() {
		Thread t = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				Process p = this.app;
				if (p != null && p.isAlive()) {
					try {
						for (String l : Files.readAllLines(Path.of("/proc/" + p.pid() + "/status"))) {
							if (l.startsWith("VmHWM:")) {
								this.rssPeakKb = Math.max(this.rssPeakKb, Long.parseLong(l.replaceAll("[^0-9]", "")));
							}
						}
					}
					catch (IOException | RuntimeException ex) {
						// the process ended between the check and the read
					}
					sampleHeap();
				}
				try {
					Thread.sleep(100);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "rss-sampler");
		t.setDaemon(true);
		t.start();
		return t;
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	static long pct(List<Long> sorted, int p) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
	}

	private static double secs(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private void line(String what, String result) {
		System.out.println(what + ": " + result);
		this.report.add("| " + what + " | " + result + " |");
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

}
