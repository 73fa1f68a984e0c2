/**
 * The process's memory once a burst of work is over: the heap the JVM grew for a first
 * index or a load is given back to the operating system when the process goes idle, and
 * what the process can rebuild (the database's page cache, buffers kept for reuse) is
 * dropped first.
 */
@NonNullApi
package dev.cctracer.worker.memory;

import org.springframework.lang.NonNullApi;
