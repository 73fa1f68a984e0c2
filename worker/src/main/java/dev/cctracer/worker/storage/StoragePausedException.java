package dev.cctracer.worker.storage;

import dev.cctracer.worker.StorageFault;

/**
 * Work that writes the database was refused because the storage is at fault; it is done
 * again once the storage has recovered (the scan after recovery finds what changed).
 */
public class StoragePausedException extends IllegalStateException {

	public StoragePausedException(StorageFault fault) {
		super("ingest paused: " + fault.cause());
	}

}
