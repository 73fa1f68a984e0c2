/**
 * Faults of the data dir's storage (a full disk, a read-only or vanished dir, a database
 * H2 closed after a failed write): found, named, ingest paused, and recovered from
 * without a restart.
 */
@NonNullApi
package dev.cctracer.worker.storage;

import org.springframework.lang.NonNullApi;
