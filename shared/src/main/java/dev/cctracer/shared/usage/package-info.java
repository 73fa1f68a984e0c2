/**
 * The global dedup rule for usage records.
 */
package dev.cctracer.shared.usage;
