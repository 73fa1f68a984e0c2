package dev.cctracer.worker;

/**
 * Published when an ingest run of this process ends, after its last commit, if it read or
 * removed files.
 *
 * @param files files read or marked deleted
 * @param bytes transcript bytes read (bytes)
 */
public record IngestFinished(int files, long bytes) {

}
