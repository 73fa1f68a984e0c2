package dev.cctracer.worker;

import java.time.Duration;
import java.time.Instant;

/**
 * Published once the storage works again after a fault: the database pool was renewed and
 * JobRunr's background server restarted; ingest may resume.
 *
 * @param cause the fault that ended
 * @param at when it ended (UTC)
 * @param lasted how long it lasted
 */
public record StorageRecovered(String cause, Instant at, Duration lasted) {

}
