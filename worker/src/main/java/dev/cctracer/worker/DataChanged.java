package dev.cctracer.worker;

/**
 * Published after an ingest commit or a re-pricing in this process changed counted data
 * (and the data version).
 *
 * @param files files whose offsets moved or that were marked deleted (0 for a re-pricing)
 */
public record DataChanged(int files) {

}
