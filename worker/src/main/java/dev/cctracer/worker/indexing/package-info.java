/**
 * Indexing: the single ingest thread ({@link dev.cctracer.worker.indexing.Indexer}), the
 * scan of the roots, incremental ingest with guarded, transactional offsets, file
 * watching, and the scan and ingest job handlers.
 */
@NonNullApi
package dev.cctracer.worker.indexing;

import org.springframework.lang.NonNullApi;
