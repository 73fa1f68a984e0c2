package dev.cctracer.worker.indexing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.worker.TracerProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker of several ({@code cctracer.ingest.startup=jobs}) scans its own machine at
 * start and enqueues the ingest batches of its files, which the workers of its machine
 * share; it no longer enqueues a scan job any worker may take (another machine's worker
 * took it and scanned its own disk: a team trial's second machine waited for its local
 * scan).
 */
class StartUpScanTests {

	@TempDir
	Path tmp;

	@Test
	void aWorkerOfSeveralEnqueuesTheIngestBatchesOfItsOwnFilesAtStart() throws Exception {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		for (int i = 1; i <= 3; i++) {
			String session = "aaaaaaaa-0000-4000-8000-00000000000" + i;
			Files.writeString(project.resolve(session + ".jsonl"),
					IngestIntegrationTests.assistant("m" + i, "r" + i, i, session, false));
		}
		// no job server here: the jobs stay queued for the test to read
		try (TracerContext worker = TracerContext.startWithArgs(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"--jobrunr.background-job-server.enabled=false", "--cctracer.ingest.enabled=true",
				"--cctracer.ingest.startup=jobs", "--cctracer.ingest.batch-files=2", "--cctracer.origin=alice")) {
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(jobs(worker, "IngestFilesJobRequest")).isEqualTo(2));
			assertThat(jobs(worker, "ScanJobRequest")).isZero();
			// the files are this machine's, not yet read
			assertThat(worker.jdbc()
				.sql("SELECT COUNT(*) FROM source_file WHERE origin = 'alice'")
				.query(Long.class)
				.single()).isEqualTo(3);
			assertThat(worker.projectTotals()).containsEntry("-p", List.of(0L, 0L, 0L));
		}
	}

	/**
	 * The admin console's "Rescan now" of a web-only process reaches every worker: each
	 * scans its own machine's files within seconds of the request (a scan job went to one
	 * worker, which scanned its own disk: a team trial's second machine never saw it).
	 */
	@Test
	void aWorkerOfSeveralScansItsFilesWhenARescanIsAsked() throws Exception {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		String session = "aaaaaaaa-0000-4000-8000-000000000001";
		try (TracerContext worker = TracerContext.startWithArgs(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"--jobrunr.background-job-server.enabled=false", "--cctracer.ingest.enabled=true",
				"--cctracer.ingest.startup=jobs", "--cctracer.origin=alice")) {
			// written after the start-up scan, no local scan for an hour
			Thread.sleep(500);
			Files.writeString(project.resolve(session + ".jsonl"),
					IngestIntegrationTests.assistant("m1", "r1", 7, session, false));
			Thread.sleep(2 * ScanJobs.RESCAN_POLL_MS + 500);
			assertThat(worker.projectTotals()).doesNotContainKey("-p");
			worker.context.getBean(MetaRepository.class)
				.setLong(MetaRepository.RESCAN_ASKED_AT, System.currentTimeMillis());
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(worker.projectTotals()).containsEntry("-p", List.of(1L, 7L, 0L)));
		}
	}

	/**
	 * Two machines with one origin (a team trial marked one's files deleted from the
	 * other's scans): the worker that finds another host's recent claim on its origin
	 * says so once, and records its own.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aWorkerSaysWhenAnotherHostScansItsOrigin(CapturedOutput output) throws Exception {
		try (TracerContext worker = TracerContext.startWithArgs(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"--jobrunr.background-job-server.enabled=false", "--cctracer.ingest.enabled=true",
				"--cctracer.ingest.startup=jobs", "--cctracer.origin=alice")) {
			MetaRepository meta = worker.context.getBean(MetaRepository.class);
			assertThat(meta.getText("origin_host:alice"))
				.hasValueSatisfying((v) -> assertThat(v).startsWith(TracerProperties.hostName() + " "));
			assertThat(output).doesNotContain("is also scanned by host");
			meta.setText("origin_host:alice", "laptop-of-bob " + (System.currentTimeMillis() - 30_000));
			ScanJobs scans = worker.context.getBean(ScanJobs.class);
			scans.claimOrigin();
			meta.setText("origin_host:alice", "laptop-of-bob " + System.currentTimeMillis());
			scans.claimOrigin();
			assertThat(output).containsOnlyOnce("origin alice is also scanned by host laptop-of-bob (30 s ago): "
					+ "two machines with one cctracer.origin mark each other's transcripts deleted");
			assertThat(meta.getText("origin_host:alice"))
				.hasValueSatisfying((v) -> assertThat(v).startsWith(TracerProperties.hostName() + " "));
		}
	}

	/** The jobs in JobRunr's storage whose request is of {@code type}. */
	private static long jobs(TracerContext worker, String type) {
		return worker.jdbc()
			.sql("SELECT COUNT(*) FROM jobrunr_jobs WHERE jobAsJson LIKE :type")
			.param("type", "%" + type + "%")
			.query(Long.class)
			.single();
	}

}
