package dev.cctracer.shared.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Prices of one tier in pico-USD per token (1 USD = 10^12 pico-USD), exact for list
 * prices given with up to six decimals in USD per million tokens.
 */
public record Rates(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead) {

	private static final BigDecimal PICO_PER_TOKEN_PER_USD_PER_MTOK = BigDecimal.valueOf(1_000_000L);

	/**
	 * Builds rates from USD per million tokens; a missing cache price takes its default
	 * (5m write 1.25×input, 1h write 2×input, read 0.1×input).
	 */
	static Rates fromPerMillion(BigDecimal input, BigDecimal output, BigDecimal write5m, BigDecimal write1h,
			BigDecimal read) {
		BigDecimal w5 = (write5m != null) ? write5m : input.multiply(new BigDecimal("1.25"));
		BigDecimal w1 = (write1h != null) ? write1h : input.multiply(BigDecimal.valueOf(2));
		BigDecimal r = (read != null) ? read : input.multiply(new BigDecimal("0.1"));
		return new Rates(pico(input), pico(output), pico(w5), pico(w1), pico(r));
	}

	/**
	 * These rates times a multiplier, each rounded to a whole pico-USD (as the fast rule
	 * applies it).
	 */
	public Rates times(BigDecimal multiplier) {
		return new Rates(mul(this.input, multiplier), mul(this.output, multiplier), mul(this.cacheWrite5m, multiplier),
				mul(this.cacheWrite1h, multiplier), mul(this.cacheRead, multiplier));
	}

	private static long mul(long value, BigDecimal multiplier) {
		return BigDecimal.valueOf(value).multiply(multiplier).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
	}

	/**
	 * A rate of pico-USD per token as USD per million tokens, without trailing zeros
	 * (5000000 → 5, 500000 → 0.5): the unit the price tables are written in.
	 */
	public static BigDecimal perMillion(long picoPerToken) {
		return BigDecimal.valueOf(picoPerToken).movePointLeft(6).stripTrailingZeros();
	}

	private static long pico(BigDecimal perMillion) {
		return perMillion.multiply(PICO_PER_TOKEN_PER_USD_PER_MTOK)
			.setScale(0, RoundingMode.HALF_EVEN)
			.longValueExact();
	}

}
