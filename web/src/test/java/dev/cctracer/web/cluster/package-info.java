/**
 * Process-level tests: the built web and worker jars as separate processes on one
 * PostgreSQL.
 */
package dev.cctracer.web.cluster;
