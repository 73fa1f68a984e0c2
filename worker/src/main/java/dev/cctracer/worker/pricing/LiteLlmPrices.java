package dev.cctracer.worker.pricing;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cctracer.shared.pricing.PriceTable;

/**
 * Converts LiteLLM's public model-price JSON
 * ({@code model_prices_and_context_window.json}: an object of model id →
 * {@code input_cost_per_token}, {@code output_cost_per_token},
 * {@code cache_creation_input_token_cost} (5m),
 * {@code cache_creation_input_token_cost_above_1hr}, {@code cache_read_input_token_cost},
 * the {@code *_above_200k_tokens} prices, {@code provider_specific_entry.fast},
 * {@code litellm_provider}, {@code mode}; USD per token) into cards of our format (USD
 * per million tokens). Only entries of provider {@code anthropic} in {@code chat} mode
 * whose id names a Claude model are taken, each price from 0 to $1,000 per million tokens
 * (an entry with another is left out and counted in the layer's {@code skipped}), at most
 * {@link #MAX_MODELS}. Source: github.com/BerriAI/litellm, file
 * {@code model_prices_and_context_window.json}.
 */
final class LiteLlmPrices {

	private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

	/**
	 * The most Claude models an import takes: LiteLLM's published file holds a few dozen
	 * of provider anthropic; a file of 200,000 (a trial's) took 13 s, 370 MB of heap and
	 * made the console's page 58 MB.
	 */
	static final int MAX_MODELS = 2_000;

	/**
	 * The most a token may cost (USD): $1,000 per million tokens, 40 times the dearest
	 * Claude price listed.
	 */
	private static final BigDecimal MAX_PER_TOKEN = new BigDecimal("0.001");

	/** The per-token prices of an entry this import takes. */
	private static final String[] PRICE_FIELDS = { "input_cost_per_token", "output_cost_per_token",
			"cache_creation_input_token_cost", "cache_creation_input_token_cost_above_1hr",
			"cache_read_input_token_cost", "input_cost_per_token_above_200k_tokens",
			"output_cost_per_token_above_200k_tokens", "cache_creation_input_token_cost_above_200k_tokens",
			"cache_creation_input_token_cost_above_1hr_above_200k_tokens",
			"cache_read_input_token_cost_above_200k_tokens" };

	private LiteLlmPrices() {
	}

	/**
	 * The cards of a LiteLLM file, as a price layer's root ({@code {"version",
	 * "models"}}).
	 * @param litellm the parsed file (numbers as {@link BigDecimal}, so prices stay
	 * exact)
	 * @param version the layer's version label
	 * @throws IllegalArgumentException when the file is not a JSON object or holds no
	 * Claude model
	 */
	static ObjectNode convert(JsonNode litellm, String version) {
		if (litellm == null || !litellm.isObject()) {
			throw new IllegalArgumentException("not a LiteLLM price file: the top level is not a JSON object");
		}
		ObjectNode root = JsonNodeFactory.instance.objectNode();
		root.put("version", version);
		ArrayNode models = root.putArray("models");
		int skipped = 0;
		for (Iterator<Map.Entry<String, JsonNode>> it = litellm.fields(); it.hasNext();) {
			Map.Entry<String, JsonNode> e = it.next();
			JsonNode m = e.getValue();
			String id = e.getKey();
			if (!m.isObject() || !"anthropic".equals(m.path("litellm_provider").asText())
					|| !"chat".equals(m.path("mode").asText("chat")) || !id.toLowerCase().contains("claude")
					|| id.length() > 200 || !m.path("input_cost_per_token").isNumber()
					|| !m.path("output_cost_per_token").isNumber()) {
				continue;
			}
			if (!pricesInRange(m)) {
				// one entry priced below 0 or past $1,000 per million tokens is left out,
				// as one without prices is: it failed the whole import (a trial)
				skipped++;
				continue;
			}
			if (models.size() == MAX_MODELS) {
				throw new IllegalArgumentException("the LiteLLM price file holds more than " + MAX_MODELS
						+ " Claude models of provider anthropic: not the file LiteLLM publishes");
			}
			ObjectNode card = models.addObject();
			card.put("id", id);
			String family = PriceTable.family(id);
			if (family != null) {
				card.put("family", family);
			}
			// not a release date: an imported card prices its own id, never estimates
			// others
			card.put("released", "2000-01-01");
			if (m.path("provider_specific_entry").path("fast").isNumber()) {
				card.put("fast_multiplier", m.path("provider_specific_entry").path("fast").decimalValue());
			}
			ObjectNode period = card.putArray("prices").addObject();
			period.put("effective_from", "2000-01-01");
			rates(period, m, "");
			if (m.path("input_cost_per_token_above_200k_tokens").isNumber()
					&& m.path("output_cost_per_token_above_200k_tokens").isNumber()) {
				ObjectNode lc = period.putObject("long_context");
				lc.put("above_input_tokens", 200_000);
				rates(lc, m, "_above_200k_tokens");
			}
		}
		if (models.isEmpty()) {
			throw new IllegalArgumentException("the LiteLLM price file holds no Claude model of provider anthropic");
		}
		root.put("skipped", skipped);
		return root;
	}

	/**
	 * Whether each price the entry gives is a number from 0 to {@link #MAX_PER_TOKEN}.
	 */
	private static boolean pricesInRange(JsonNode m) {
		for (String field : PRICE_FIELDS) {
			JsonNode v = m.get(field);
			// a field that is no number is not taken (as before): only prices taken are
			// checked
			if (v != null && v.isNumber()
					&& (v.decimalValue().signum() < 0 || v.decimalValue().compareTo(MAX_PER_TOKEN) > 0)) {
				return false;
			}
		}
		return true;
	}

	private static void rates(ObjectNode target, JsonNode m, String suffix) {
		put(target, "input", m, "input_cost_per_token" + suffix);
		put(target, "output", m, "output_cost_per_token" + suffix);
		put(target, "cache_write_5m", m, "cache_creation_input_token_cost" + suffix);
		put(target, "cache_write_1h", m, suffix.isEmpty() ? "cache_creation_input_token_cost_above_1hr"
				: "cache_creation_input_token_cost_above_1hr" + suffix);
		put(target, "cache_read", m, "cache_read_input_token_cost" + suffix);
	}

	private static void put(ObjectNode target, String field, JsonNode m, String source) {
		JsonNode v = m.get(source);
		if (v != null && v.isNumber()) {
			target.put(field, v.decimalValue().multiply(MILLION).stripTrailingZeros());
		}
	}

}
