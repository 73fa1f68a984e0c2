package dev.cctracer.worker;

/**
 * Work that writes the database (an ingest, a job, a new job's record) was refused
 * because the storage is at fault; it can be done again once the storage has recovered
 * (the scan after recovery finds what changed; a job is asked for again). The web answers
 * it 503 {@code Storage fault} with the fault's cause.
 */
public class StoragePausedException extends IllegalStateException {

	private final transient StorageFault fault;

	/**
	 * @param fault the fault in force
	 */
	public StoragePausedException(StorageFault fault) {
		super("refused while the storage is at fault: " + fault.cause());
		this.fault = fault;
	}

	/** The fault that refused the work. */
	public StorageFault fault() {
		return this.fault;
	}

}
