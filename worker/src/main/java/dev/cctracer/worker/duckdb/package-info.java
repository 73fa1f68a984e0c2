/**
 * The one DuckDB instance of the process and the SQL helpers every DuckDB job shares: the
 * counting rules over raw JSONL and Parquet, the committed-files snapshot, the price
 * table as a DuckDB table.
 */
@NonNullApi
package dev.cctracer.worker.duckdb;

import org.springframework.lang.NonNullApi;
