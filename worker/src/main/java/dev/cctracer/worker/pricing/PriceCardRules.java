package dev.cctracer.worker.pricing;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cctracer.shared.log.LogText;

/**
 * What an admin console's price card may hold: an id as Claude Code, Bedrock and Vertex
 * write model ids, the fields of {@code prices.json}'s models, and at least one price
 * period. An unknown field is refused, naming it (a typo would otherwise be ignored).
 */
final class PriceCardRules {

	private static final Pattern MODEL_ID = Pattern.compile("[a-z0-9._:/@\\[\\]-]{1,200}");

	private static final Set<String> CARD_FIELDS = Set.of("id", "family", "released", "aliases", "fast_multiplier",
			"inference_geo_multipliers", "prices");

	private static final Set<String> PERIOD_FIELDS = Set.of("effective_from", "input", "output", "cache_write_5m",
			"cache_write_1h", "cache_read", "long_context");

	private static final Set<String> LONG_CONTEXT_FIELDS = Set.of("above_input_tokens", "input", "output",
			"cache_write_5m", "cache_write_1h", "cache_read");

	private PriceCardRules() {
	}

	/**
	 * Checks a card's shape (not its prices: the table checks those when it loads).
	 * @param card a model in the format of {@code prices.json}
	 * @return its id, trimmed and lower-cased
	 * @throws IllegalArgumentException naming what is wrong
	 */
	static String checkedId(JsonNode card) {
		if (card == null || !card.isObject() || !card.path("id").isTextual() || card.path("id").asText().isBlank()) {
			throw new IllegalArgumentException("a price card needs an id");
		}
		String id = card.path("id").asText().trim().toLowerCase(Locale.ROOT);
		if (!MODEL_ID.matcher(id).matches()) {
			throw new IllegalArgumentException(
					"a model id is 1 to 200 letters, digits and . _ - : / @ [ ] (as Claude Code, Bedrock and Vertex write them)");
		}
		checkFields(card, CARD_FIELDS, "a price card");
		if (!card.path("prices").isArray() || card.path("prices").isEmpty()) {
			throw new IllegalArgumentException(
					"a price card needs prices: [{\"effective_from\": \"yyyy-MM-dd\", \"input\": …, \"output\": …}]");
		}
		for (JsonNode period : card.path("prices")) {
			checkFields(period, PERIOD_FIELDS, "a price");
			if (period.has("long_context")) {
				checkFields(period.get("long_context"), LONG_CONTEXT_FIELDS, "long_context");
			}
		}
		return id;
	}

	/** An unknown field is refused, naming it (a typo would otherwise be ignored). */
	private static void checkFields(JsonNode node, Set<String> allowed, String what) {
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException(what + " must be a JSON object");
		}
		node.fieldNames().forEachRemaining((f) -> {
			if (!allowed.contains(f)) {
				throw new IllegalArgumentException(what + " has no field '" + LogText.safe(f) + "'; its fields are "
						+ String.join(", ", new TreeSet<>(allowed)));
			}
		});
	}

}
