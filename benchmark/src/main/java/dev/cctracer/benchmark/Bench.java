package dev.cctracer.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
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

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.web.WebApplication;
import dev.cctracer.worker.ingest.IngestService;

/**
 * The benchmark harness:
 * {@code java -Xmx512m -jar benchmark/target/cctracer-benchmark.jar [small|medium] [dir]}.
 * <p>
 * Generates the dataset once (deterministic), then measures in one JVM: cold index (empty
 * database → every total served), totals against the ground truth, restart with unchanged
 * files, 1 MB appended → visible (20 trials), and warm API latency with 16 concurrent
 * clients. Prints a Markdown report.
 */
public final class Bench {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final List<String> report = new ArrayList<>();

	private long heapPeak;

	public static void main(String[] args) throws Exception {
		String size = (args.length > 0) ? args[0] : "medium";
		Path dir = Path.of((args.length > 1) ? args[1] : "target/bench").resolve(size).toAbsolutePath();
		new Bench().run(size, dir);
		System.exit(0);
	}

	private void run(String size, Path dir) throws Exception {
		Path claude = dir.resolve("claude");
		DatasetGenerator.Spec spec = size.equals("small") ? DatasetGenerator.Spec.small()
				: DatasetGenerator.Spec.medium();
		GroundTruth truth;
		long started = System.nanoTime();
		if (Files.isDirectory(claude)) {
			deleteTree(claude);
		}
		truth = new DatasetGenerator(spec).generate(claude);
		line("dataset",
				String.format(Locale.ROOT, "%s: %d files, %,d lines, %.0f MB, %,d responses (generated in %.1f s)",
						size, truth.fileCount, truth.lines, truth.bytes / 1e6, truth.global.messages, secs(started)));
		Thread sampler = startHeapSampler();

		Path data = dir.resolve("data");
		deleteTree(data);
		long t0 = System.nanoTime();
		ConfigurableApplicationContext app = start(claude, data);
		double startup = secs(t0);
		String base = "http://127.0.0.1:" + ((WebServerApplicationContext) app).getWebServer().getPort();
		waitForIndex(base, truth.bytes);
		double cold = secs(t0);
		line("cold index (context start → every total served)",
				String.format(Locale.ROOT, "%.2f s total, of which app start %.2f s; %.0f MB/s", cold, startup,
						truth.bytes / 1e6 / (cold - startup)));
		JsonNode agg = get(base + "/api/metrics/aggregate");
		boolean exact = agg.get("message_count").asLong() == truth.global.messages
				&& agg.get("tokens").get("output_tokens").asLong() == truth.global.usage.output()
				&& agg.get("total_cost").asDouble() == truth.global.costPico / 1e12;
		line("totals equal ground truth", exact ? "yes" : "NO: " + agg);

		latency(base, "/api/projects", 16, 20_000);
		JsonNode projects = get(base + "/api/projects").get("projects");
		String project = projects.get(0).get("path_hash").asText();
		latency(base, "/api/projects/" + project + "/sessions", 16, 20_000);
		latency(base, "/api/metrics/daily?tz=UTC", 16, 10_000);
		latency(base, "/api/metrics/aggregate", 16, 20_000);
		appendLatency(base, claude, 20);

		app.close();
		long t1 = System.nanoTime();
		ConfigurableApplicationContext again = start(claude, data);
		String base2 = "http://127.0.0.1:" + ((WebServerApplicationContext) again).getWebServer().getPort();
		long scanBefore = get(base2 + "/api/index/status").path("last_scan").asText("").hashCode();
		while (get(base2 + "/api/index/status").path("last_scan").asText("").hashCode() == scanBefore) {
			Thread.sleep(20);
		}
		line("restart with unchanged files",
				String.format(Locale.ROOT, "ready in %.2f s, start-up scan done in %.2f s, files re-opened: %d",
						0.0 + secs(t1) - 0.0, secs(t1), again.getBean(IngestService.class).filesOpened()));
		again.close();
		sampler.interrupt();
		line("heap peak (used, all heap pools)",
				(this.heapPeak >> 20) + " MB, max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MB");
		System.out.println();
		System.out.println("| measure | result |");
		System.out.println("|---|---|");
		this.report.forEach(System.out::println);
	}

	private static ConfigurableApplicationContext start(Path claude, Path data) {
		return new SpringApplicationBuilder(WebApplication.class)
			.properties("cctracer.claude-dirs=" + claude, "cctracer.data-dir=" + data, "server.port=0",
					"cctracer.ingest.debounce=20ms", "spring.main.banner-mode=off", "logging.level.root=WARN",
					"cctracer.demo=off")
			.run();
	}

	private void waitForIndex(String base, long bytes) throws Exception {
		while (true) {
			JsonNode s = get(base + "/api/index/status");
			if (s.get("bytes_indexed").asLong() >= bytes - 1024 * 64 && s.get("files_pending").asLong() == 0
					&& s.get("data_version").asLong() > 0 && !s.get("last_scan").isNull()) {
				// every total is in the same tables the endpoints read: fetch one to be
				// sure
				get(base + "/api/projects");
				return;
			}
			Thread.sleep(50);
		}
	}

	private void latency(String base, String path, int clients, int requests) throws Exception {
		URI uri = URI.create(base + path);
		for (int i = 0; i < 500; i++) {
			send(uri);
		}
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
		line("GET " + path + " (" + clients + " clients, warm)",
				String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms, %.0f req/s, %d errors", pct(sorted, 50) / 1e6,
						pct(sorted, 99) / 1e6, sorted.size() / seconds, errors.get()));
	}

	private void appendLatency(String base, Path claude, int trials) throws Exception {
		Path session;
		try (Stream<Path> files = Files.walk(claude.resolve("projects"), 2)) {
			session = files.filter((p) -> p.getFileName().toString().matches("[0-9a-f-]{36}\\.jsonl"))
				.max(Comparator.comparing(Path::toString))
				.orElseThrow();
		}
		List<Long> nanos = new ArrayList<>();
		for (int trial = 0; trial < trials; trial++) {
			long before = get(base + "/api/metrics/aggregate").get("tokens").get("output_tokens").asLong();
			StringBuilder sb = new StringBuilder();
			long added = 0;
			int n = 0;
			String pad = "x".repeat(1000);
			while (sb.length() < 1_000_000) {
				long out = 7 + n;
				sb.append("{\"type\":\"assistant\",\"timestamp\":\"2026-01-08T12:00:00.000Z\",\"requestId\":\"req_b")
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
				n++;
			}
			long s = System.nanoTime();
			Files.writeString(session, sb, StandardOpenOption.APPEND);
			while (get(base + "/api/metrics/aggregate").get("tokens").get("output_tokens").asLong() != before + added) {
				Thread.sleep(2);
			}
			nanos.add(System.nanoTime() - s);
		}
		List<Long> sorted = nanos.stream().sorted().toList();
		line("1 MB appended → visible in /api/metrics/aggregate (" + trials + " trials)",
				String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms", pct(sorted, 50) / 1e6, pct(sorted, 99) / 1e6));
	}

	private int send(URI uri) throws IOException, InterruptedException {
		return this.http
			.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private JsonNode get(String url) throws IOException, InterruptedException {
		return JSON.readTree(
				this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
					.body());
	}

	private Thread startHeapSampler() {
		Thread t = new Thread(() -> {
			while (!Thread.currentThread().isInterrupted()) {
				long used = 0;
				for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
					if (pool.getType() == MemoryType.HEAP) {
						used += pool.getUsage().getUsed();
					}
				}
				this.heapPeak = Math.max(this.heapPeak, used);
				try {
					Thread.sleep(20);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}, "heap-sampler");
		t.setDaemon(true);
		t.start();
		return t;
	}

	private static long pct(List<Long> sorted, int p) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
	}

	private static double secs(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	private void line(String what, String result) {
		System.out.println(what + ": " + result);
		this.report.add("| " + what + " | " + result + " |");
	}

	private static void deleteTree(Path dir) throws IOException {
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
