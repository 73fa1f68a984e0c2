package dev.cctracer.worker.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.worker.SearchStream;
import dev.cctracer.worker.analytics.QueryRunner;
import dev.cctracer.worker.analytics.SearchQuery;
import dev.cctracer.worker.indexing.Indexer;
import dev.cctracer.worker.indexing.TracerContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for the DuckDB jobs and {@link DuckDbEngine}: a query, with the rules written
 * again in SQL over the facts, recomputes the incremental totals exactly (a growing file
 * read up to its committed offset), and DuckDB cannot read outside its dirs. The facts
 * themselves: {@code worker/facts} tests.
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
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data")).context;
	}

	@Test
	void aQueryRecomputesTheIncrementalTotalsOfRealAndGeneratedData() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
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
	 * Grouped by tool (a message's tokens split evenly over its calls), each token count
	 * adds up over the rows to what the same query grouped by model counts: rounding each
	 * row on its own gave a token or four more (a trial).
	 */
	@Test
	void tokensSplitOverToolsAddUpToTheTotal() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		QueryRunner queries = this.app.getBean(QueryRunner.class);
		List<String> kinds = List.of("input_tokens", "output_tokens", "cache_creation_5m_input_tokens",
				"cache_creation_1h_input_tokens", "cache_read_input_tokens", "total_tokens");
		Map<String, Long> byModel = sums(
				queries.run(QuerySpec.of(List.of("model"), null, null, null, null, null, null), 1).rows(), kinds);
		Map<String, Long> byTool = sums(
				queries.run(QuerySpec.of(List.of("tool"), null, null, null, null, null, null), 1).rows(), kinds);
		assertThat(byModel.get("total_tokens")).isPositive();
		assertThat(byTool).isEqualTo(byModel);
		// and within each model, its tools' rows add up to the model's
		List<Map<String, Object>> models = queries
			.run(QuerySpec.of(List.of("model"), null, null, null, null, null, null), 1)
			.rows();
		List<Map<String, Object>> modelTools = queries
			.run(QuerySpec.of(List.of("model", "tool"), null, null, null, null, null, null), 1)
			.rows();
		for (Map<String, Object> model : models) {
			Map<String, Long> tools = sums(
					modelTools.stream().filter((row) -> row.get("model").equals(model.get("model"))).toList(), kinds);
			assertThat(tools).as("%s", model.get("model")).isEqualTo(sums(List.of(model), kinds));
		}
	}

	private static Map<String, Long> sums(List<Map<String, Object>> rows, List<String> kinds) {
		Map<String, Long> sums = new TreeMap<>();
		for (Map<String, Object> row : rows) {
			for (String kind : kinds) {
				sums.merge(kind, ((Number) row.get(kind)).longValue(), Long::sum);
			}
		}
		return sums;
	}

	/**
	 * An answer keeps at most {@code cctracer.duckdb.query-rows} rows (here 3): grouped
	 * by session, the most expensive sessions, as the incremental totals rank them, and
	 * only their projects; the note says how many rows there were.
	 */
	@Test
	void aQueryKeepsItsMostRowsAndSaysHowManyThereWere() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.duckdb.query-rows=3").context;
		this.app.getBean(Indexer.class).scanAndIngest();
		List<String> costliest = this.app.getBean(JdbcClient.class)
			.sql("SELECT session_id FROM source_file WHERE messages > 0 GROUP BY session_id ORDER BY "
					+ "SUM(cost_input + cost_output + cost_cache_write + cost_cache_read + cost_web_search) DESC, "
					+ "session_id")
			.query(String.class)
			.list();
		assertThat(costliest).hasSizeGreaterThan(3);
		QueryRunner.QueryResult answer = this.app.getBean(QueryRunner.class)
			.run(QuerySpec.of(List.of("session"), null, null, null, null, null, null), 1);
		assertThat(answer.rows()).extracting((row) -> row.get("session"))
			.containsExactlyElementsOf(costliest.subList(0, 3));
		assertThat(answer.sessionProjects()).containsOnlyKeys(costliest.subList(0, 3));
		assertThat(answer.note()).isEqualTo("only the first 3 of " + costliest.size()
				+ " rows (cctracer.duckdb.query-rows): narrow the dates or filter by project, session or model, "
				+ "or group by fewer dimensions");
		// within the bound, no note
		assertThat(this.app.getBean(QueryRunner.class)
			.run(QuerySpec.of(List.of("month"), null, null, "UTC", null, null, null), 1)
			.note()).isNull();
	}

	/**
	 * Analytics asked at once from several threads (the web's request threads and
	 * JobRunr's workers do), each on its own DuckDB connection to the one engine
	 * (reliability anchor: concurrent queries on duplicated connections): no error, and
	 * every answer the one a lone query gives — the totals by project equal to the
	 * incremental ones, a search the same hits.
	 */
	@Test
	void concurrentQueriesAndSearchesAnswerAsALoneOne() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		var incremental = ProjectTotals.incremental(this.app.getBean(JdbcClient.class));
		QueryRunner queries = this.app.getBean(QueryRunner.class);
		SearchQuery search = this.app.getBean(SearchQuery.class);
		List<SearchStream.Hit> alone = search.run("error", null).hits();
		assertThat(alone).isNotEmpty();
		ExecutorService threads = Executors.newFixedThreadPool(6);
		try {
			List<Future<?>> answers = new ArrayList<>();
			for (int i = 0; i < 24; i++) {
				answers.add((i % 3 == 2) ? threads.submit(() -> search.run("error", null).hits())
						: threads.submit(() -> ProjectTotals.queried(queries)));
			}
			for (int i = 0; i < answers.size(); i++) {
				Object answer = answers.get(i).get(2, TimeUnit.MINUTES);
				if (i % 3 == 2) {
					assertThat(answer).as("search " + i).isEqualTo(alone);
				}
				else {
					assertThat(answer).as("query " + i).isEqualTo(incremental);
				}
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void shouldKeepDuckDbInsideItsDirectories() throws Exception {
		Files.createDirectories(this.tmp.resolve("claude/projects"));
		Path outside = Files.writeString(this.tmp.resolve("outside.jsonl"), "{\"a\":1}\n");
		start();
		DuckDbEngine engine = this.app.getBean(DuckDbEngine.class);
		// the shared instance and the facts writer's are held to the same limits (a
		// statement that failed is closed: one each)
		for (DuckDbConnections instance : List.<DuckDbConnections>of(engine::connection, engine::writerConnection)) {
			try (Connection c = instance.open()) {
				for (String sql : List.of("SELECT * FROM read_json('" + outside + "')",
						"SELECT * FROM read_csv('/etc/passwd')")) {
					try (Statement s = c.createStatement()) {
						assertThatThrownBy(() -> s.executeQuery(sql)).hasMessageContaining("ermission");
					}
				}
				for (String sql : List.of("SET enable_external_access = true", "SET threads = 4")) {
					try (Statement s = c.createStatement()) {
						assertThatThrownBy(() -> s.execute(sql)).hasMessageContaining("locked");
					}
				}
			}
		}
		try (Connection c = engine.writerConnection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT current_setting('threads')")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getLong(1)).isEqualTo(1);
		}
	}

	/** One of the engine's connection methods. */
	@FunctionalInterface
	private interface DuckDbConnections {

		Connection open() throws SQLException;

	}

	private static String line(String id, int output) {
		return "{\"type\":\"assistant\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"requestId\":\"r\",\"message\":{\"id\":\""
				+ id + "\",\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output
				+ "}}}\n";
	}

}
