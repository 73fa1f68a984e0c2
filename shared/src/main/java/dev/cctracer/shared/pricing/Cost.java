package dev.cctracer.shared.pricing;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * The cost of one usage record in pico-USD (10^-12 USD), split like the API's
 * {@code cost} object.
 *
 * @param input cost of input tokens
 * @param output cost of output tokens
 * @param cacheWrite cost of cache writes (5m and 1h)
 * @param cacheRead cost of cache reads
 * @param webSearch the web-search fee ({@code server_tool_use.web_search_requests})
 * @param priced false when no card applies to the model (its token cost is then 0 and the
 * record is flagged unpriced)
 * @param estimated true when the model is not in the table and its family's newest card
 * priced it
 */
public record Cost(long input, long output, long cacheWrite, long cacheRead, long webSearch, boolean priced,
		boolean estimated) {

	public static final Cost UNPRICED = new Cost(0, 0, 0, 0, 0, false, false);

	/** Tokens and fees together, pico-USD. */
	public long total() {
		return this.input + this.output + this.cacheWrite + this.cacheRead + this.webSearch;
	}

	/** Pico-USD to USD. */
	public static double usd(long pico) {
		return pico / 1e12;
	}

	/**
	 * Pico-USD to USD, for sums past a {@code long}'s ~$9.2M: the same double as
	 * {@link #usd(long)} while the sum fits one, else the nearest double.
	 */
	public static double usd(BigInteger pico) {
		return (pico.bitLength() < Long.SIZE) ? usd(pico.longValue())
				: new BigDecimal(pico).movePointLeft(12).doubleValue();
	}

	/** USD (as logged in {@code costUSD}) to pico-USD. */
	public static long pico(double usd) {
		return Math.round(usd * 1e12);
	}

}
