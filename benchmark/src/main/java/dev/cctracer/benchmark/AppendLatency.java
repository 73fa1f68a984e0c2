package dev.cctracer.benchmark;

import java.io.IOException;
import java.net.URI;
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
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * 1 MB appended to a live session → visible in {@code /api/metrics/aggregate}: the end to
 * end latency through the file watcher, the ingest and the API (ms), and the ingest work
 * it took as the app timed it (its {@code cctracer.ingest.run} timer, from the actuator).
 */
final class AppendLatency {

	private final AppClient client;

	private final Report report;

	AppendLatency(AppClient client, Report report) {
		this.client = client;
		this.report = report;
	}

	/**
	 * Appends ~1 MB of assistant lines to the last session file under {@code claude}
	 * {@code trials} times in each of {@link HttpLoad#repeats()} rounds, waiting each
	 * time until the output tokens added are counted.
	 */
	void measure(String base, Path claude, int trials) throws Exception {
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
		int rounds = HttpLoad.repeats();
		for (int round = 0; round < rounds; round++) {
			List<Long> nanos = new ArrayList<>();
			for (int trial = round * trials; trial < (round + 1) * trials; trial++) {
				long before = outputTokens(base);
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
				while (outputTokens(base) != before + added) {
					Thread.sleep(2);
				}
				nanos.add(System.nanoTime() - s);
			}
			List<Long> sorted = nanos.stream().sorted().toList();
			p50s.add(Report.pct(sorted, 50) / 1e6);
			p99s.add(Report.pct(sorted, 99) / 1e6);
		}
		this.report.line(
				"1 MB appended → visible in /api/metrics/aggregate (" + rounds + " rounds of " + trials + " trials)",
				String.format(Locale.ROOT, "p50 %s ms, p99 %s ms", Report.spread(p50s, "%.0f"),
						Report.spread(p99s, "%.0f")));
		double[] runsAfter = ingestRuns(base);
		double runs = runsAfter[0] - runsBefore[0];
		this.report.line("ingest work of those appends (parse + commit, the app's cctracer.ingest.run timer)",
				(runs > 0)
						? String.format(Locale.ROOT, "mean %.1f ms over %.0f ingests (the watcher may split an append)",
								(runsAfter[1] - runsBefore[1]) * 1e3 / runs, runs)
						: "not measured");
	}

	private long outputTokens(String base) throws IOException, InterruptedException {
		return this.client.get(base + "/api/metrics/aggregate").get("tokens").get("output_tokens").asLong();
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
			HttpResponse<String> response = this.client.sendAsAdmin(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() == 401) {
				this.client.login(base);
				response = this.client.sendAsAdmin(request, HttpResponse.BodyHandlers.ofString());
			}
			double count = 0;
			double total = 0;
			for (JsonNode m : AppClient.parse(response.body()).path("measurements")) {
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

}
