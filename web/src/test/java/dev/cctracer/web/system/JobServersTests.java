package dev.cctracer.web.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;

import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.InMemoryStorageProvider;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link JobServers}: a server counts as alive while it runs and beat within a
 * minute, on JobRunr's own storage.
 */
class JobServersTests {

	private static final Instant NOW = Instant.parse("2026-12-07T01:00:00Z");

	private final InMemoryStorageProvider storage = new InMemoryStorageProvider();

	private final MutableClock clock = new MutableClock(NOW);

	private final StaticListableBeanFactory beans = new StaticListableBeanFactory();

	private final JobServers servers = new JobServers(this.storage, this.clock,
			this.beans.getBeanProvider(BackgroundJobServer.class));

	@Test
	void noServerAtAllIsNoneAlive() {
		assertThat(this.servers.anyAlive()).isFalse();
		// a web-only process: no worker runs
		assertThat(this.servers.waiting()).isEqualTo(JobServers.NONE_RUNNING);
	}

	/** A process with a job server of its own, stopped: it says so, not "no worker". */
	@Test
	void aProcessWhoseOwnServerStoppedSaysSo() {
		this.beans.addBean("backgroundJobServer", mock(BackgroundJobServer.class));
		assertThat(this.servers.waiting()).isEqualTo(JobServers.OWN_STOPPED);
	}

	@Test
	void aRunningServerThatBeatWithinAMinuteIsAlive() {
		announce("worker-1", NOW.minusSeconds(10), true);
		assertThat(this.servers.anyAlive()).isTrue();
		assertThat(this.servers.waiting()).isNull();
	}

	@Test
	void aServerSilentForMoreThanAMinuteOrStoppedIsNot() {
		announce("worker-1", NOW.minus(JobServers.ALIVE_WITHIN).minusSeconds(1), true);
		announce("worker-2", NOW.minusSeconds(5), false);
		assertThat(this.servers.anyAlive()).isFalse();
	}

	/** A server that polls every minute beats every minute: alive for four. */
	@Test
	void aServerThatPollsSeldomIsAliveForFourOfItsPolls() {
		this.storage.announceBackgroundJobServer(new BackgroundJobServerStatus(UUID.randomUUID(), "slow", 2, 60,
				Duration.ofHours(36), Duration.ofHours(72), NOW.minusSeconds(600), NOW.minusSeconds(200), true, 0L, 0L,
				0.0, 0L, 0L, 0L, 0.0));
		assertThat(this.servers.anyAlive()).isTrue();
	}

	/** A server that starts is seen within {@link JobServers#LOOK_EVERY}, not at once. */
	@Test
	void anAnswerIsReusedForAFewSeconds() {
		assertThat(this.servers.anyAlive()).isFalse();
		announce("worker-1", NOW, true);
		assertThat(this.servers.anyAlive()).isFalse();
		this.clock.now = NOW.plus(JobServers.LOOK_EVERY);
		assertThat(this.servers.anyAlive()).isTrue();
	}

	private void announce(String name, Instant lastHeartbeat, boolean running) {
		this.storage.announceBackgroundJobServer(
				new BackgroundJobServerStatus(UUID.randomUUID(), name, 2, 5, Duration.ofHours(36), Duration.ofHours(72),
						lastHeartbeat.minusSeconds(600), lastHeartbeat, running, 0L, 0L, 0.0, 0L, 0L, 0L, 0.0));
	}

	/** A clock a test moves. */
	private static final class MutableClock extends Clock {

		Instant now;

		MutableClock(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
