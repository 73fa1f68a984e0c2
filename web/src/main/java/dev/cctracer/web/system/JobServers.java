package dev.cctracer.web.system;

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
public class JobServers {

	/**
	 * A server whose last heartbeat is older than this is taken for gone: JobRunr's
	 * servers beat every poll interval (5 s here by default; JobRunr's own default 15 s)
	 * and time out after four.
	 */
	static final Duration ALIVE_WITHIN = Duration.ofSeconds(60);

	/**
	 * What a job waiting for want of a server says (the status API's {@code waiting}).
	 */
	public static final String NONE_RUNNING = "no worker is running: the job starts when one does "
			+ "(java -jar cctracer-worker-exec.jar on the same database, docs/operations.md)";

	private final StorageProvider storage;

	private final Clock clock;

	/** How long an answer of {@link #anyAlive} is reused. */
	static final Duration LOOK_EVERY = Duration.ofSeconds(5);

	private volatile boolean alive;

	private volatile Instant lookedAt;

	public JobServers(StorageProvider storage, Clock clock) {
		this.storage = storage;
		this.clock = clock;
	}

	/**
	 * Whether a running server has sent a heartbeat within {@link #ALIVE_WITHIN}; looked
	 * up in JobRunr's storage at most every {@link #LOOK_EVERY} (open pages poll
	 * {@code /health}).
	 */
	public boolean anyAlive() {
		Instant now = this.clock.instant();
		Instant looked = this.lookedAt;
		if (looked != null && now.isBefore(looked.plus(LOOK_EVERY)) && !now.isBefore(looked)) {
			return this.alive;
		}
		Instant since = now.minus(ALIVE_WITHIN);
		boolean any = false;
		for (BackgroundJobServerStatus server : this.storage.getBackgroundJobServers()) {
			if (server.isRunning() && server.getLastHeartbeat() != null && server.getLastHeartbeat().isAfter(since)) {
				any = true;
				break;
			}
		}
		this.alive = any;
		this.lookedAt = now;
		return any;
	}

}
