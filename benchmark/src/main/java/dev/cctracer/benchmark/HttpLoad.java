package dev.cctracer.benchmark;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warm latency under load, from a Java load generator on the same machine (so its CPU is
 * in the figures, which is why its threads use a lean client, {@link KeepAliveClient}):
 * an API endpoint from many concurrent clients, a dashboard page from one logged-in
 * client. Each is measured in {@link #repeats()} rounds and reported as the median of the
 * rounds and their range, in milliseconds.
 */
final class HttpLoad {

	private final AppClient client;

	private final Report report;

	HttpLoad(AppClient client, Report report) {
		this.client = client;
		this.report = report;
	}

	/** Rounds of each latency measurement ({@code -Dbench.repeats}, 3 by default). */
	static int repeats() {
		return Math.max(1, Integer.getInteger("bench.repeats", 3));
	}

	/**
	 * Whether the load threads use the JDK's {@code HttpClient}
	 * ({@code -Dbench.client=jdk}, as every run before issue 18 did) instead of a
	 * {@link KeepAliveClient} each.
	 */
	static boolean jdkClient() {
		return "jdk".equals(System.getProperty("bench.client"));
	}

	/**
	 * Warm latency of one endpoint: 500 warm-up requests, then {@code bench.repeats}
	 * rounds (3 by default) of {@code requests} requests from {@code clients} threads,
	 * each with its own keep-alive connection ({@link KeepAliveClient}; the JDK's client
	 * with {@code -Dbench.client=jdk}); p50, p99 and throughput are reported as the
	 * median of the rounds and their range.
	 * @return the medians of the rounds' p50 and p99
	 */
	Latency latency(String base, String path, int clients, int requests) throws Exception {
		URI uri = URI.create(base + path);
		boolean jdk = jdkClient();
		try (KeepAliveClient warm = new KeepAliveClient(uri)) {
			for (int i = 0; i < 500; i++) {
				if (jdk) {
					this.client.send(uri);
				}
				else {
					warm.get(uri);
				}
			}
		}
		int rounds = repeats();
		List<Double> p50s = new ArrayList<>();
		List<Double> p99s = new ArrayList<>();
		List<Double> rates = new ArrayList<>();
		long errorCount = 0;
		for (int round = 0; round < rounds; round++) {
			Round r = round(uri, clients, requests);
			p50s.add(Report.pct(r.sorted(), 50) / 1e6);
			p99s.add(Report.pct(r.sorted(), 99) / 1e6);
			rates.add(r.sorted().size() / r.seconds());
			errorCount += r.errors();
		}
		this.report.line(
				"GET " + path + " (" + clients + " clients" + (jdk ? " of the JDK's HttpClient" : "") + ", warm, "
						+ rounds + " rounds of " + requests + ")",
				String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, %s req/s, %d errors", Report.spread(p50s, "%.2f"),
						Report.spread(p99s, "%.2f"), Report.spread(rates, "%.0f"), errorCount));
		return new Latency(Report.median(p50s), Report.median(p99s));
	}

	/**
	 * Load without measuring: {@code requests} to each of {@code paths} from
	 * {@code clients} threads, so that the harness's own JVM has compiled its client
	 * before the first measured endpoint (else that one pays for it: measured, the JDK
	 * client's first endpoint took twice the CPU of the next ones).
	 */
	void warmUp(String base, List<String> paths, int clients, int requests) throws Exception {
		for (String path : paths) {
			round(URI.create(base + path), clients, requests);
		}
	}

	/** One round: every request's time, sorted, the round's seconds and its errors. */
	private Round round(URI uri, int clients, int requests) throws InterruptedException {
		boolean jdk = jdkClient();
		ConcurrentLinkedQueue<Long> nanos = new ConcurrentLinkedQueue<>();
		AtomicInteger left = new AtomicInteger(requests);
		AtomicLong errors = new AtomicLong();
		CountDownLatch done = new CountDownLatch(clients);
		long started = System.nanoTime();
		for (int c = 0; c < clients; c++) {
			Thread t = new Thread(() -> {
				try (KeepAliveClient http = new KeepAliveClient(uri)) {
					while (left.decrementAndGet() >= 0) {
						long s = System.nanoTime();
						int status = jdk ? this.client.send(uri) : http.get(uri);
						if (status != 200) {
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
		return new Round(nanos.stream().sorted().toList(), Report.secs(started), errors.get());
	}

	private record Round(List<Long> sorted, double seconds, long errors) {

	}

	/**
	 * Server-side render time of a dashboard page, warm: one logged-in client, time to
	 * the last byte of the HTML (no browser, no assets); 50 warm-up requests, then
	 * {@link #repeats()} rounds of {@code requests}.
	 * @throws IllegalStateException when the page answers other than 200
	 */
	void pageLatency(String base, String path, int requests) throws Exception {
		this.client.login(base);
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
				HttpResponse<byte[]> response = this.client.sendAsAdmin(request,
						HttpResponse.BodyHandlers.ofByteArray());
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
			p50s.add(Report.pct(nanos, 50) / 1e6);
			p99s.add(Report.pct(nanos, 99) / 1e6);
		}
		this.report.line(
				"page " + path.replaceAll("[0-9a-f]{8}-[0-9a-f-]{27}", "{id}") + " (1 client, warm, " + p50s.size()
						+ " rounds of " + requests + ")",
				String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, %.0f KB of HTML", Report.spread(p50s, "%.1f"),
						Report.spread(p99s, "%.1f"), bytes / 1024.0));
	}

	/**
	 * Medians over the rounds of a latency measurement.
	 *
	 * @param p50Ms median p50, milliseconds
	 * @param p99Ms median p99, milliseconds
	 */
	record Latency(double p50Ms, double p99Ms) {

	}

}
