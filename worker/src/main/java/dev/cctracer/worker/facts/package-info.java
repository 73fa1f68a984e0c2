/**
 * The entry-level facts every analytic reads:
 * {@link dev.cctracer.worker.facts.FactsStore} writes them as Parquet segments from the
 * ingest's own parser after each commit, the compaction job merges a file's segments, and
 * the counting sessions open DuckDB over them with the counting rules in SQL
 * ({@link dev.cctracer.worker.facts.CountingSql}).
 */
@NonNullApi
package dev.cctracer.worker.facts;

import org.springframework.lang.NonNullApi;
