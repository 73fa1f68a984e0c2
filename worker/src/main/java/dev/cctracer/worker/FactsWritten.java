package dev.cctracer.worker;

/**
 * Published when a facts sync of this process wrote segments.
 *
 * @param segments segment records written
 * @param bytes transcript bytes parsed for them (bytes)
 */
public record FactsWritten(int segments, long bytes) {

}
