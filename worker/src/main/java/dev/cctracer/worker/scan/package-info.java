/**
 * Scanning the roots for changed transcripts, and the recurring scan job.
 */
package dev.cctracer.worker.scan;
