package dev.cctracer.worker;

/**
 * Published by the heap trim on its own thread when a burst of work is over (its facts
 * written, or idle time after it) or an idle process's heap grew, just before the trim's
 * full collections if it runs any: whoever keeps memory it can rebuild on demand (a
 * cache, buffers kept for reuse) drops it now, so that the collections give it back to
 * the operating system. A listener should be quick (the trim waits for it) and must not
 * drop what a running ingest relies on.
 */
public record HeapTrimming() {

}
