package dev.cctracer.worker;

/**
 * Published when an ingest run of this process begins with transcript bytes to read,
 * before it reads any (listeners run on the ingest's thread, before its first parse).
 *
 * @param files files the run will look at
 * @param bytes transcript bytes past their committed offsets, as last seen (bytes)
 */
public record IngestStarting(int files, long bytes) {

}
