/**
 * The DuckDB instances of the process, the shared one and the facts writer's (memory,
 * threads, allowed directories, the redaction macros), and the price table as a DuckDB
 * table.
 */
@NonNullApi
package dev.cctracer.worker.duckdb;

import org.springframework.lang.NonNullApi;
