/**
 * File watching for near-instant ingest of appended lines.
 */
package dev.cctracer.worker.watch;
