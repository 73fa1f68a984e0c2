/**
 * Incremental ingest of transcript files with guarded, transactional offsets.
 */
package dev.cctracer.worker.ingest;
