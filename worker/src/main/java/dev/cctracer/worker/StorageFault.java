package dev.cctracer.worker;

import java.time.Instant;

/**
 * A fault of the data dir's storage, as health and the admin console show it.
 *
 * @param cause what is wrong, in one line naming the dir, e.g.
 * {@code disk full on <data-dir> (0 MB free)}
 * @param since when it was first seen (UTC)
 * @param retries recovery attempts made since
 */
public record StorageFault(String cause, Instant since, int retries) {

	/**
	 * How a fault that only a restart mends ends its cause: a damaged H2 database, which
	 * the next start moves aside and rebuilds from the logs.
	 */
	public static final String RESTART = "restart cctracer to have it moved aside and rebuilt from the logs";

	/**
	 * Whether only a restart mends it ({@link #RESTART}); else the app recovers by
	 * itself.
	 */
	public boolean needsRestart() {
		return this.cause.endsWith(RESTART);
	}

	/** The same fault, retried once more, with its cause as now found. */
	public StorageFault retried(String cause) {
		return new StorageFault(cause, this.since, this.retries + 1);
	}

}
