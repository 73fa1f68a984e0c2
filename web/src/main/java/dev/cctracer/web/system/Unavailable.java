package dev.cctracer.web.system;

import java.sql.SQLTransientConnectionException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.jdbc.CannotGetJdbcConnectionException;

import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.worker.StorageFault;
import dev.cctracer.worker.StorageHealth;
import dev.cctracer.worker.StoragePausedException;

/**
 * A request that failed because the app's storage cannot serve it now, as a 503's title
 * and detail (the API's problem and the pages' error page alike): a storage fault the
 * guard names (a full disk, a database server away; work refused for one), or no database
 * connection within the pool's wait (a server frozen or overloaded before the guard has
 * named anything).
 *
 * @param title the problem's title
 * @param detail what is wrong and that it passes without a restart (the pool's own words
 * stay in the log, a WARN line at most every 10 s)
 */
public record Unavailable(String title, String detail) {

	private static final Logger log = LoggerFactory.getLogger(Unavailable.class);

	private static final long WARNING_EVERY_MS = 10_000;

	private static final AtomicLong LAST_WARNING = new AtomicLong(-WARNING_EVERY_MS);

	/**
	 * What made {@code failure} a 503, if it is one.
	 * @param storage the storage guard, or {@code null} in a process without one
	 */
	public static Optional<Unavailable> of(Throwable failure, StorageHealth storage) {
		StoragePausedException refused = Causes.find(failure, StoragePausedException.class);
		Optional<StorageFault> fault = (refused != null) ? Optional.of(refused.fault())
				: (storage != null) ? storage.failed(failure) : Optional.empty();
		if (fault.isPresent()) {
			return Optional.of(new Unavailable("Storage fault", fault.get().cause() + (fault.get().needsRestart() ? ""
					: "; the app recovers by itself once it is fixed, without a restart")));
		}
		if (Causes.find(failure, CannotGetJdbcConnectionException.class) != null
				|| Causes.find(failure, SQLTransientConnectionException.class) != null) {
			long now = System.currentTimeMillis();
			long last = LAST_WARNING.get();
			if (now - last >= WARNING_EVERY_MS && LAST_WARNING.compareAndSet(last, now)) {
				// a pool exhausted under load, or a database frozen: said in the log, at
				// most every 10 s
				log.warn("requests answered 503: no database connection within the pool's wait ({})",
						LogText.safe(Causes.reason(failure)));
			}
			return Optional.of(new Unavailable("Database unavailable",
					"no database connection within the pool's wait; try again shortly"));
		}
		return Optional.empty();
	}

}
