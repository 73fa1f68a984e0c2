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
	 * A worker of several whose start-up batches another machine's worker took (and
	 * skipped) reads its files itself soon, not after its scan interval (a re-trial: a
	 * second machine's files waited 10 minutes): here no worker takes the batches at all.
	 */
	@Test
	void aWorkerOfSeveralReadsItsOwnFilesSoonWhenNoWorkerOfItsMachineTookThem() throws Exception {
		String session = "aaaaaaaa-0000-4000-8000-000000000001";
		Files.writeString(Files.createDirectories(this.tmp.resolve("claude/projects/-p")).resolve(session + ".jsonl"),
				IngestIntegrationTests.assistant("m1", "r1", 7, session, false));
		try (TracerContext worker = TracerContext.startWithArgs(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"--jobrunr.background-job-server.enabled=false", "--cctracer.ingest.enabled=true",
				"--cctracer.ingest.startup=jobs", "--cctracer.origin=alice", "--cctracer.ingest.scan-interval=10m")) {
			await().atMost(Duration.ofMillis(ScanJobs.FIRST_LOCAL_SCAN_MS + 20_000))
				.untilAsserted(() -> assertThat(worker.projectTotals()).containsEntry("-p", List.of(1L, 7L, 0L)));
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
			// no local scan for an hour; the start-up scan may find the file, but only
			// enqueues its ingest (no job server here)
			Files.writeString(project.resolve(session + ".jsonl"),
					IngestIntegrationTests.assistant("m1", "r1", 7, session, false));
			Thread.sleep(2 * ScanJobs.RESCAN_POLL_MS + 500);
			assertThat(worker.projectTotals()).doesNotContainEntry("-p", List.of(1L, 7L, 0L));
			worker.context.getBean(MetaRepository.class).increment(MetaRepository.RESCANS_ASKED);
			await().atMost(Duration.ofSeconds(30))
				.untilAsserted(() -> assertThat(worker.projectTotals()).containsEntry("-p", List.of(1L, 7L, 0L)));
		}
	}

	/**
	 * Two machines with one origin (a team trial marked one's files deleted from the
	 * other's scans): the worker that finds another reader's recent claim on its origin
	 * (other logs, whatever the host) says so once, and records its own; an old claim, or
	 * one of the same logs (a second worker of the machine), says nothing.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aWorkerSaysWhenAnotherMachineScansItsOrigin(CapturedOutput output) throws Exception {
		Files.createDirectories(this.tmp.resolve("claude/projects"));
		try (TracerContext worker = TracerContext.startWithArgs(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"--jobrunr.background-job-server.enabled=false", "--cctracer.ingest.enabled=true",
				"--cctracer.ingest.startup=jobs", "--cctracer.origin=alice", "--cctracer.ingest.scan-interval=1m")) {
			// a claim counts for 10 minutes (three scan intervals, 10 minutes at least)
			MetaRepository meta = worker.context.getBean(MetaRepository.class);
			String mine = meta.getText("origin_claim:alice").orElseThrow();
			assertThat(mine.split(" ", 3)[2]).isEqualTo(TracerProperties.hostName());
			OriginClaims claims = worker.context.getBean(OriginClaims.class);
			long now = System.currentTimeMillis();
			// a second worker of this machine (same logs, another host name: a container)
			meta.setText("origin_claim:alice", now + " " + mine.split(" ", 3)[1] + " container-2");
			claims.claim();
			// another machine, an hour ago
			meta.setText("origin_claim:alice", (now - 3_600_000) + " 0badc0de laptop-of-bob");
			claims.claim();
			assertThat(output).doesNotContain("is also scanned by host");
			// another machine, 30 s ago, twice
			meta.setText("origin_claim:alice", (now - 30_000) + " 0badc0de laptop-of-bob");
			claims.claim();
			meta.setText("origin_claim:alice", now + " 0badc0de laptop-of-bob");
			claims.claim();
			assertThat(output).containsOnlyOnce("origin alice is also scanned by host laptop-of-bob reading other logs "
					+ "(30 s ago): two machines with one cctracer.origin mark each other's transcripts deleted");
			assertThat(meta.getText("origin_claim:alice"))
				.hasValueSatisfying((v) -> assertThat(v).endsWith(" " + TracerProperties.hostName()));
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
