package dev.cctracer.shared.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cctracer.shared.log.Usage;

/**
 * A versioned price table with effective dates: the bundled {@code prices.json}
 * (Anthropic's list prices, USD per million tokens, with the page they were taken from),
 * optionally overridden model by model from a user file of the same format.
 * <p>
 * Cost per record is {@code in·P_in + out·P_out + w5m·P_w5m + w1h·P_w1h + read·P_read}
 * plus the server-tool fees ({@code web_search_requests} at the table's price per 1,000);
 * a request whose input side (input + cache writes + cache reads) exceeds a model's
 * {@code long_context.above_input_tokens} is priced entirely — output included — at its
 * {@code long_context} prices (Sonnet 4/4.5 above 200k, Haiku 5.5's band above 100k);
 * {@code speed:"fast"} multiplies the token rates by the model's {@code fast_multiplier};
 * an event takes the prices valid on its UTC date.
 * <p>
 * A model id resolves in every form Claude Code, Bedrock and Vertex write ({@code …[1m]},
 * dated ids, {@code anthropic.…-v1:0}, {@code us.anthropic.…}, ARNs, {@code …@2025…}). An
 * id the table does not list is priced by the newest card (by {@code released}) of its
 * family (opus, sonnet, haiku, fable, mythos) and flagged <em>estimated</em>; an id of no
 * known family costs 0 and is flagged unpriced. Neither is ever silent.
 */
public final class PriceTable {

	private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{8}|latest)$");

	private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(:\\d+)?$");

	private static final Pattern FAMILY = Pattern.compile("(?:^|[-._])(opus|sonnet|haiku|fable|mythos)(?:$|[-._])");

	/** Pico-USD per USD. */
	private static final BigDecimal PICO = BigDecimal.valueOf(1_000_000_000_000L);

	/** Everything a table answers from; swapped whole by {@link #replaceWith}. */
	private volatile State state;

	private record State(List<ModelPrices> models, Map<String, ModelPrices> byAlias,
			Map<String, ModelPrices> newestByFamily, String version, String fingerprint, long webSearchPico,
			Map<String, Resolution> matchCache) {

	}

	private PriceTable(List<ModelPrices> models, String version, String fingerprint, long webSearchPico) {
		Map<String, ModelPrices> aliases = new LinkedHashMap<>();
		Map<String, ModelPrices> newest = new HashMap<>();
		for (ModelPrices model : models) {
			aliases.put(normalize(model.id()), model);
			for (String alias : model.aliases()) {
				aliases.put(normalize(alias), model);
			}
			if (model.family() != null) {
				newest.merge(model.family(), model, (a, b) -> (b.released().isAfter(a.released())) ? b : a);
			}
		}
		this.state = new State(List.copyOf(models), aliases, newest, version, fingerprint, webSearchPico,
				new ConcurrentHashMap<>());
	}

	/**
	 * Puts another table's prices in force in this one (the bean every component holds):
	 * the admin console or a price import changed a card. Readers see the old table or
	 * the new one, never a mix.
	 */
	public void replaceWith(PriceTable other) {
		this.state = other.state;
	}

	/** The bundled table. */
	public static PriceTable bundled() {
		return load(null);
	}

	/**
	 * The bundled table with the models of {@code overrideFile} replacing or adding to
	 * it.
	 * @param overrideFile a user price file, or {@code null}
	 * @throws IllegalArgumentException when the file cannot be read or is not a price
	 * file
	 */
	public static PriceTable load(Path overrideFile) {
		List<Layer> layers = new ArrayList<>();
		if (overrideFile != null) {
			layers.add(Layer.read(overrideFile));
		}
		return load(List.of(), layers);
	}

	/**
	 * A layer of models over the bundled table: a price file, the admin console's cards
	 * or an import.
	 *
	 * @param name what the layer is (for the version label and errors)
	 * @param root a JSON object with a {@code models} array in the format of
	 * {@code prices.json}
	 */
	public record Layer(String name, JsonNode root) {

		/**
		 * Reads a price file.
		 * @throws IllegalArgumentException when it cannot be read or is not JSON
		 */
		public static Layer read(Path file) {
			try {
				JsonNode root = new ObjectMapper().readTree(Files.readString(file, StandardCharsets.UTF_8));
				return new Layer(root.path("version").asText(file.getFileName().toString()), root);
			}
			catch (IOException ex) {
				throw new IllegalArgumentException("cannot read price file " + file + ": " + ex.getMessage(), ex);
			}
		}

	}

	/**
	 * The bundled table with layers applied in order: {@code below} only add models the
	 * bundled table does not list (an import never overrides a checked card),
	 * {@code over} replace or add models by id (a user's file, then the admin console's
	 * cards).
	 * @throws IllegalArgumentException when a layer is not a valid price file
	 */
	public static PriceTable load(List<Layer> below, List<Layer> over) {
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
					models.add(ModelPrices.from(model));
				}
				catch (RuntimeException ex) {
					throw new IllegalArgumentException(
							"price of " + model.path("id").asText("?") + ": " + ex.getMessage(), ex);
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
		for (JsonNode model : root.path("models")) {
			byId.put(normalize(model.path("id").asText()), model);
		}
		for (JsonNode model : user.path("models")) {
			String id = model.path("id").asText(null);
			if (id == null || id.isBlank() || !model.path("prices").isArray() || model.path("prices").isEmpty()) {
				throw new IllegalArgumentException("price file " + file + ": every model needs an id and prices");
			}
			if (override || !byId.containsKey(normalize(id))) {
				byId.put(normalize(id), model);
			}
		}
		byId.values().forEach(merged::add);
		root.set("models", merged);
		root.remove("merged");
	}

	/** Version label of the table (bundled version, plus each layer's). */
	public String version() {
		return this.state.version();
	}

	/**
	 * A hash of the effective table: costs stored under another fingerprint must be
	 * recomputed.
	 */
	public String fingerprint() {
		return this.state.fingerprint();
	}

	/** The cards in force, newest first as listed. */
	public List<ModelPrices> models() {
		return this.state.models();
	}

	/**
	 * The card a model name as logged is priced by, or {@code null} when no card applies
	 * (an unknown id of no known family).
	 */
	public ModelPrices find(String model) {
		return resolve(model).card();
	}

	/**
	 * How a model name as logged is priced: by its own card, estimated by the newest card
	 * of its family, or not at all.
	 * @param model the model id as logged (any provider form), may be {@code null}
	 */
	public Resolution resolve(String model) {
		if (model == null || model.isBlank()) {
			return new Resolution(model, null, Resolution.Kind.UNPRICED);
		}
		State current = this.state;
		Resolution cached = current.matchCache().get(model);
		if (cached != null) {
			return cached;
		}
		Resolution resolved = resolveUncached(current, model);
		if (current.matchCache().size() < 10_000) {
			current.matchCache().put(model, resolved);
		}
		return resolved;
	}

	private static Resolution resolveUncached(State state, String m) {
		String id = normalize(m);
		ModelPrices p = state.byAlias().get(id);
		if (p != null) {
			return new Resolution(m, p, Resolution.Kind.LISTED);
		}
		String family = family(id);
		ModelPrices newest = (family != null) ? state.newestByFamily().get(family) : null;
		return (newest != null) ? new Resolution(m, newest, Resolution.Kind.ESTIMATED)
				: new Resolution(m, null, Resolution.Kind.UNPRICED);
	}

	/**
	 * The family of a model id (opus, sonnet, haiku, fable or mythos), or {@code null}.
	 * @param model a model id in any provider form
	 */
	public static String family(String model) {
		if (model == null) {
			return null;
		}
		Matcher m = FAMILY.matcher(normalize(model));
		return m.find() ? m.group(1) : null;
	}

	/** Price of one web search request in pico-USD (USD 10 per 1,000 = 10^10). */
	public long webSearchPico() {
		return this.state.webSearchPico();
	}

	/**
	 * Lower-case, without provider prefixes, context suffixes, version or date suffixes.
	 */
	public static String normalize(String model) {
		String m = model.trim().toLowerCase(Locale.ROOT);
		int slash = m.lastIndexOf('/');
		if (slash >= 0) {
			m = m.substring(slash + 1);
		}
		int colon = m.lastIndexOf(':');
		if (m.startsWith("arn:") && colon >= 0) {
			m = m.substring(colon + 1);
		}
		int anthropic = m.indexOf("anthropic.");
		if (anthropic >= 0) {
			m = m.substring(anthropic + "anthropic.".length());
		}
		int bracket = m.indexOf('[');
		if (bracket > 0) {
			m = m.substring(0, bracket);
		}
		int at = m.indexOf('@');
		if (at > 0) {
			m = m.substring(0, at);
		}
		m = BEDROCK_VERSION.matcher(m).replaceFirst("");
		m = DATE_SUFFIX.matcher(m).replaceFirst("");
		return m;
	}

	/**
	 * The cost of one record in pico-USD: tokens at the resolved card (0 and unpriced
	 * when none applies, estimated when the card is the family's newest) plus the
	 * web-search fee, which applies whatever the model.
	 * @param model the model id as logged
	 * @param epochMillis the record's instant (UTC), which selects the prices in force
	 * @param usage the record's token counts and web searches
	 */
	public Cost cost(String model, long epochMillis, Usage usage) {
		Resolution r = resolve(model);
		long search = usage.webSearches() * webSearchPico();
		if (r.card() == null) {
			return new Cost(0, 0, 0, 0, search, false, false);
		}
		return r.card().cost(epochMillis, usage, search, r.kind() == Resolution.Kind.ESTIMATED);
	}

	/**
	 * How a logged model id is priced.
	 *
	 * @param model the id as logged
	 * @param card the card used, {@code null} when unpriced
	 * @param kind listed, estimated (the family's newest card) or unpriced
	 */
	public record Resolution(String model, ModelPrices card, Kind kind) {

		/** How the card was found. */
		public enum Kind {

			/** The table lists the id (in any provider form). */
			LISTED,
			/** Unknown id of a known family: priced by the family's newest card. */
			ESTIMATED,
			/** Unknown id of no known family: cost 0. */
			UNPRICED

		}

	}

	private static String sha256(byte[] bytes) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One model's prices over time. */
	public record ModelPrices(String id, String family, LocalDate released, List<String> aliases,
			BigDecimal fastMultiplier, List<Period> periods, Map<String, BigDecimal> geoMultipliers) {

		static ModelPrices from(JsonNode node) {
			String id = node.path("id").asText();
			String family = node.hasNonNull("family") ? node.get("family").asText() : PriceTable.family(id);
			List<String> aliases = new ArrayList<>();
			node.path("aliases").forEach((a) -> aliases.add(a.asText()));
			BigDecimal fast = node.has("fast_multiplier") ? price(node.get("fast_multiplier"), "fast_multiplier")
					: BigDecimal.ONE;
			List<Period> periods = new ArrayList<>();
			for (JsonNode p : node.path("prices")) {
				LocalDate from = LocalDate.parse(p.path("effective_from").asText("2000-01-01"));
				Rates base = rates(p, id);
				Rates longRates = null;
				long threshold = Long.MAX_VALUE;
				JsonNode lc = p.get("long_context");
				if (lc != null && lc.isObject()) {
					longRates = rates(lc, id);
					threshold = lc.path("above_input_tokens").asLong(200_000);
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
			node.path("inference_geo_multipliers").fields().forEachRemaining((e) -> {
				if (e.getValue().isNumber()) {
					geo.put(e.getKey(), e.getValue().decimalValue());
				}
			});
			return new ModelPrices(id, family, released, aliases, fast, periods, Map.copyOf(geo));
		}

		private static Rates rates(JsonNode p, String id) {
			if (!p.hasNonNull("input") || !p.hasNonNull("output")) {
				throw new IllegalArgumentException("price of " + id + " needs input and output");
			}
			return Rates.fromPerMillion(price(p.get("input"), "input"), price(p.get("output"), "output"),
					dec(p, "cache_write_5m"), dec(p, "cache_write_1h"), dec(p, "cache_read"));
		}

		private static BigDecimal dec(JsonNode p, String field) {
			JsonNode v = p.get(field);
			return (v == null || v.isNull()) ? null : price(v, field);
		}

		/**
		 * A price or multiplier as written: a JSON number from 0 to 10,000 (USD per
		 * million tokens) with at most 6 decimals.
		 * @throws IllegalArgumentException naming the field otherwise
		 */
		private static BigDecimal price(JsonNode v, String field) {
			if (v == null || !v.isNumber()) {
				throw new IllegalArgumentException(field + " must be a number");
			}
			BigDecimal d = v.decimalValue();
			if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(10_000)) > 0 || d.stripTrailingZeros().scale() > 6) {
				throw new IllegalArgumentException(
						field + " must be 0 to 10,000 USD per million tokens with at most 6 decimals: " + d);
			}
			return d;
		}

		/** The period in force at an instant; the earliest one for events before it. */
		public Period at(long epochMillis) {
			Period current = this.periods.get(0);
			for (Period p : this.periods) {
				if (p.effectiveFromMillis() <= epochMillis) {
					current = p;
				}
			}
			return current;
		}

		Cost cost(long epochMillis, Usage usage, long webSearch, boolean estimated) {
			Period period = at(epochMillis);
			Rates r = period.rates(usage);
			BigDecimal geo = (usage.inferenceGeo() != null) ? this.geoMultipliers.get(usage.inferenceGeo()) : null;
			if (geo != null) {
				r = r.times(geo);
			}
			return new Cost(usage.input() * r.input(), usage.output() * r.output(),
					usage.cacheWrite5m() * r.cacheWrite5m() + usage.cacheWrite1h() * r.cacheWrite1h(),
					usage.cacheRead() * r.cacheRead(), webSearch, true, estimated);
		}

	}

	/** Prices in force from a date. */
	public record Period(long effectiveFromMillis, Rates base, Rates longContext, long longContextThreshold,
			BigDecimal fastMultiplier) {

		Rates rates(Usage usage) {
			Rates r = (this.longContext != null && usage.inputSide() > this.longContextThreshold) ? this.longContext
					: this.base;
			return usage.fast() ? r.times(this.fastMultiplier) : r;
		}

	}

}
