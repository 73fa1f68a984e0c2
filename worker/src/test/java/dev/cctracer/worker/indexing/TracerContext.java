package dev.cctracer.worker.indexing;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.worker.WorkerApplication;

/**
 * A real worker application context on an H2 file, started and stopped by the test (to
 * test restarts).
 */
public final class TracerContext implements AutoCloseable {

	public final ConfigurableApplicationContext context;

	private TracerContext(ConfigurableApplicationContext context) {
		this.context = context;
	}

	/**
	 * @param extraProperties default properties: they do not override the worker's
	 * application.properties (see {@link #startWithArgs})
	 */
	public static TracerContext start(Path claudeDir, Path dataDir, String... extraProperties) {
		return start(claudeDir, dataDir, extraProperties, new String[0]);
	}

	/**
	 * @param args command-line arguments ({@code --name=value}), which override the
	 * worker's application.properties (e.g. {@code spring.datasource.url})
	 */
	public static TracerContext startWithArgs(Path claudeDir, Path dataDir, String... args) {
		return start(claudeDir, dataDir, new String[0], args);
	}

	private static TracerContext start(Path claudeDir, Path dataDir, String[] extraProperties, String[] args) {
		return new TracerContext(new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + claudeDir, "cctracer.data-dir=" + dataDir,
					"cctracer.ingest.watch=false", "cctracer.ingest.scan-interval=1h", "cctracer.ingest.enabled=false",
					"jobrunr.background-job-server.enabled=false", "spring.main.banner-mode=off",
					"logging.level.root=WARN")
			.properties(extraProperties)
			.run(args));
	}

	public IngestService ingest() {
		return this.context.getBean(IngestService.class);
	}

	public Indexer indexer() {
		return this.context.getBean(Indexer.class);
	}

	public JdbcClient jdbc() {
		return this.context.getBean(JdbcClient.class);
	}

	/**
	 * Messages, output tokens and tool uses by project dir, deleted files included (what
	 * the project list sums).
	 */
	public Map<String, List<Long>> projectTotals() {
		Map<String, List<Long>> result = new TreeMap<>();
		jdbc()
			.sql("SELECT project_dir, SUM(messages), SUM(output_tokens), SUM(tool_uses) FROM source_file"
					+ " GROUP BY project_dir")
			.query((rs) -> {
				result.put(rs.getString(1), List.of(rs.getLong(2), rs.getLong(3), rs.getLong(4)));
			});
		return result;
	}

	@Override
	public void close() {
		this.context.close();
	}

}
