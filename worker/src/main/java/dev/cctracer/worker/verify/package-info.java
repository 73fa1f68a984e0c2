/**
 * Rebuild and verify: every total recomputed with DuckDB and compared with the
 * incremental totals.
 */
package dev.cctracer.worker.verify;
