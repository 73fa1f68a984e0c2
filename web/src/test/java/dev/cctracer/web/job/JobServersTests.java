package dev.cctracer.web.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JobServers}: a server counts as alive while it runs and beat within a
 * minute, on JobRunr's own storage.
 */
class JobServersTests {

	private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");

	private final InMemoryStorageProvider storage = new InMemoryStorageProvider();

	private final JobServers servers = new JobServers(this.storage, Clock.fixed(NOW, ZoneOffset.UTC));

	@Test
	void noServerAtAllIsNoneAlive() {
		assertThat(this.servers.anyAlive()).isFalse();
	}

	@Test
	void aRunningServerThatBeatWithinAMinuteIsAlive() {
		announce("worker-1", NOW.minusSeconds(10), true);
		assertThat(this.servers.anyAlive()).isTrue();
	}

	@Test
	void aServerSilentForMoreThanAMinuteOrStoppedIsNot() {
		announce("worker-1", NOW.minus(JobServers.ALIVE_WITHIN).minusSeconds(1), true);
		announce("worker-2", NOW.minusSeconds(5), false);
		assertThat(this.servers.anyAlive()).isFalse();
	}

	private void announce(String name, Instant lastHeartbeat, boolean running) {
		this.storage.announceBackgroundJobServer(
				new BackgroundJobServerStatus(UUID.randomUUID(), name, 2, 5, Duration.ofHours(36), Duration.ofHours(72),
						lastHeartbeat.minusSeconds(600), lastHeartbeat, running, 0L, 0L, 0.0, 0L, 0L, 0L, 0.0));
	}

}
