package dev.cctracer.benchmark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * The soak run ({@code java -jar cctracer-benchmark.jar soak}): the app as {@code run.sh}
 * starts it, 100 clients for {@code -Dsoak.minutes} (10) minutes — 95 cycling through the
 * JSON list endpoints and pages at a user's pace (a request, then a second's pause), 5
 * reading a session's NDJSON stream back to back — while transcripts grow (a response
 * appended every 200 ms, so every cache is renewed several times a second; a new session
 * every 30 s). Reports requests, errors (any answer other than 200, or none), latency
 * percentiles and resident memory each minute, and at the end checks the totals against
 * what was generated and appended: every response counted exactly once.
 */
final class Soak {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final int JSON_CLIENTS = 95;

	private static final int STREAM_CLIENTS = 5;

	private static final long THINK_MILLIS = 1000;

	private static final long APPEND_MILLIS = 200;

	private final Path jar;

	private final Path dir;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong errors = new AtomicLong();

	private final List<Long> latencies = Collections.synchronizedList(new ArrayList<>());

	private final ConcurrentHashMap<String, AtomicLong> errorKinds = new ConcurrentHashMap<>();

	private volatile boolean running = true;

	Soak(Path jar, Path dir) {
		this.jar = jar;
		this.dir = dir;
	}

	void run() throws Exception {
		int minutes = Integer.getInteger("soak.minutes", 10);
		Path claude = this.dir.resolve("claude");
		Bench.deleteTree(claude);
		GroundTruth truth = new DatasetGenerator(DatasetGenerator.Spec.small()).generate(claude);
		Path data = this.dir.resolve("data");
		Bench.deleteTree(data);
		int port = AppProcess.freePort();
		String base = "http://127.0.0.1:" + port;
		Process app = new ProcessBuilder(AppProcess.command(this.jar, "--cctracer.claude-dirs=" + claude,
				"--cctracer.data-dir=" + data, "--server.port=" + port, "--cctracer.demo=off",
				"--cctracer.web.admin-password=soak", "--spring.main.banner-mode=off"))
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("app.log").toFile())
			.start();
		try {
			while (status(base + "/health") != 200) {
				Thread.sleep(200);
			}
			while (messages(base) < truth.global.messages) {
				Thread.sleep(200);
			}
			System.out.printf(Locale.ROOT, "soak: %d clients for %d min on %d files, %.0f MB, %d responses%n",
					JSON_CLIENTS + STREAM_CLIENTS, minutes, truth.fileCount, truth.bytes / 1e6, truth.global.messages);
			List<String> paths = paths(base);
			String stream = paths.stream().filter((p) -> p.endsWith("/messages")).findFirst().orElseThrow() + "/stream";
			AtomicLong appended = new AtomicLong();
			List<Thread> threads = new ArrayList<>();
			threads.add(daemon(() -> grow(claude, appended)));
			for (int i = 0; i < JSON_CLIENTS; i++) {
				int seed = i;
				threads.add(daemon(() -> client(base, paths, seed)));
			}
			for (int i = 0; i < STREAM_CLIENTS; i++) {
				threads.add(daemon(() -> streamClient(base + stream)));
			}
			long firstRss = 0;
			long maxRss = 0;
			long lastRss = 0;
			for (int minute = 1; minute <= minutes; minute++) {
				Thread.sleep(60_000);
				long rss = rssKb(app.pid());
				firstRss = (minute == 1) ? rss : firstRss;
				maxRss = Math.max(maxRss, rss);
				lastRss = rss;
				List<Long> sorted;
				synchronized (this.latencies) {
					sorted = new ArrayList<>(this.latencies);
					this.latencies.clear();
				}
				Collections.sort(sorted);
				System.out.printf(Locale.ROOT,
						"minute %2d: %7d requests (%5.0f/s), %d errors, p50 %.1f ms, p99 %.1f ms, RSS %d MB, appended %d%n",
						minute, sorted.size(), sorted.size() / 60.0, this.errors.get(),
						(sorted.isEmpty() ? 0 : Report.pct(sorted, 50)) / 1e6,
						(sorted.isEmpty() ? 0 : Report.pct(sorted, 99)) / 1e6, rss >> 10, appended.get());
			}
			this.running = false;
			for (Thread t : threads) {
				t.join(30_000);
			}
			// the watcher ingests the last appends within a debounce; the scan within 30
			// s
			long expected = truth.global.messages + appended.get();
			long counted = -1;
			for (int i = 0; i < 150 && counted != expected; i++) {
				Thread.sleep(200);
				counted = messages(base);
			}
			System.out.printf(Locale.ROOT,
					"soak done: %d requests, %d errors %s; RSS first minute %d MB, max %d MB, last %d MB; "
							+ "responses counted %d of %d (%s)%n",
					this.requests.get(), this.errors.get(), this.errorKinds, firstRss >> 10, maxRss >> 10,
					lastRss >> 10, counted, expected, (counted == expected) ? "exact" : "MISMATCH");
		}
		finally {
			app.destroy();
		}
	}

	/** Appends a response every 100 ms to a growing session; a new session every 30 s. */
	private void grow(Path claude, AtomicLong appended) {
		Path project;
		try {
			project = Files.createDirectories(claude.resolve("projects/-soak-growing"));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		int session = 0;
		long started = System.nanoTime();
		while (this.running) {
			int current = (int) ((System.nanoTime() - started) / 30_000_000_000L);
			if (current != session) {
				session = current;
			}
			String sessionId = String.format("50a50a50-0000-4000-8000-%012d", session);
			long n = appended.get();
			String line = "{\"type\":\"assistant\",\"sessionId\":\"" + sessionId + "\",\"uuid\":\"soak-" + n
					+ "\",\"timestamp\":\"" + Instant.now() + "\",\"requestId\":\"req-soak-" + n
					+ "\",\"message\":{\"id\":\"msg-soak-" + n
					+ "\",\"model\":\"claude-sonnet-4-6\",\"role\":\"assistant\","
					+ "\"content\":[{\"type\":\"text\",\"text\":\"step " + n + "\"}],"
					+ "\"usage\":{\"input_tokens\":1200,\"output_tokens\":80,\"cache_read_input_tokens\":30000}}}\n";
			try {
				Files.writeString(project.resolve(sessionId + ".jsonl"), line, StandardCharsets.UTF_8,
						StandardOpenOption.CREATE, StandardOpenOption.APPEND);
				appended.incrementAndGet();
				Thread.sleep(APPEND_MILLIS);
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void client(String base, List<String> paths, int seed) {
		Random random = new Random(seed);
		while (this.running) {
			String path = paths.get(random.nextInt(paths.size()));
			long started = System.nanoTime();
			try {
				HttpResponse<Void> r = this.http.send(
						HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
						HttpResponse.BodyHandlers.discarding());
				count(r.statusCode(), started, path);
				// a dashboard user's pace: a page or a call a second
				Thread.sleep(THINK_MILLIS);
			}
			catch (IOException ex) {
				error(ex.getClass().getSimpleName());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void streamClient(String url) {
		while (this.running) {
			long started = System.nanoTime();
			try {
				HttpResponse<InputStream> r = this.http.send(
						HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
						HttpResponse.BodyHandlers.ofInputStream());
				try (InputStream in = r.body()) {
					in.transferTo(OutputStream.nullOutputStream());
				}
				count(r.statusCode(), started, "stream");
			}
			catch (IOException ex) {
				error(ex.getClass().getSimpleName());
			}
			catch (InterruptedException ex) {
				return;
			}
		}
	}

	private void count(int status, long started, String path) {
		this.requests.incrementAndGet();
		this.latencies.add(System.nanoTime() - started);
		if (status != 200) {
			error(status + " " + path.replaceAll("/[0-9a-f-]{36}", "/{id}"));
		}
	}

	private void error(String kind) {
		this.errors.incrementAndGet();
		this.errorKinds.computeIfAbsent(kind, (k) -> new AtomicLong()).incrementAndGet();
	}

	/** The list endpoints and pages the clients cycle through. */
	private List<String> paths(String base) throws Exception {
		List<String> paths = new ArrayList<>(List.of("/api/projects", "/api/metrics/aggregate", "/api/metrics/daily",
				"/api/metrics/models", "/api/metrics/blocks", "/api/metrics/pricing", "/", "/health"));
		JsonNode projects = get(base + "/api/projects").get("projects");
		for (int i = 0; i < Math.min(3, projects.size()); i++) {
			String p = projects.get(i).get("path_hash").asText();
			paths.add("/api/projects/" + p + "/sessions");
			paths.add("/projects/" + p);
			JsonNode sessions = get(base + "/api/projects/" + p + "/sessions").get("sessions");
			String s = sessions.get(0).get("session_id").asText();
			paths.add("/api/sessions/" + p + "/" + s);
			paths.add("/api/sessions/" + p + "/" + s + "/messages");
			paths.add("/projects/" + p + "/sessions/" + s);
		}
		return paths;
	}

	private long messages(String base) {
		try {
			return get(base + "/api/metrics/aggregate").path("message_count").asLong(-1);
		}
		catch (IOException | InterruptedException ex) {
			return -1;
		}
	}

	private JsonNode get(String url) throws IOException, InterruptedException {
		return JSON.readTree(
				this.http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString())
					.body());
	}

	private int status(String url) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException | InterruptedException ex) {
			return -1;
		}
	}

	private static Thread daemon(Runnable work) {
		Thread t = new Thread(work);
		t.setDaemon(true);
		t.start();
		return t;
	}

	private static long rssKb(long pid) {
		try {
			for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
				if (l.startsWith("VmRSS:")) {
					return Long.parseLong(l.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException ex) {
			// the process ended
		}
		return -1;
	}

}
