package dev.cctracer.worker.startup;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.worker.indexing.TracerContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A worker process stays up while JobRunr's server is stopped (the storage guard stops it
 * in a database outage): a worker that had never run an ingest of its own had no
 * non-daemon thread left then and its JVM exited with code 0 in the outage (a team
 * trial), which a service manager's restart-on-failure does not restart.
 */
class KeepAliveTests {

	@TempDir
	Path tmp;

	@Test
	void aWorkerHoldsANonDaemonThreadOfItsOwnUntilItIsStopped() {
		// as a team's worker runs: no ingest of its own yet, JobRunr's server off
		try (TracerContext worker = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"))) {
			assertThat(keepAlive()).isTrue();
		}
		await().atMost(Duration.ofSeconds(10)).until(() -> !keepAlive());
	}

	private static boolean keepAlive() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.anyMatch((t) -> t.isAlive() && !t.isDaemon() && "keep-alive".equals(t.getName()));
	}

}
