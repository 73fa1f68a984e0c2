/**
 * The worker: scanning, ingest and background jobs.
 */
package dev.cctracer.worker;
