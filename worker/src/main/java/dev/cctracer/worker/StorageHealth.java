package dev.cctracer.worker;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Set;

import dev.cctracer.shared.log.Causes;

/**
 * The health of the data dir's storage, as the web shows it: the fault in force, the last
 * recovery, and a failure to report.
 */
public interface StorageHealth {

	/** The fault in force, if any. */
	Optional<StorageFault> fault();

	/**
	 * Refuses work that writes the database (an ingest, a new job) while a fault is in
	 * force.
	 * @throws StoragePausedException naming the fault
	 */
	default void checkWritable() {
		Optional<StorageFault> current = fault();
		if (current.isPresent()) {
			throw new StoragePausedException(current.get());
		}
	}

	/** The last recovery of this process, if any. */
	Optional<StorageRecovered> lastRecovery();

	/**
	 * Tells that work failed: when the failure looks like storage and a check finds the
	 * data dir or the database at fault, ingest pauses at once.
	 * @param failure what the work threw
	 * @return the fault now in force (found now or before), if any
	 */
	Optional<StorageFault> failed(Throwable failure);

	/**
	 * H2's error codes of a storage fault: database closed (90098), I/O errors (90028,
	 * 90031), no disk space (90100), file corrupted (90030), database shut down (90121),
	 * database read only (90097). A general error (50000) counts when an MVStore
	 * exception caused it.
	 */
	Set<Integer> H2_STORAGE_CODES = Set.of(90098, 90028, 90031, 90100, 90030, 90121, 90097);

	/**
	 * Whether a failure's causes include an I/O error, an MVStore error or one of H2's
	 * storage error codes ({@link #H2_STORAGE_CODES}).
	 */
	static boolean isStorageFailure(Throwable failure) {
		for (Throwable t : Causes.chain(failure)) {
			if (t instanceof IOException || t.getClass().getName().equals("org.h2.mvstore.MVStoreException")) {
				return true;
			}
			if (t instanceof SQLException sql
					&& (H2_STORAGE_CODES.contains(sql.getErrorCode()) || (sql.getErrorCode() == 50000
							&& String.valueOf(sql.getMessage()).contains("MVStoreException")))) {
				return true;
			}
		}
		return false;
	}

}
