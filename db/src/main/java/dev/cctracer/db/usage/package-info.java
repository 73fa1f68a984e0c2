/**
 * Usage copies (for the global dedup) and the rollups every endpoint reads.
 */
package dev.cctracer.db.usage;
