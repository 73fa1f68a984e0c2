/**
 * The Parquet archive's table ({@code parquet_file}): which transcripts have a Parquet
 * copy valid for their committed bytes.
 */
@NonNullApi
package dev.cctracer.db.archive;

import org.springframework.lang.NonNullApi;
