/**
 * The worker's public face, the only package the web uses: its configuration
 * ({@link dev.cctracer.worker.WorkerConfiguration},
 * {@link dev.cctracer.worker.TracerProperties}), the Claude roots, the data-changed
 * event, the launcher and slow log, and small facades for index control, search, a
 * session's timeline from the facts, storage health and price administration. Its
 * features live in the subpackages: {@code indexing}, {@code facts}, {@code duckdb},
 * {@code analytics}, {@code verify}, {@code archive}, {@code pricing}, {@code storage},
 * {@code startup}.
 */
package dev.cctracer.worker;
