package dev.cctracer.shared.pricing;

import java.math.BigInteger;
import java.util.Locale;

/**
 * How cost is reported: {@code calculate} from tokens and prices (default), {@code auto}
 * (a logged {@code costUSD} when present, else calculated) or {@code display} (logged
 * costs only).
 */
public enum CostMode {

	CALCULATE, AUTO, DISPLAY;

	public static CostMode parse(String text) {
		if (text == null || text.isBlank()) {
			return CALCULATE;
		}
		try {
			return valueOf(text.trim().toUpperCase(Locale.ROOT));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("cost mode must be one of calculate, auto, display: " + text);
		}
	}

	/**
	 * Combines stored sums into the total of this mode.
	 * @param calculated calculated cost of all records
	 * @param logged logged cost of the records that have one
	 * @param calculatedOfLogged calculated cost of the records that have a logged cost
	 * @return the total, in the unit of the arguments (pico-USD where stored)
	 */
	public BigInteger total(BigInteger calculated, BigInteger logged, BigInteger calculatedOfLogged) {
		return switch (this) {
			case CALCULATE -> calculated;
			case AUTO -> calculated.subtract(calculatedOfLogged).add(logged);
			case DISPLAY -> logged;
		};
	}

}
