/**
 * Jobs the application issued and their results.
 */
package dev.cctracer.db.job;
