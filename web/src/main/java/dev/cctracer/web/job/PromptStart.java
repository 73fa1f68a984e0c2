package dev.cctracer.web.job;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobSteward;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Starts an enqueued on-demand job now rather than at the next poll of this process's
 * JobRunr server. JobRunr's open-source server polls its storage every 5 s at the least,
 * so a search, a query or an export waited up to 5 s (2.5 s on average) before it began —
 * longer than most of them run. A worker of the server that finishes a job takes new work
 * at once ({@link JobSteward#notifyThreadIdle}); this does the same after an enqueue, on
 * a thread of its own (a poke that comes while one waits to run is dropped: the waiting
 * one takes both jobs; one that finds the server already taking work leaves the job to
 * that round or the next poll). Without a running server in this process (a web-only
 * process of a team, its workers elsewhere, or processing paused by a storage fault)
 * nothing changes: the jobs start at a poll. The thread is never interrupted: it may be
 * querying an embedded H2 database, which an interrupt can corrupt.
 */
@Component
class PromptStart {

	private static final Logger log = LoggerFactory.getLogger(PromptStart.class);

	private final ObjectProvider<BackgroundJobServer> server;

	private final ThreadPoolExecutor executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
			new ArrayBlockingQueue<>(1), (task) -> {
				Thread t = new Thread(task, "cctracer-job-start");
				t.setDaemon(true);
				return t;
			}, new ThreadPoolExecutor.DiscardPolicy());

	PromptStart(ObjectProvider<BackgroundJobServer> server) {
		this.server = server;
	}

	/** Asks this process's server, if any, to take enqueued work now. */
	void now() {
		BackgroundJobServer jobs = this.server.getIfAvailable();
		if (jobs == null || !jobs.isRunning() || jobs.isNotReadyToProcessJobs()) {
			return;
		}
		this.executor.execute(() -> {
			try {
				JobSteward steward = jobs.getJobSteward();
				// as a worker that ends a job: occupied, then idle, which onboards new
				// work
				steward.notifyThreadOccupied();
				steward.notifyThreadIdle();
			}
			catch (RuntimeException ex) {
				// the next poll starts the job
				log.debug("starting enqueued jobs now failed: {}", ex.toString());
			}
		});
	}

	/** Lets a running poke end (a few milliseconds) without interrupting it. */
	@PreDestroy
	void stop() throws InterruptedException {
		this.executor.shutdown();
		this.executor.awaitTermination(5, TimeUnit.SECONDS);
	}

}
