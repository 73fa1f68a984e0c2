package dev.cctracer.shared.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cctracer.shared.pricing.PriceTable.Layer;
import dev.cctracer.shared.pricing.PriceTable.ModelPrices;
import dev.cctracer.shared.pricing.PriceTable.Period;

/**
 * Reads price files in the format of the bundled {@code prices.json} (Anthropic's list
 * prices in USD per million tokens, with effective dates): merges the layers over the
 * bundled table, checks every model's card and turns it into {@link ModelPrices}, and
 * takes the table's fingerprint.
 */
final class PriceFiles {

	/** The effective date of a period that gives none. */
	private static final String DEFAULT_FROM = "2000-01-01";

	/** Pico-USD per USD. */
	private static final BigDecimal PICO = BigDecimal.valueOf(1_000_000_000_000L);

	private PriceFiles() {
	}

	/**
	 * The bundled table with layers applied in order: {@code below} only add models the
	 * bundled table does not list, {@code over} add models, or lay a card over the one a
	 * model has from its first effective date on (the prices before it stay).
	 * @throws IllegalArgumentException when a layer is not a valid price file
	 * @throws IllegalStateException when the bundled {@code prices.json} is missing
	 * @throws UncheckedIOException when the bundled table cannot be read
	 */
	static PriceTable load(List<Layer> below, List<Layer> over) {
		ObjectMapper mapper = new ObjectMapper();
		try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
			if (in == null) {
				throw new IllegalStateException("bundled prices.json is missing");
			}
			ObjectNode root = (ObjectNode) mapper.readTree(in);
			StringBuilder version = new StringBuilder(root.path("version").asText("bundled"));
			for (Layer layer : below) {
				merge(root, layer.root(), layer.name(), false);
				version.append("+").append(layer.name());
			}
			for (Layer layer : over) {
				merge(root, layer.root(), layer.name(), true);
				version.append("+").append(layer.name());
			}
			List<ModelPrices> models = new ArrayList<>();
			for (JsonNode model : root.path("models")) {
				try {
					models.add(card(model));
				}
				catch (RuntimeException ex) {
					// the card's own check names it already ("price of x needs …")
					String what = "price of " + model.path("id").asText("?");
					throw new IllegalArgumentException(String.valueOf(ex.getMessage()).startsWith(what)
							? ex.getMessage() : what + ": " + ex.getMessage(), ex);
				}
			}
			BigDecimal perThousand = root.path("server_tools").path("web_search_per_1000").decimalValue();
			long webSearchPico = perThousand.multiply(PICO)
				.divide(BigDecimal.valueOf(1000))
				.setScale(0, RoundingMode.HALF_EVEN)
				.longValueExact();
			return new PriceTable(models, version.toString(), sha256(mapper.writeValueAsBytes(root)), webSearchPico);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void merge(ObjectNode root, JsonNode user, String file, boolean override) {
		if (user == null || !user.path("models").isArray()) {
			throw new IllegalArgumentException("price file " + file + " has no \"models\" array");
		}
		ArrayNode merged = root.putArray("merged");
		Map<String, JsonNode> byId = new LinkedHashMap<>();
		// an id another card has as an alias names that card (LiteLLM lists
		// claude-4-opus-20250514, an alias of the bundled claude-opus-4)
		Map<String, String> aliasOf = new LinkedHashMap<>();
		for (JsonNode model : root.path("models")) {
			String key = ModelIds.normalize(model.path("id").asText());
			byId.put(key, model);
			model.path("aliases").forEach((a) -> aliasOf.putIfAbsent(ModelIds.normalize(a.asText()), key));
		}
		for (JsonNode model : user.path("models")) {
			String id = model.path("id").asText(null);
			if (id == null || id.isBlank() || !model.path("prices").isArray() || model.path("prices").isEmpty()) {
				throw new IllegalArgumentException("price file " + file + ": every model needs an id and prices");
			}
			String key = ModelIds.normalize(id);
			boolean byAlias = !byId.containsKey(key) && aliasOf.containsKey(key);
			if (byAlias) {
				key = aliasOf.get(key);
			}
			JsonNode below = byId.get(key);
			if (below == null) {
				byId.put(key, model);
			}
			else if (override) {
				ObjectNode laid = (ObjectNode) over(below, model);
				if (byAlias) {
					// laid over the card its id is an alias of, which keeps its own id
					laid.set("id", below.get("id"));
				}
				byId.put(key, laid);
			}
		}
		byId.values().forEach(merged::add);
		root.set("models", merged);
		root.remove("merged");
	}

	/**
	 * A card laid over the card below it: its prices from its first effective date on,
	 * the prices below before that date (a card saved "from 2026-06-02" changes what
	 * usage costs from that day, not the days before it; a card whose first date is not
	 * after the first date below replaces every price below); its other fields as it
	 * gives them, and those it leaves out as the card below has them (a card that changes
	 * Opus 4.7's token prices keeps its fast mode's 6x).
	 */
	private static JsonNode over(JsonNode below, JsonNode card) {
		String first = null;
		for (JsonNode p : card.path("prices")) {
			String from = effectiveFrom(p);
			first = (first == null || from.compareTo(first) < 0) ? from : first;
		}
		ObjectNode merged = ((ObjectNode) below).deepCopy();
		card.fields().forEachRemaining((field) -> merged.set(field.getKey(), field.getValue().deepCopy()));
		ArrayNode prices = merged.putArray("prices");
		for (JsonNode p : below.path("prices")) {
			if (effectiveFrom(p).compareTo(first) < 0) {
				prices.add(p);
			}
		}
		card.path("prices").forEach(prices::add);
		return merged;
	}

	/**
	 * A long-context band's {@code above_input_tokens}: 200,000 when absent; a whole
	 * number above 0, written as a number ({@code 200000}, {@code 2e5}) or as its digits.
	 * @throws IllegalArgumentException otherwise (a band of {@code -5} was taken, and
	 * priced every request at the long-context rates: a trial)
	 */
	private static long aboveInputTokens(JsonNode above, String id) {
		if (above.isMissingNode() || above.isNull()) {
			return 200_000;
		}
		try {
			BigDecimal tokens = above.isNumber() ? above.decimalValue() : new BigDecimal(above.asText().strip());
			long whole = tokens.longValueExact();
			if (whole >= 1) {
				return whole;
			}
		}
		catch (ArithmeticException | NumberFormatException ex) {
			// said below
		}
		throw new IllegalArgumentException(
				"long_context.above_input_tokens of " + id + " must be a whole number of tokens above 0: " + above);
	}

	/** A date as a card writes it: {@code yyyy-MM-dd}, four digits of year. */
	private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

	/**
	 * A period's {@code effective_from} ({@value #DEFAULT_FROM} when absent: always).
	 * @throws IllegalArgumentException when it is no {@code yyyy-MM-dd} date (a card
	 * dated {@code +10000-01-01} was taken, and, compared as text, priced the whole
	 * history: a trial)
	 */
	private static LocalDate effectiveDate(JsonNode period, String id) {
		String text = effectiveFrom(period);
		try {
			if (DATE.matcher(text).matches()) {
				return LocalDate.parse(text);
			}
		}
		catch (DateTimeParseException ex) {
			// said below
		}
		throw new IllegalArgumentException("effective_from of " + id + " must be a date (yyyy-MM-dd): " + text);
	}

	/** A period's effective date as written (ISO, so comparable as text). */
	private static String effectiveFrom(JsonNode period) {
		return period.path("effective_from").asText(DEFAULT_FROM);
	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * One model's card: its periods sorted by effective date (UTC), the family from the
	 * card or else from the id, the release date from the card or else the first period.
	 * @throws IllegalArgumentException when a price is missing or out of range, or two
	 * periods take effect on the same day
	 */
	static ModelPrices card(JsonNode node) {
		String id = node.path("id").asText();
		String family = ModelIds.family(id);
		if (node.hasNonNull("family")) {
			family = node.get("family").asText();
			if (!node.get("family").isTextual() || !ModelIds.FAMILIES.contains(family)) {
				throw new IllegalArgumentException(
						"family of " + id + " must be one of " + String.join(", ", ModelIds.FAMILIES));
			}
		}
		List<String> aliases = new ArrayList<>();
		JsonNode aliasList = node.get("aliases");
		if (aliasList != null && !aliasList.isNull()) {
			if (!aliasList.isArray()) {
				throw new IllegalArgumentException("aliases of " + id + " must be a list of model ids");
			}
			for (JsonNode a : aliasList) {
				if (!a.isTextual() || a.asText().isBlank() || a.asText().length() > 200) {
					throw new IllegalArgumentException("aliases of " + id + " must be model ids (1 to 200 characters)");
				}
				aliases.add(a.asText());
			}
		}
		BigDecimal fast = node.has("fast_multiplier") ? price(node.get("fast_multiplier"), "fast_multiplier")
				: BigDecimal.ONE;
		List<Period> periods = new ArrayList<>();
		for (JsonNode p : node.path("prices")) {
			LocalDate from = effectiveDate(p, id);
			Rates base = rates(p, id);
			Rates longRates = null;
			long threshold = Long.MAX_VALUE;
			JsonNode lc = p.get("long_context");
			if (lc != null && lc.isObject()) {
				longRates = rates(lc, id, "price of " + id + ": long_context");
				threshold = aboveInputTokens(lc.path("above_input_tokens"), id);
			}
			periods.add(new Period(from.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli(), base, longRates,
					threshold, fast));
		}
		periods.sort(Comparator.comparingLong(Period::effectiveFromMillis));
		for (int i = 1; i < periods.size(); i++) {
			if (periods.get(i).effectiveFromMillis() == periods.get(i - 1).effectiveFromMillis()) {
				throw new IllegalArgumentException("two prices of " + id + " take effect on the same day");
			}
		}
		LocalDate released = node.hasNonNull("released") ? LocalDate.parse(node.get("released").asText())
				: Instant.ofEpochMilli(periods.get(0).effectiveFromMillis()).atZone(ZoneOffset.UTC).toLocalDate();
		Map<String, BigDecimal> geo = new HashMap<>();
		JsonNode geoNode = node.get("inference_geo_multipliers");
		if (geoNode != null && !geoNode.isNull()) {
			if (!geoNode.isObject()) {
				throw new IllegalArgumentException(
						"inference_geo_multipliers of " + id + " must be an object of multipliers, e.g. {\"us\": 1.1}");
			}
			// a multiplier as a price is checked: a number, not negative (a negative one
			// gave a session a negative cost)
			geoNode.fields()
				.forEachRemaining(
						(e) -> geo.put(e.getKey(), price(e.getValue(), "inference_geo_multipliers." + e.getKey())));
		}
		return new ModelPrices(id, family, released, aliases, fast, periods, Map.copyOf(geo));
	}

	private static Rates rates(JsonNode p, String id) {
		return rates(p, id, "price of " + id);
	}

	/**
	 * @param what what the rates are, for the error ("long_context of x")
	 */
	private static Rates rates(JsonNode p, String id, String what) {
		if (!p.hasNonNull("input") || !p.hasNonNull("output")) {
			throw new IllegalArgumentException(what + " needs input and output");
		}
		return Rates.fromPerMillion(price(p.get("input"), "input"), price(p.get("output"), "output"),
				dec(p, "cache_write_5m"), dec(p, "cache_write_1h"), dec(p, "cache_read"));
	}

	private static BigDecimal dec(JsonNode p, String field) {
		JsonNode v = p.get(field);
		return (v == null || v.isNull()) ? null : price(v, field);
	}

	/**
	 * A price or multiplier as written: a JSON number from 0 to 10,000 (USD per million
	 * tokens) with at most 6 decimals.
	 * @throws IllegalArgumentException naming the field otherwise
	 */
	private static BigDecimal price(JsonNode v, String field) {
		if (v == null || !v.isNumber()) {
			throw new IllegalArgumentException(field + " must be a number");
		}
		String unit = field.contains("multiplier") ? "a multiplier from 0 to 10,000"
				: "0 to 10,000 USD per million tokens";
		BigDecimal d;
		try {
			d = v.decimalValue();
		}
		catch (NumberFormatException ex) {
			// 1e400 read as a double is infinite
			throw new IllegalArgumentException(field + " must be " + unit + ": " + v.asText());
		}
		if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(10_000)) > 0 || d.stripTrailingZeros().scale() > 6) {
			throw new IllegalArgumentException(field + " must be " + unit + " with at most 6 decimals: " + d);
		}
		return d;
	}

}
