package dev.cctracer.worker.duckdb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.worker.WorkerApplication;
import dev.cctracer.worker.analytics.QueryRunner;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for the DuckDB jobs and {@link DuckDbEngine}: a query, with the rules written
 * again in SQL, recomputes the incremental totals exactly (a growing file read up to its
 * committed offset, a line over the cap read as the ingest read it), says when files are
 * not on this disk, and DuckDB cannot read outside its dirs.
 */
class DuckDbJobsTests {

	@TempDir
	Path tmp;

	private ConfigurableApplicationContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	private void start() {
		this.app = new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + this.tmp.resolve("claude"),
					"cctracer.data-dir=" + this.tmp.resolve("data"), "cctracer.ingest.watch=false",
					"cctracer.ingest.enabled=false", "jobrunr.background-job-server.enabled=false",
					"spring.main.banner-mode=off", "logging.level.root=WARN")
			.run();
	}

	@Test
	void shouldSayWhenIndexedFilesAreNotOnThisDisk() throws Exception {
		new DatasetGenerator(DatasetGenerator.Spec.tiny(5)).generate(this.tmp.resolve("claude"));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		var runner = this.app.getBean(QueryRunner.class);
		var spec = QuerySpec.of(List.of("model"), null, null, null, null, null, null);
		assertThat(runner.run(spec, 1).note()).isNull();
		// as in a shared database, where another machine's files are indexed but not here
		try (var files = Files.walk(this.tmp.resolve("claude/projects"))) {
			Path one = files.filter((f) -> f.toString().endsWith(".jsonl")).findFirst().orElseThrow();
			Files.delete(one);
		}
		assertThat(runner.run(spec, 1).note()).startsWith("1 indexed files are not on this worker's disk");
	}

	@Test
	void aQueryRecomputesTheIncrementalTotalsOfRealAndGeneratedData() throws Exception {
		RealDataLayout.create(realData(), this.tmp.resolve("claude"));
		new DatasetGenerator(DatasetGenerator.Spec.tiny(3)).generate(this.tmp.resolve("claude"));
		Path growing = this.tmp.resolve("claude/projects/-grow/eeeeeeee-0000-4000-8000-000000000001.jsonl");
		Files.createDirectories(growing.getParent());
		Files.writeString(growing, line("m1", 10) + "{\"type\":\"assi");
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		// the file grows after the ingest: the query must read only the committed
		// prefix
		Files.writeString(growing, "stant\"}\n" + line("m2", 20), StandardOpenOption.APPEND);
		var incremental = ProjectTotals.incremental(this.app.getBean(JdbcClient.class));
		assertThat(incremental).hasSizeGreaterThan(5).containsKey("-grow");
		assertThat(ProjectTotals.queried(this.app.getBean(QueryRunner.class))).isEqualTo(incremental);
	}

	/**
	 * One line of 70 MB (over the ingest's 64 MB cap and DuckDB's largest object) in one
	 * project failed every DuckDB job of every project: now the jobs read the file
	 * without it, as the ingest counted it, and memory stays bounded.
	 */
	@Test
	void aLineOverTheCapFailsNoJobAndCountsAsTheIngestCountedIt() throws Exception {
		new DatasetGenerator(DatasetGenerator.Spec.tiny(2)).generate(this.tmp.resolve("claude"));
		Path huge = this.tmp.resolve("claude/projects/-huge/eeeeeeee-0000-4000-8000-000000000002.jsonl");
		Files.createDirectories(huge.getParent());
		Files.writeString(huge, line("before", 10));
		try (var out = Files.newOutputStream(huge, StandardOpenOption.APPEND)) {
			out.write("{\"type\":\"user\",\"message\":{\"content\":\"".getBytes(StandardCharsets.UTF_8));
			byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
			for (int i = 0; i < 70; i++) {
				out.write(chunk);
			}
			out.write("\"}}\n".getBytes(StandardCharsets.UTF_8));
		}
		Files.writeString(huge, line("after", 20), StandardOpenOption.APPEND);
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(this.app.getBean(JdbcClient.class)
			.sql("SELECT overlong_lines FROM source_file WHERE rel_path LIKE '-huge/%'")
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(ProjectTotals.queried(this.app.getBean(QueryRunner.class)))
			.isEqualTo(ProjectTotals.incremental(this.app.getBean(JdbcClient.class)));
		var rows = this.app.getBean(QueryRunner.class)
			.run(QuerySpec.of(List.of("project"), null, null, null, "-huge", null, null), 1)
			.rows();
		assertThat(rows).hasSize(1);
		assertThat(rows.get(0).get("messages")).isEqualTo(2L);
		assertThat(rows.get(0).get("output_tokens")).isEqualTo(30L);
	}

	@Test
	void shouldKeepDuckDbInsideItsDirectories() throws Exception {
		Files.createDirectories(this.tmp.resolve("claude/projects"));
		Path outside = Files.writeString(this.tmp.resolve("outside.jsonl"), "{\"a\":1}\n");
		start();
		DuckDbEngine engine = this.app.getBean(DuckDbEngine.class);
		try (Connection c = engine.connection(); Statement s = c.createStatement()) {
			assertThatThrownBy(() -> s.executeQuery("SELECT * FROM read_json('" + outside + "')"))
				.hasMessageContaining("ermission");
		}
		try (Connection c = engine.connection(); Statement s = c.createStatement()) {
			assertThatThrownBy(() -> s.execute("SET enable_external_access = true")).hasMessageContaining("locked");
		}
		try (Connection c = engine.connection(); Statement s = c.createStatement()) {
			assertThatThrownBy(() -> s.executeQuery("SELECT * FROM read_csv('/etc/passwd')"))
				.hasMessageContaining("ermission");
		}
	}

	private static String line(String id, int output) {
		return "{\"type\":\"assistant\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"requestId\":\"r\",\"message\":{\"id\":\""
				+ id + "\",\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output
				+ "}}}\n";
	}

	private static Path realData() {
		String configured = System.getProperty("realdata.dir");
		return Path.of((configured != null) ? configured : "../../shared/realdata").toAbsolutePath().normalize();
	}

}
