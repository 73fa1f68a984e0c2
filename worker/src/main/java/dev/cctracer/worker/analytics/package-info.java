/**
 * Heavy analytics over all transcripts with DuckDB, run as jobs.
 */
package dev.cctracer.worker.analytics;
