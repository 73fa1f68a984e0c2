package dev.cctracer.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * The team topology on PostgreSQL ({@code java -jar cctracer-benchmark.jar cluster}): the
 * medium set indexed by one and then by two worker processes (start-up ingest as JobRunr
 * jobs), the web with its job server off; then API latency on PostgreSQL. The database is
 * an embedded PostgreSQL, its schema dropped before each topology.
 */
final class ClusterBenchmark {

	private final Path appJar;

	private final Path workerJar;

	private final Report report = new Report();

	private final AppClient client = new AppClient();

	private final AppProcess app = new AppProcess(this.client);

	private final HttpLoad load = new HttpLoad(this.client, this.report);

	ClusterBenchmark(Path appJar, Path workerJar) {
		this.appJar = appJar;
		this.workerJar = workerJar;
	}

	/** Runs the benchmark in {@code dir}, which it clears first. */
	void run(Path dir) throws Exception {
		Path claude = dir.resolve("claude");
		Bench.deleteTree(dir);
		GroundTruth truth = new DatasetGenerator(DatasetGenerator.Spec.medium()).generate(claude);
		this.report.line("dataset", String.format(Locale.ROOT, "medium: %d files, %.0f MB, %,d responses",
				truth.fileCount, truth.bytes / 1e6, truth.global.messages));
		try (EmbeddedPostgres pg = EmbeddedPostgres.builder()
			.setOverrideWorkingDirectory(dir.resolve("pg").toFile())
			.start()) {
			JdbcTemplate db = new JdbcTemplate(pg.getPostgresDatabase());
			List<String> database = List.of(
					"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + pg.getPort() + "/postgres",
					"--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
			for (int workers = 1; workers <= 2; workers++) {
				db.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
				topology(dir, claude, truth, database, workers);
			}
		}
		this.report.print();
	}

	/**
	 * The web and {@code workers} worker processes on the database: cold index from
	 * starting the workers to every total served, checked against the ground truth; with
	 * two workers, warm API latency too. Stops every process it started.
	 */
	private void topology(Path dir, Path claude, GroundTruth truth, List<String> database, int workers)
			throws Exception {
		int port = AppProcess.freePort();
		String base = "http://127.0.0.1:" + port;
		List<Process> started = new ArrayList<>();
		List<String> web = new ArrayList<>(
				AppProcess.command(this.appJar, "--spring.profiles.active=web-only", "--server.port=" + port,
						"--cctracer.data-dir=" + dir.resolve("web-data"), "--cctracer.claude-dirs=" + claude,
						"--cctracer.web.admin-password=" + AppProcess.ADMIN_PASSWORD, "--spring.main.banner-mode=off"));
		web.addAll(database);
		this.app.launch(web, dir.resolve("web-" + workers + ".log"));
		started.add(this.app.process());
		this.app.waitForHealth(base);
		long t0 = System.nanoTime();
		for (int w = 1; w <= workers; w++) {
			List<String> worker = new ArrayList<>(AppProcess.command(this.workerJar, "--cctracer.claude-dirs=" + claude,
					"--cctracer.data-dir=" + dir.resolve("worker-" + w), "--cctracer.origin=bench",
					"--cctracer.ingest.startup=jobs", "--cctracer.archive.enabled=false",
					"--spring.main.banner-mode=off"));
			worker.addAll(database);
			started.add(new ProcessBuilder(worker).redirectErrorStream(true)
				.redirectOutput(dir.resolve("worker-" + workers + "-" + w + ".log").toFile())
				.start());
		}
		this.client.waitForIndex(base, truth.bytes);
		double cold = Report.secs(t0);
		JsonNode agg = this.client.get(base + "/api/metrics/aggregate");
		boolean exact = agg.get("message_count").asLong() == truth.global.messages
				&& agg.get("total_cost").asDouble() == truth.global.costPico / 1e12;
		this.report.line("cold index on PostgreSQL, " + workers + " worker" + ((workers > 1) ? "s" : ""),
				String.format(Locale.ROOT,
						"%.2f s from starting the workers to every total served (%.0f MB/s, worker JVM start "
								+ "included); totals %s",
						cold, truth.bytes / 1e6 / cold, exact ? "exact" : "WRONG: " + agg));
		if (workers == 2) {
			this.load.latency(base, "/api/projects", 16, 20_000);
			String project = this.client.get(base + "/api/projects").get("projects").get(0).get("path_hash").asText();
			this.load.latency(base, "/api/projects/" + project + "/sessions", 16, 20_000);
			this.load.latency(base, "/api/metrics/daily?tz=UTC", 16, 10_000);
			this.load.latency(base, "/api/metrics/aggregate", 16, 20_000);
		}
		for (Process p : started) {
			p.destroy();
			p.waitFor();
		}
	}

}
