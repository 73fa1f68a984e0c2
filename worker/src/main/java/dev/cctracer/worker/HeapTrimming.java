package dev.cctracer.worker;

/**
 * Published by the heap trim on its own thread just before it runs its full collections
 * (at the end of a burst of work, or after idle time): whoever keeps memory it can
 * rebuild on demand (a cache, buffers kept for reuse) drops it now, so that the
 * collections give it back to the operating system. A listener must be quick, must not
 * wait for an ingest, and must not drop what a running ingest relies on.
 */
public record HeapTrimming() {

}
