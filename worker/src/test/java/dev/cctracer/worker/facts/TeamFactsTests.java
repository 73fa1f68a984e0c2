package dev.cctracer.worker.facts;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.worker.WorkerApplication;
import dev.cctracer.worker.analytics.QueryRunner;
import dev.cctracer.worker.analytics.SearchQuery;
import dev.cctracer.worker.analytics.ToolStatsQuery;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Team mode: two workers of two machines ({@code box-a}, {@code box-b}), each with its
 * own Claude logs and data dir, share one database and one facts directory. Each writes
 * the facts of its own files only; each one's analytics cover both origins, equal to the
 * generator's ground truth, and say so while a teammate's facts lag.
 */
class TeamFactsTests {

	@TempDir
	Path tmp;

	private final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	@AfterEach
	void close() {
		this.apps.forEach(ConfigurableApplicationContext::close);
	}

	private ConfigurableApplicationContext start(String origin) {
		// as arguments: the data dir's default database URL must not win over the shared
		// one
		ConfigurableApplicationContext app = new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + this.tmp.resolve(origin + "/claude"),
					"cctracer.data-dir=" + this.tmp.resolve(origin + "/data"), "cctracer.origin=" + origin,
					"cctracer.facts.dir=" + this.tmp.resolve("shared-facts"), "cctracer.ingest.watch=false",
					"cctracer.ingest.enabled=false", "cctracer.facts.after-commit=false",
					"jobrunr.background-job-server.enabled=false", "spring.main.banner-mode=off",
					"logging.level.root=WARN")
			.run("--spring.datasource.url=jdbc:h2:file:" + this.tmp.resolve("shared-db/cctracer") + ";AUTO_SERVER=TRUE",
					"--spring.datasource.username=sa");
		this.apps.add(app);
		return app;
	}

	@Test
	void eachWorkersAnalyticsCoverBothOrigins() throws Exception {
		GroundTruth a = new DatasetGenerator(DatasetGenerator.Spec.tiny(21)).generate(this.tmp.resolve("box-a/claude"));
		GroundTruth generated = new DatasetGenerator(DatasetGenerator.Spec.tiny(22))
			.generate(this.tmp.resolve("box-b/claude"));
		// distinct project names per machine, so each project's totals have one truth
		Map<String, GroundTruth.Totals> b = new TreeMap<>();
		for (Map.Entry<String, GroundTruth.Totals> p : generated.projects.entrySet()) {
			Path dir = this.tmp.resolve("box-b/claude/projects").resolve(p.getKey());
			Files.move(dir, dir.resolveSibling(p.getKey() + "-teammate"));
			b.put(p.getKey() + "-teammate", p.getValue());
		}
		ConfigurableApplicationContext boxA = start("box-a");
		ConfigurableApplicationContext boxB = start("box-b");
		boxA.getBean(Indexer.class).scanAndIngest();

		// box-a's facts only: box-b has not indexed yet, nothing lags
		QueryRunner.QueryResult onlyA = boxA.getBean(QueryRunner.class).run(byProject(), 1);
		assertThat(projects(onlyA)).containsOnlyKeys(a.projects.keySet());

		// box-b indexes but writes no facts yet: box-a's answer says its facts lag
		boxB.getBean(Indexer.class).scanAndIngest();
		QueryRunner.QueryResult lagging = boxA.getBean(QueryRunner.class).run(byProject(), 1);
		assertThat(lagging.note()).contains("indexed files have facts short of their committed lines");

		// box-b's facts written (its sync, as after its commits): both workers see both
		// origins, exactly
		boxB.getBean(FactsStore.class).sync((n) -> {
		});
		for (ConfigurableApplicationContext worker : List.of(boxA, boxB)) {
			QueryRunner.QueryResult both = worker.getBean(QueryRunner.class).run(byProject(), 1);
			assertThat(both.note()).isNull();
			Map<String, Map<String, Object>> rows = projects(both);
			assertThat(rows).hasSize(a.projects.size() + b.size());
			for (Map<String, GroundTruth.Totals> truth : List.of(a.projects, b)) {
				truth.forEach((project, totals) -> {
					assertThat(rows.get(project)).as(project)
						.containsEntry("messages", totals.messages)
						.containsEntry("output_tokens", totals.usage.output())
						.containsEntry("cache_read_input_tokens", totals.usage.cacheRead());
				});
			}
			long calls = worker.getBean(ToolStatsQuery.class).run(null, 1).totalCalls();
			assertThat(calls).isEqualTo(rows.values().stream().mapToLong((r) -> (Long) r.get("tool_calls")).sum())
				.isPositive();
			// search finds a teammate's text: a project of each machine has hits
			List<String> hitProjects = worker.getBean(SearchQuery.class)
				.run("a", null)
				.hits()
				.stream()
				.map((h) -> h.project())
				.distinct()
				.toList();
			assertThat(hitProjects).isNotEmpty();
		}
		// each machine wrote the facts of its own files, under its origin
		JdbcClient jdbc = boxA.getBean(JdbcClient.class);
		assertThat(jdbc.sql("""
				SELECT DISTINCT f.origin || ':' || SUBSTRING(s.entries_path, 1, LOCATE('/', s.entries_path) - 1)
				FROM fact_segment s JOIN source_file f ON f.id = s.file_id
				""").query(String.class).list()).containsExactlyInAnyOrder("box-a:origin=box-a", "box-b:origin=box-b");
		assertThat(Files.list(this.tmp.resolve("shared-facts")).map((p) -> p.getFileName().toString()))
			.containsExactlyInAnyOrder("origin=box-a", "origin=box-b");
	}

	private static QuerySpec byProject() {
		return QuerySpec.of(List.of("project"), null, null, null, null, null, null);
	}

	private static Map<String, Map<String, Object>> projects(QueryRunner.QueryResult result) {
		Map<String, Map<String, Object>> byProject = new TreeMap<>();
		result.rows().forEach((r) -> byProject.put((String) r.get("project"), r));
		return byProject;
	}

}
