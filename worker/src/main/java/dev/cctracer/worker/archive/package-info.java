/**
 * The Parquet archive of quiet, fully ingested transcripts.
 */
package dev.cctracer.worker.archive;
