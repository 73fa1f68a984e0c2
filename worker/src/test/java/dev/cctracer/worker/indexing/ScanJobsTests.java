package dev.cctracer.worker.indexing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.jobrunr.scheduling.JobRequestScheduler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.shared.job.ScanJobRequest;
import dev.cctracer.worker.WorkerApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The JobRunr path: a scan job enqueues ingest jobs that JobRunr's background server
 * runs.
 */
class ScanJobsTests {

	@TempDir
	Path tmp;

	@Test
	void shouldIngestThroughQueuedJobsAndNotPileUpRepeatedScans() throws Exception {
		Path projects = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + this.tmp.resolve("claude"),
					"cctracer.data-dir=" + this.tmp.resolve("data"), "cctracer.ingest.watch=false",
					"cctracer.ingest.scan-interval=1h", "jobrunr.background-job-server.poll-interval-in-seconds=5",
					"spring.main.banner-mode=off", "logging.level.root=WARN")
			.run()) {
			JdbcClient jdbc = app.getBean(JdbcClient.class);
			await().atMost(Duration.ofSeconds(20))
				.until(() -> jdbc.sql("SELECT long_value FROM app_meta WHERE name = 'last_scan_at'")
					.query((rs, i) -> rs.getObject(1))
					.single() != null);
			// the start-up index found nothing; now a session appears and only jobs can
			// ingest it
			Files.writeString(projects.resolve("aaaaaaaa-0000-4000-8000-000000000001.jsonl"),
					"{\"type\":\"assistant\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"requestId\":\"r1\",\"message\":"
							+ "{\"id\":\"m1\",\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":3,\"output_tokens\":40}}}\n");
			JobRequestScheduler scheduler = app.getBean(JobRequestScheduler.class);
			scheduler.enqueue(new ScanJobRequest("test"));
			scheduler.enqueue(new ScanJobRequest("test again"));
			await().atMost(Duration.ofSeconds(40))
				.pollInterval(Duration.ofMillis(200))
				.untilAsserted(() -> assertThat(
						jdbc.sql("SELECT COALESCE(SUM(output_tokens), 0) FROM source_file").query(Long.class).single())
					.isEqualTo(40));
			// both scans saw the same change: one ingest job id, one ingest
			await().atMost(Duration.ofSeconds(20))
				.untilAsserted(() -> assertThat(
						jdbc.sql("SELECT COUNT(*) FROM jobrunr_jobs WHERE jobsignature LIKE '%IngestFilesJobHandler%'")
							.query(Long.class)
							.single())
					.isEqualTo(1));
			assertThat(jdbc.sql("SELECT opened_count FROM source_file").query(Long.class).single()).isEqualTo(1);
		}
	}

	/**
	 * A file rewritten in place at the same size between its head and the KiB before its
	 * committed offset (which no fingerprint covers) is read again once quiet: the scans
	 * before saw the same size and mtime, and the one after it turned quiet enqueued the
	 * id of the job that had already run (a no-op), so it was never read again while the
	 * app ran (a trial: an edited {@code output_tokens} uncounted after 7 minutes).
	 */
	@Test
	void aFileRewrittenInPlaceIsReadAgainOnceQuiet() throws Exception {
		Path projects = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		Path file = projects.resolve("aaaaaaaa-0000-4000-8000-000000000002.jsonl");
		String line = "{\"type\":\"assistant\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"requestId\":\"r2\","
				+ "\"message\":{\"id\":\"m2\",\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":3,"
				+ "\"output_tokens\":40}}}\n";
		// user lines of 1.5 KB around it: its count lies past the head's KiB and before
		// the last KiB read
		String padding = "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\"" + "x".repeat(1500)
				+ "\"}}\n";
		Files.writeString(file, padding + line + padding);
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + this.tmp.resolve("claude"),
					"cctracer.data-dir=" + this.tmp.resolve("data"), "cctracer.ingest.watch=false",
					"cctracer.ingest.scan-interval=1h", "cctracer.ingest.quiet-tail=15s",
					"jobrunr.background-job-server.poll-interval-in-seconds=5", "spring.main.banner-mode=off",
					"logging.level.root=WARN")
			.run()) {
			JdbcClient jdbc = app.getBean(JdbcClient.class);
			await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(output(jdbc)).isEqualTo(40));
			// an editor or a sync tool rewrites it, same size: 40 → 90 output tokens
			Files.writeString(file, padding + line.replace("\"output_tokens\":40", "\"output_tokens\":90") + padding);
			long written = System.currentTimeMillis();
			JobRequestScheduler scheduler = app.getBean(JobRequestScheduler.class);
			// a scan while it may still be an append in flight: not read
			scheduler.enqueue(new ScanJobRequest("not quiet yet"));
			Thread.sleep(8_000);
			assertThat(output(jdbc)).isEqualTo(40);
			// once quiet, the next scan reads it again, from 0
			Thread.sleep(Math.max(0, written + 16_000 - System.currentTimeMillis()));
			scheduler.enqueue(new ScanJobRequest("quiet"));
			await().atMost(Duration.ofSeconds(30))
				.pollInterval(Duration.ofMillis(250))
				.untilAsserted(() -> assertThat(output(jdbc)).isEqualTo(90));
		}
	}

	private static long output(JdbcClient jdbc) {
		return jdbc.sql("SELECT COALESCE(SUM(output_tokens), 0) FROM source_file").query(Long.class).single();
	}

}
