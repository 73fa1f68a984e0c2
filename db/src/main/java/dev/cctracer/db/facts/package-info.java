/**
 * Per-file facts besides the usage rollups: the API errors Claude Code logged, the lines
 * of entry types this version does not know, by name, and the entry-level fact segments
 * (Parquet written from the ingest's parser) the analytics read.
 */
package dev.cctracer.db.facts;
