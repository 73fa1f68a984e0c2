package dev.cctracer.web.admin;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A price card from the console's form fields, in the format of {@code prices.json}.
 */
final class PriceCards {

	private PriceCards() {
	}

	/**
	 * The card of one model: prices in USD per million tokens from a date.
	 * @param id the model id (any form; stored lower-case)
	 * @param effectiveFrom {@code yyyy-MM-dd} from which the prices apply (empty: always)
	 * @throws IllegalArgumentException for a blank id, a malformed date, or a negative or
	 * absurd price (over 10,000 USD per million tokens)
	 */
	static ObjectNode card(String id, String effectiveFrom, BigDecimal input, BigDecimal output,
			BigDecimal cacheWrite5m, BigDecimal cacheWrite1h, BigDecimal cacheRead, BigDecimal fastMultiplier) {
		if (id == null || id.isBlank() || id.length() > 200) {
			throw new IllegalArgumentException("model id must be 1 to 200 characters");
		}
		String from = (effectiveFrom == null || effectiveFrom.isBlank()) ? "2000-01-01" : effectiveFrom.trim();
		try {
			LocalDate.parse(from);
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("effective from must be a date (yyyy-MM-dd): " + from);
		}
		ObjectNode card = JsonNodeFactory.instance.objectNode();
		card.put("id", id.trim());
		if (fastMultiplier != null) {
			card.put("fast_multiplier", check("fast multiplier", fastMultiplier));
		}
		ObjectNode period = card.putArray("prices").addObject();
		period.put("effective_from", from);
		period.put("input", check("input", input));
		period.put("output", check("output", output));
		if (cacheWrite5m != null) {
			period.put("cache_write_5m", check("5m cache write", cacheWrite5m));
		}
		if (cacheWrite1h != null) {
			period.put("cache_write_1h", check("1h cache write", cacheWrite1h));
		}
		if (cacheRead != null) {
			period.put("cache_read", check("cache read", cacheRead));
		}
		return card;
	}

	private static BigDecimal check(String what, BigDecimal value) {
		if (value == null || value.signum() < 0 || value.compareTo(BigDecimal.valueOf(10_000)) > 0
				|| value.scale() > 6) {
			throw new IllegalArgumentException(
					what + " must be 0 to 10,000 USD per million tokens, at most 6 decimals");
		}
		return value;
	}

}
