package dev.cctracer.web.job;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.StorageProvider;

import org.springframework.stereotype.Component;

/**
 * Whether any JobRunr background job server (a worker, or this process's own) is alive: a
 * web-only process enqueues jobs that only a worker runs, and with none running a search
 * said "Searching…" for ever (a team trial).
 */
@Component
class JobServers {

	/**
	 * A server whose last heartbeat is older than this is taken for gone: JobRunr's
	 * servers beat every poll interval (5 s here by default; JobRunr's own default 15 s)
	 * and time out after four.
	 */
	static final Duration ALIVE_WITHIN = Duration.ofSeconds(60);

	/**
	 * What a job waiting for want of a server says (the status API's {@code waiting}).
	 */
	static final String NONE_RUNNING = "no worker is running: the job starts when one does "
			+ "(java -jar cctracer-worker-exec.jar on the same database, docs/operations.md)";

	private final StorageProvider storage;

	private final Clock clock;

	JobServers(StorageProvider storage, Clock clock) {
		this.storage = storage;
		this.clock = clock;
	}

	/** Whether a running server has sent a heartbeat within {@link #ALIVE_WITHIN}. */
	boolean anyAlive() {
		Instant since = this.clock.instant().minus(ALIVE_WITHIN);
		for (BackgroundJobServerStatus server : this.storage.getBackgroundJobServers()) {
			if (server.isRunning() && server.getLastHeartbeat() != null && server.getLastHeartbeat().isAfter(since)) {
				return true;
			}
		}
		return false;
	}

}
