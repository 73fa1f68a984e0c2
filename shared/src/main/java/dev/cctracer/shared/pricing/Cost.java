package dev.cctracer.shared.pricing;

/**
 * The cost of one usage record in pico-USD, split like the API's {@code cost} object.
 *
 * @param input cost of input tokens
 * @param output cost of output tokens
 * @param cacheWrite cost of cache writes (5m and 1h)
 * @param cacheRead cost of cache reads
 * @param priced false when the model has no price (the cost is then 0 and flagged)
 */
public record Cost(long input, long output, long cacheWrite, long cacheRead, boolean priced) {

	public static final Cost UNPRICED = new Cost(0, 0, 0, 0, false);

	public long total() {
		return this.input + this.output + this.cacheWrite + this.cacheRead;
	}

	/** Pico-USD to USD. */
	public static double usd(long pico) {
		return pico / 1e12;
	}

	/** USD (as logged in {@code costUSD}) to pico-USD. */
	public static long pico(double usd) {
		return Math.round(usd * 1e12);
	}

}
