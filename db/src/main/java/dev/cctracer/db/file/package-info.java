/**
 * Per-file ingest state: offsets, identity, counters and counted totals.
 */
package dev.cctracer.db.file;
