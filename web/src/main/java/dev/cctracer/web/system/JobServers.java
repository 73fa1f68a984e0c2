package dev.cctracer.web.system;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.storage.BackgroundJobServerStatus;
import org.jobrunr.storage.StorageProvider;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Whether any JobRunr background job server (a worker, or this process's own) is alive: a
 * web-only process enqueues jobs that only a worker runs, and with none running a search
 * said "Searching…" for ever (a team trial).
 */
@Component
public class JobServers {

	/**
	 * A server whose last heartbeat is older than this, or than four of its poll
	 * intervals if that is longer, is taken for gone: JobRunr's servers beat every poll
	 * interval (5 s here by default; JobRunr's own default 15 s) and time out after four.
	 */
	static final Duration ALIVE_WITHIN = Duration.ofSeconds(60);

	/** How long an answer of {@link #anyAlive} is reused. */
	static final Duration LOOK_EVERY = Duration.ofSeconds(5);

	/**
	 * What a job waiting for want of a server says (the status API's {@code waiting}).
	 */
	public static final String NONE_RUNNING = "no worker is running: the job starts when one does "
			+ "(java -jar cctracer-worker-exec.jar on the same database, docs/operations.md)";

	/** What a job waiting for this process's own stopped server says. */
	public static final String OWN_STOPPED = "this process's job server is stopped (a storage fault: /health says "
			+ "which): the job starts when it runs again";

	private final StorageProvider storage;

	private final Clock clock;

	private volatile boolean alive;

	private volatile Instant lookedAt;

	private final ObjectProvider<BackgroundJobServer> own;

	public JobServers(StorageProvider storage, Clock clock, ObjectProvider<BackgroundJobServer> own) {
		this.storage = storage;
		this.clock = clock;
		this.own = own;
	}

	/**
	 * Why an enqueued job has not started ({@link #NONE_RUNNING} in a process without a
	 * job server of its own, {@link #OWN_STOPPED} in one with), or {@code null} while a
	 * server is alive.
	 */
	public String waiting() {
		if (anyAlive()) {
			return null;
		}
		return (this.own.getIfAvailable() != null) ? OWN_STOPPED : NONE_RUNNING;
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
		boolean any = false;
		for (BackgroundJobServerStatus server : this.storage.getBackgroundJobServers()) {
			// a server polling less often than every 15 s beats less often too
			Duration polls = Duration.ofSeconds(4L * server.getPollIntervalInSeconds());
			Duration within = (polls.compareTo(ALIVE_WITHIN) > 0) ? polls : ALIVE_WITHIN;
			if (server.isRunning() && server.getLastHeartbeat() != null
					&& server.getLastHeartbeat().isAfter(now.minus(within))) {
				any = true;
				break;
			}
		}
		this.alive = any;
		this.lookedAt = now;
		return any;
	}

}
