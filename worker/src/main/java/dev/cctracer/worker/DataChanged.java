package dev.cctracer.worker;

/**
 * Published after an ingest commit in this process changed counted data.
 *
 * @param files files whose offsets moved or that were marked deleted
 */
public record DataChanged(int files) {

}
