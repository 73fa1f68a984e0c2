package dev.cctracer.worker.indexing;

import java.nio.file.Path;

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

	public static TracerContext start(Path claudeDir, Path dataDir, String... extraProperties) {
		return new TracerContext(new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + claudeDir, "cctracer.data-dir=" + dataDir,
					"cctracer.ingest.watch=false", "cctracer.ingest.scan-interval=1h", "cctracer.ingest.enabled=false",
					"jobrunr.background-job-server.enabled=false", "spring.main.banner-mode=off",
					"logging.level.root=WARN")
			.properties(extraProperties)
			.run());
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

	@Override
	public void close() {
		this.context.close();
	}

}
