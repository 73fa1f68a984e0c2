/**
 * Rebuild and verify: every file's committed lines read again from scratch in one pass,
 * the dedup rule applied once over all copies in a scratch database, and each file's
 * totals compared with the incremental engine's.
 */
package dev.cctracer.worker.verify;
