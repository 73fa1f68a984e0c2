package dev.cctracer.web.admin;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.pricing.Rates;

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

	/**
	 * One model's prices in force, as the console lists the whole table: USD per million
	 * tokens as plain decimals ("$5", "$0.5"), the date they took effect ("always" for
	 * the card's first period), the fast-mode multiplier and the long-context threshold
	 * (input-side tokens; empty when none).
	 */
	record InForce(String id, String family, String from, String input, String output, String cacheWrite5m,
			String cacheWrite1h, String cacheRead, String fast, String longContextAbove) {

	}

	/**
	 * Every model of the table with the prices in force at {@code epochMillis}, by id.
	 * @param epochMillis the instant (epoch milliseconds, UTC)
	 */
	static List<InForce> inForce(PriceTable table, long epochMillis) {
		List<InForce> rows = new ArrayList<>();
		for (PriceTable.ModelPrices m : table.models()) {
			PriceTable.Period p = m.at(epochMillis);
			Rates r = p.base();
			String from = (p == m.periods().get(0)) ? "always"
					: Instant.ofEpochMilli(p.effectiveFromMillis()).atZone(ZoneOffset.UTC).toLocalDate().toString();
			rows.add(new InForce(m.id(), m.family(), from, usd(r.input()), usd(r.output()), usd(r.cacheWrite5m()),
					usd(r.cacheWrite1h()), usd(r.cacheRead()), p.fastMultiplier().stripTrailingZeros().toPlainString(),
					(p.longContext() != null) ? String.valueOf(p.longContextThreshold()) : ""));
		}
		rows.sort(Comparator.comparing(InForce::id));
		return rows;
	}

	/** A rate of pico-USD per token as USD per million tokens, e.g. "$0.5". */
	private static String usd(long picoPerToken) {
		return "$" + Rates.perMillion(picoPerToken).toPlainString();
	}

	/** Names of a period's prices as the console's form calls them, in its order. */
	private static final Map<String, String> PRICE_NAMES = names("input", "input", "output", "output", "cache_write_5m",
			"5m write", "cache_write_1h", "1h write", "cache_read", "cache read");

	/**
	 * A saved card as the console lists it, one line a period: "from 2026-12-01: input $7
	 * · output $35 · cache read $0.7 (USD per million tokens)", then its long-context
	 * prices, its fast-mode and data-residency multipliers; a field the console does not
	 * name is shown as it is stored.
	 * @param card a card of {@code prices.json}'s format
	 */
	static List<String> describe(JsonNode card) {
		List<String> lines = new ArrayList<>();
		for (JsonNode period : card.path("prices")) {
			String from = period.path("effective_from").asText("");
			lines.add(((from.isEmpty() || from.equals("2000-01-01")) ? "always" : "from " + from) + ": "
					+ prices(period));
			JsonNode longContext = period.path("long_context");
			if (longContext.isObject()) {
				lines.add("  above " + plain(longContext.path("above_input_tokens")) + " input tokens: "
						+ prices(longContext));
			}
		}
		if (card.hasNonNull("fast_multiplier")) {
			lines.add("fast mode × " + plain(card.get("fast_multiplier")));
		}
		card.fields().forEachRemaining((f) -> {
			if (!Set.of("id", "prices", "fast_multiplier").contains(f.getKey())) {
				lines.add(f.getKey().replace('_', ' ') + ": " + f.getValue());
			}
		});
		return lines;
	}

	/**
	 * A period's (or its long context's) prices, then any field the console does not
	 * name.
	 */
	private static String prices(JsonNode period) {
		List<String> parts = new ArrayList<>();
		PRICE_NAMES.forEach((field, name) -> {
			if (period.hasNonNull(field)) {
				parts.add(name + " " + usd(period.get(field)));
			}
		});
		period.fields().forEachRemaining((f) -> {
			if (!Set.of("effective_from", "long_context", "above_input_tokens").contains(f.getKey())
					&& !PRICE_NAMES.containsKey(f.getKey())) {
				parts.add(f.getKey().replace('_', ' ') + " " + f.getValue());
			}
		});
		return String.join(" · ", parts);
	}

	private static String usd(JsonNode value) {
		return value.isNumber() ? "$" + plain(value) : value.toString();
	}

	private static String plain(JsonNode value) {
		return value.isNumber() ? value.decimalValue().stripTrailingZeros().toPlainString() : value.asText();
	}

	private static Map<String, String> names(String... pairs) {
		Map<String, String> names = new LinkedHashMap<>();
		for (int i = 0; i < pairs.length; i += 2) {
			names.put(pairs[i], pairs[i + 1]);
		}
		return names;
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
