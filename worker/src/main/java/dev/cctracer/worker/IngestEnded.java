package dev.cctracer.worker;

/**
 * Published when an ingest run that published {@link IngestStarting} ends, whether it
 * committed everything, failed or was interrupted (unlike {@link IngestFinished}, which
 * follows only a run that read or removed files and did not fail).
 *
 * @param files files the run looked at, as its {@link IngestStarting}
 * @param bytes transcript bytes it had to read, as its {@link IngestStarting} (bytes)
 */
public record IngestEnded(int files, long bytes) {

}
