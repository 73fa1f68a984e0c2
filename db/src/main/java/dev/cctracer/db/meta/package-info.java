/**
 * Small named values and the ingest lock.
 */
package dev.cctracer.db.meta;
