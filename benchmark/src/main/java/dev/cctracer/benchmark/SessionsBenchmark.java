package dev.cctracer.benchmark;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * Sessions ({@code java -jar cctracer-benchmark.jar sessions}): a 10k-message session
 * (pages of 50, first access and warm) and a ~1 GB session file (index build under the
 * app's 512 MB heap). Each session's first page is timed right after the first index,
 * while its facts are written; then, after a restart, each is walked page by page
 * {@link HttpLoad#repeats()} times. The app's peak resident set of each process.
 */
final class SessionsBenchmark {

	private final Path appJar;

	private final Report report = new Report();

	private final AppClient client = new AppClient();

	private final AppProcess app = new AppProcess(this.client);

	SessionsBenchmark(Path appJar) {
		this.appJar = appJar;
	}

	/** Runs the benchmark in {@code dir} (datasets in {@code claude/}). */
	void run(Path dir) throws Exception {
		Instant start = Instant.parse("2026-02-01T08:00:00Z");
		Path claude = dir.resolve("claude");
		Bench.deleteTree(claude);
		GroundTruth big = new DatasetGenerator(new DatasetGenerator.Spec(1, 1, 1700, 1500, 7, start))
			.generate(claude.resolve("a"));
		GroundTruth huge = new DatasetGenerator(new DatasetGenerator.Spec(1, 1, 4200, 120_000, 8, start))
			.generate(claude.resolve("b"));
		this.report.line("datasets",
				String.format(Locale.ROOT, "%.0f MB and %.0f MB of transcripts", big.bytes / 1e6, huge.bytes / 1e6));
		Path data = dir.resolve("data");
		Bench.deleteTree(data);
		int port = AppProcess.freePort();
		String base = "http://127.0.0.1:" + port;
		List<String> command = AppProcess.command(this.appJar,
				"--cctracer.claude-dirs=" + claude.resolve("a") + "," + claude.resolve("b"),
				"--cctracer.data-dir=" + data, "--server.port=" + port, "--cctracer.demo=off",
				"--cctracer.web.admin-password=" + AppProcess.ADMIN_PASSWORD, "--spring.main.banner-mode=off");
		// 1. a first index: each session's first page right after it, while the facts of
		// the
		// first index are written (both cores busy), as a user who opens a session at
		// once
		MemorySampler sampler = new MemorySampler(this.app);
		sampler.start();
		this.app.launch(command, dir.resolve("app.log"));
		this.app.waitForHealth(base);
		this.client.waitForIndex(base, big.bytes + huge.bytes);
		List<String> during = new ArrayList<>();
		for (String root : List.of("a", "b")) {
			String url = firstPage(base, root);
			long t = System.nanoTime();
			this.client.get(url);
			during.add(String.format(Locale.ROOT, "%.0f ms", (System.nanoTime() - t) / 1e6));
		}
		double facts = DatasetSizeBenchmark.loggedFactsSeconds(dir.resolve("app.log"), big.bytes + huge.bytes);
		this.app.stop();
		sampler.stop();
		this.report.line("first page right after the first index, while its facts are written (10k / ~1 GB)",
				String.join(" / ", during) + String.format(Locale.ROOT, "; the facts took %.2f s; peak RSS %d MB",
						facts, sampler.rssPeakKb() >> 10));
		// 2. a restart (nothing to index, facts written): the walks, first access
		// included
		MemorySampler restarted = new MemorySampler(this.app);
		restarted.start();
		this.app.launch(command, dir.resolve("app-restart.log"));
		this.app.waitForHealth(base);
		this.client.waitForIndex(base, big.bytes + huge.bytes);
		for (String root : List.of("a", "b")) {
			walk(base, root);
		}
		this.app.stop();
		restarted.stop();
		this.report.line("memory of the app process after the restart",
				"run with -Xmx512m; peak RSS " + (restarted.rssPeakKb() >> 10) + " MB");
		this.report.print();
	}

	/**
	 * The first page's url of root {@code a}'s session (under 5,000 messages) or root
	 * {@code b}'s.
	 */
	private String firstPage(String base, String root) throws Exception {
		String p = null;
		JsonNode session = null;
		for (JsonNode proj : this.client.get(base + "/api/projects").get("projects")) {
			for (JsonNode sn : this.client.get(base + "/api/projects/" + proj.get("path_hash").asText() + "/sessions")
				.get("sessions")) {
				long messages = sn.get("message_count").asLong();
				if ((root.equals("a") && messages < 5000) || (root.equals("b") && messages >= 5000)) {
					session = sn;
					p = proj.get("path_hash").asText();
				}
			}
		}
		return base + "/api/sessions/" + p + "/" + session.get("session_id").asText() + "/messages?limit=50";
	}

	/**
	 * Walks the session of root {@code a} (under 5,000 messages) or {@code b} page by
	 * page: the first page (the index build) once, then every page, timed.
	 */
	private void walk(String base, String root) throws Exception {
		String url = firstPage(base, root);
		long t = System.nanoTime();
		JsonNode first = this.client.get(url);
		double firstMs = (System.nanoTime() - t) / 1e6;
		// walk the whole session page by page, bench.repeats times
		List<Double> p50s = new ArrayList<>();
		List<Double> p99s = new ArrayList<>();
		int count = 0;
		for (int walk = 0; walk < HttpLoad.repeats(); walk++) {
			JsonNode opening = (walk == 0) ? first : this.client.get(url);
			List<Long> pages = new ArrayList<>();
			count = opening.get("messages").size();
			String cursor = opening.get("has_more").asBoolean() ? opening.get("next_cursor").asText() : null;
			while (cursor != null) {
				long s0 = System.nanoTime();
				JsonNode page = this.client.get(url + "&cursor=" + cursor);
				pages.add(System.nanoTime() - s0);
				count += page.get("messages").size();
				cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
			}
			List<Long> sorted = pages.stream().sorted().toList();
			p50s.add(Report.pct(sorted, 50) / 1e6);
			p99s.add(Report.pct(sorted, 99) / 1e6);
		}
		this.report.line(
				root.equals("a") ? "page of 50 messages, 10k-message session, after a restart"
						: "page of 50 messages, ~1 GB session file, after a restart",
				String.format(Locale.ROOT,
						"%d messages; first access (index build) %.0f ms; every later page over %d walks: "
								+ "p50 %s ms, p99 %s ms",
						count, firstMs, p50s.size(), Report.spread(p50s, "%.1f"), Report.spread(p99s, "%.1f")));
	}

}
