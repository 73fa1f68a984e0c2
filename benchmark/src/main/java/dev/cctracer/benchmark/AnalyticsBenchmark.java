package dev.cctracer.benchmark;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * Analytics over the facts ({@code java -jar cctracer-benchmark.jar analytics}): on the
 * medium set (the classic shape by default, as the raw-JSONL figures of 2026-11-24;
 * {@code -Dbench.shape=calibrated} for the calibrated one), the app started without facts
 * written after commits, so the first query writes every fact (timed by the app's log:
 * bytes parsed, entries, Parquet size); then grouped queries (day × model in three time
 * zones), one by tool, a search and an entry-level export, all over the facts; times as
 * the app reports them (ms of the job, without JobRunr's queue wait); then the hook
 * statistics, which read the transcripts, timed from the request to the result, and again
 * after one session grew (the job reads only that session).
 */
final class AnalyticsBenchmark {

	private static final List<String> TIME_ZONES = List.of("UTC", "Europe/Paris", "Asia/Tokyo");

	private static final Pattern FACTS_LOG = Pattern.compile(
			"facts: (\\d+) segments written \\(([\\d.]+) MB parsed, (\\d+) entries\\), \\d+ stale removed, (\\d+) ms");

	private final Path appJar;

	private final Report report = new Report();

	private final AppClient client = new AppClient();

	private final AppProcess app = new AppProcess(this.client);

	AnalyticsBenchmark(Path appJar) {
		this.appJar = appJar;
	}

	/** Runs the benchmark in {@code dir} (the dataset in {@code claude/}). */
	void run(Path dir) throws Exception {
		Path claude = dir.resolve("claude");
		Bench.deleteTree(claude);
		boolean calibrated = "calibrated".equals(System.getProperty("bench.shape"));
		GroundTruth truth = new DatasetGenerator(
				calibrated ? DatasetGenerator.Spec.calibratedMedium() : DatasetGenerator.Spec.medium())
			.generate(claude);
		this.report.line("dataset", String.format(Locale.ROOT, "medium (%s): %d files, %.0f MB",
				calibrated ? "calibrated" : "classic", truth.fileCount, truth.bytes / 1e6));
		Path data = dir.resolve("data");
		Bench.deleteTree(data);
		int port = AppProcess.freePort();
		String base = "http://127.0.0.1:" + port;
		Path log = dir.resolve("app.log");
		this.app.launch(AppProcess.command(this.appJar, "--cctracer.claude-dirs=" + claude,
				"--cctracer.data-dir=" + data, "--server.port=" + port, "--cctracer.demo=off",
				"--cctracer.web.admin-password=" + AppProcess.ADMIN_PASSWORD, "--cctracer.facts.after-commit=false",
				"--cctracer.archive.interval=1h", "--spring.main.banner-mode=off"), log);
		this.app.waitForHealth(base);
		this.client.waitForIndex(base, truth.bytes);
		JsonNode first = this.client.job(base, "/api/queries", "{\"group_by\":[\"day\",\"model\"],\"tz\":\"UTC\"}");
		Matcher facts = FACTS_LOG.matcher(Files.readString(log));
		if (facts.find()) {
			double seconds = Long.parseLong(facts.group(4)) / 1e3;
			long parquet = bytesUnder(data.resolve("facts"));
			this.report.line("facts written by the first query",
					String.format(Locale.ROOT,
							"%s segments, %s MB of JSONL parsed, %s entries → %.0f MB of Parquet in %.1f s "
									+ "(%.0f MB/s, %.1f s per GB); the query with it: %d ms",
							facts.group(1), facts.group(2), facts.group(3), parquet / 1e6, seconds,
							truth.bytes / 1e6 / seconds, seconds / (truth.bytes / 1e9), first.get("millis").asLong()));
		}
		for (String tz : TIME_ZONES) {
			JsonNode r = this.client.job(base, "/api/queries",
					"{\"group_by\":[\"day\",\"model\"],\"tz\":\"" + tz + "\", \"from\":\"2020-01-01\"}");
			this.report.line("query day × model over the facts (" + tz + ")", r.get("millis").asLong() + " ms ("
					+ r.get("parquet_files").asLong() + " batches), " + r.get("rows").size() + " rows");
		}
		JsonNode tools = this.client.job(base, "/api/queries", "{\"group_by\":[\"tool\"]}");
		this.report.line("query by tool over the facts",
				tools.get("millis").asLong() + " ms, " + tools.get("rows").size() + " tools");
		JsonNode search = this.client.job(base, "/api/search", "{\"q\":\"error\"}");
		this.report.line("search (\"error\", first 200 hits)",
				search.get("millis").asLong() + " ms, " + search.get("hits").size() + " hits");
		JsonNode export = this.client.job(base, "/api/exports", "{\"format\":\"parquet\"}");
		this.report.line("entry-level export (Parquet)", export.get("millis").asLong() + " ms, "
				+ export.get("rows").asLong() + " rows, " + Report.mb(export.get("bytes").asLong()));
		long hooksStarted = System.nanoTime();
		JsonNode hooks = this.client.jobOfGet(base, "/api/hooks");
		this.report.line("hook statistics (a job reading every transcript, not the facts)",
				String.format(Locale.ROOT,
						"%.2f s from the request to the result (100 ms polls), %d transcripts, %s, "
								+ "%d runs of %d hook commands",
						(System.nanoTime() - hooksStarted) / 1e9, hooks.get("transcripts").asLong(),
						Report.mb(hooks.get("bytes").asLong()), hooks.get("runs").asLong(), hooks.get("hooks").size()));
		// one session grows (a line of it again, as a live session's next line): the job
		// reads that session only
		Path session = lastSession(claude);
		List<String> lines = Files.readAllLines(session, StandardCharsets.UTF_8);
		long before = this.client.get(base + "/health").path("data_version").asLong();
		Files.writeString(session, lines.get(lines.size() - 1) + "\n", StandardCharsets.UTF_8,
				StandardOpenOption.APPEND);
		while (this.client.get(base + "/health").path("data_version").asLong() == before) {
			Thread.sleep(20);
		}
		long againStarted = System.nanoTime();
		JsonNode again = this.client.jobOfGet(base, "/api/hooks");
		this.report.line("hook statistics again after one session grew", String.format(Locale.ROOT,
				"%.2f s from the request to the result, %d transcripts of which %d not read again, %s read, "
						+ "%d runs",
				(System.nanoTime() - againStarted) / 1e9, again.get("transcripts").asLong(),
				again.get("reused").asLong(), Report.mb(again.get("bytes").asLong()), again.get("runs").asLong()));
		this.app.stop();
		this.report.print();
	}

	/** The session transcript last by path, as the append benchmark picks it. */
	private static Path lastSession(Path claude) throws Exception {
		try (Stream<Path> files = Files.walk(claude.resolve("projects"), 2)) {
			return files.filter((p) -> p.getFileName().toString().matches("[0-9a-f-]{36}\\.jsonl"))
				.max(Comparator.comparing(Path::toString))
				.orElseThrow();
		}
	}

	private static long bytesUnder(Path dir) throws Exception {
		if (!Files.isDirectory(dir)) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter(Files::isRegularFile).mapToLong((p) -> p.toFile().length()).sum();
		}
	}

}
