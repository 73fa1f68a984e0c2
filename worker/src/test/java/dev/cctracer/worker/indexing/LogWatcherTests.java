package dev.cctracer.worker.indexing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link LogWatcher}: a project dir renamed on disk is seen at once, not at the next
 * recurring scan (an hour here): the new dir's transcripts are read and the old dir's
 * marked deleted, so the usage counts under the new name (a trial saw both names live for
 * up to 30 s, the sessions listed twice). Hand-set: outputs 5 and 7.
 */
class LogWatcherTests {

	private static final String S1 = "aaaaaaaa-0000-4000-8000-000000000001";

	@TempDir
	Path tmp;

	private TracerContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void aProjectDirRenamedOnDiskCountsUnderItsNewNameAtOnce() throws Exception {
		Path projects = Files.createDirectories(this.tmp.resolve("claude/projects"));
		Path old = Files.createDirectories(projects.resolve("-a-old")).resolve(S1 + ".jsonl");
		Files.writeString(old, IngestIntegrationTests.assistant("m1", "r1", 5, S1, false)
				+ IngestIntegrationTests.assistant("m2", "r2", 7, S1, false));
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.ingest.watch=true", "cctracer.ingest.enabled=true", "cctracer.ingest.scan-interval=1h");
		await().atMost(Duration.ofSeconds(30))
			.until(() -> this.app.projectTotals().getOrDefault("-a-old", List.of(0L)).get(0) == 2);
		Files.move(old.getParent(), projects.resolve("-b-new"));
		await().atMost(Duration.ofSeconds(20))
			.untilAsserted(() -> assertThat(this.app.projectTotals()).containsEntry("-a-old", List.of(0L, 0L, 0L))
				.containsEntry("-b-new", List.of(2L, 12L, 0L)));
		assertThat(this.app.jdbc()
			.sql("SELECT COUNT(*) FROM source_file WHERE deleted = FALSE AND project_dir = '-a-old'")
			.query(Long.class)
			.single()).isZero();
	}

}
