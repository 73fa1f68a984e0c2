package dev.cctracer.benchmark;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * Analytics ({@code java -jar cctracer-benchmark.jar analytics}): on the medium set,
 * grouped DuckDB queries (day × model in three time zones) from the JSONL, the Parquet
 * conversion's throughput, then the same queries and one by tool from Parquet; times as
 * the app reports them (ms).
 */
final class AnalyticsBenchmark {

	private static final List<String> TIME_ZONES = List.of("UTC", "Europe/Paris", "Asia/Tokyo");

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
		GroundTruth truth = new DatasetGenerator(DatasetGenerator.Spec.medium()).generate(claude);
		this.report.line("dataset",
				String.format(Locale.ROOT, "medium: %d files, %.0f MB", truth.fileCount, truth.bytes / 1e6));
		Path data = dir.resolve("data");
		Bench.deleteTree(data);
		int port = AppProcess.freePort();
		String base = "http://127.0.0.1:" + port;
		this.app.launch(AppProcess.command(this.appJar, "--cctracer.claude-dirs=" + claude,
				"--cctracer.data-dir=" + data, "--server.port=" + port, "--cctracer.demo=off",
				"--cctracer.web.admin-password=" + AppProcess.ADMIN_PASSWORD, "--cctracer.archive.quiet=0s",
				"--cctracer.archive.interval=1h", "--spring.main.banner-mode=off"), dir.resolve("app.log"));
		this.app.waitForHealth(base);
		this.client.waitForIndex(base, truth.bytes);
		for (String tz : TIME_ZONES) {
			JsonNode r = this.client.job(base, "/api/queries",
					"{\"group_by\":[\"day\",\"model\"],\"tz\":\"" + tz + "\"}");
			this.report.line("query day × model from JSONL (" + tz + ")",
					r.get("millis").asLong() + " ms in DuckDB, " + r.get("rows").size() + " rows");
		}
		JsonNode archive = this.client.job(base, "/api/admin/archive", "");
		double seconds = archive.get("millis").asLong() / 1000.0;
		this.report.line("Parquet conversion",
				String.format(Locale.ROOT, "%d files, %.0f MB JSONL → %.0f MB Parquet in %.1f s (%.0f MB/s)",
						archive.get("converted").asLong(), archive.get("bytes_in").asLong() / 1e6,
						archive.get("bytes_out").asLong() / 1e6, seconds,
						archive.get("bytes_in").asLong() / 1e6 / seconds));
		for (String tz : TIME_ZONES) {
			JsonNode r = this.client.job(base, "/api/queries",
					"{\"group_by\":[\"day\",\"model\"],\"tz\":\"" + tz + "\", \"from\":\"2026-01-01\"}");
			this.report.line("query day × model from Parquet (" + tz + ")", r.get("millis").asLong() + " ms in DuckDB ("
					+ r.get("parquet_files").asLong() + " Parquet files), " + r.get("rows").size() + " rows");
		}
		JsonNode tools = this.client.job(base, "/api/queries", "{\"group_by\":[\"tool\"]}");
		this.report.line("query by tool from Parquet", tools.get("millis").asLong() + " ms in DuckDB");
		this.app.stop();
		this.report.print();
	}

}
