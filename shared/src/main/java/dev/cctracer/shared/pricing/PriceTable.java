package dev.cctracer.shared.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.cctracer.shared.log.Usage;

/**
 * A versioned price table with effective dates: the bundled {@code prices.json},
 * optionally overridden model by model from a user file of the same format.
 * <p>
 * Cost per record is {@code in·P_in + out·P_out + w5m·P_w5m + w1h·P_w1h + read·P_read}; a
 * request whose input side exceeds a model's long-context threshold is priced entirely at
 * its long-context prices; {@code speed:"fast"} multiplies by the model's fast
 * multiplier; an event takes the prices valid on its UTC date. Unknown models cost 0 and
 * are reported unpriced.
 */
public final class PriceTable {

	private static final Pattern DATE_SUFFIX = Pattern.compile("-(\\d{8})$");

	private static final Pattern BEDROCK_VERSION = Pattern.compile("-v\\d+(:\\d+)?$");

	private final Map<String, ModelPrices> byAlias;

	private final List<ModelPrices> models;

	private final String version;

	private final String fingerprint;

	private final Map<String, ModelPrices> matchCache = new ConcurrentHashMap<>();

	private PriceTable(List<ModelPrices> models, String version, String fingerprint) {
		this.models = List.copyOf(models);
		this.version = version;
		this.fingerprint = fingerprint;
		Map<String, ModelPrices> aliases = new LinkedHashMap<>();
		for (ModelPrices model : models) {
			aliases.put(model.id(), model);
			for (String alias : model.aliases()) {
				aliases.put(alias.toLowerCase(Locale.ROOT), model);
			}
		}
		this.byAlias = aliases;
	}

	/** The bundled table. */
	public static PriceTable bundled() {
		return load(null);
	}

	/**
	 * The bundled table with the models of {@code overrideFile} replacing or adding to
	 * it.
	 * @param overrideFile a user price file, or {@code null}
	 */
	public static PriceTable load(Path overrideFile) {
		ObjectMapper mapper = new ObjectMapper();
		try (InputStream in = PriceTable.class.getResourceAsStream("prices.json")) {
			if (in == null) {
				throw new IllegalStateException("bundled prices.json is missing");
			}
			ObjectNode root = (ObjectNode) mapper.readTree(in);
			String version = root.path("version").asText("bundled");
			if (overrideFile != null) {
				JsonNode user;
				try {
					user = mapper.readTree(Files.readString(overrideFile, StandardCharsets.UTF_8));
				}
				catch (IOException ex) {
					throw new IllegalArgumentException(
							"cannot read price file " + overrideFile + ": " + ex.getMessage(), ex);
				}
				merge(root, user, overrideFile);
				version = version + "+" + user.path("version").asText(overrideFile.getFileName().toString());
			}
			List<ModelPrices> models = new ArrayList<>();
			for (JsonNode model : root.path("models")) {
				models.add(ModelPrices.from(model));
			}
			return new PriceTable(models, version, sha256(mapper.writeValueAsBytes(root)));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void merge(ObjectNode root, JsonNode user, Path file) {
		if (!user.path("models").isArray()) {
			throw new IllegalArgumentException("price file " + file + " has no \"models\" array");
		}
		ArrayNode merged = root.putArray("merged");
		Map<String, JsonNode> byId = new LinkedHashMap<>();
		for (JsonNode model : root.path("models")) {
			byId.put(model.path("id").asText(), model);
		}
		for (JsonNode model : user.path("models")) {
			String id = model.path("id").asText(null);
			if (id == null || !model.path("prices").isArray() || model.path("prices").isEmpty()) {
				throw new IllegalArgumentException("price file " + file + ": every model needs an id and prices");
			}
			byId.put(id, model);
		}
		byId.values().forEach(merged::add);
		root.set("models", merged);
		root.remove("merged");
	}

	/** Version label of the table (bundled version, plus the override's). */
	public String version() {
		return this.version;
	}

	/**
	 * A hash of the effective table: costs stored under another fingerprint must be
	 * recomputed.
	 */
	public String fingerprint() {
		return this.fingerprint;
	}

	public List<ModelPrices> models() {
		return this.models;
	}

	/**
	 * The price entry for a model name as logged, or {@code null} when the model is
	 * unknown.
	 */
	public ModelPrices find(String model) {
		if (model == null || model.isBlank()) {
			return null;
		}
		ModelPrices found = this.matchCache.computeIfAbsent(model, (m) -> {
			ModelPrices p = this.byAlias.get(normalize(m));
			return (p != null) ? p : ModelPrices.NONE;
		});
		return (found == ModelPrices.NONE) ? null : found;
	}

	/**
	 * Lower-case, without provider prefixes, context suffixes, version or date suffixes.
	 */
	static String normalize(String model) {
		String m = model.trim().toLowerCase(Locale.ROOT);
		int slash = m.lastIndexOf('/');
		if (slash >= 0) {
			m = m.substring(slash + 1);
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

	/** The cost of one record; {@link Cost#UNPRICED} for an unknown model. */
	public Cost cost(String model, long epochMillis, Usage usage) {
		ModelPrices prices = find(model);
		if (prices == null) {
			return Cost.UNPRICED;
		}
		return prices.cost(epochMillis, usage);
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
	public record ModelPrices(String id, List<String> aliases, BigDecimal fastMultiplier, List<Period> periods) {

		static final ModelPrices NONE = new ModelPrices("", List.of(), BigDecimal.ONE, List.of());

		static ModelPrices from(JsonNode node) {
			String id = node.path("id").asText();
			List<String> aliases = new ArrayList<>();
			node.path("aliases").forEach((a) -> aliases.add(a.asText()));
			BigDecimal fast = node.has("fast_multiplier") ? node.get("fast_multiplier").decimalValue() : BigDecimal.ONE;
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
			return new ModelPrices(id, aliases, fast, periods);
		}

		private static Rates rates(JsonNode p, String id) {
			if (!p.hasNonNull("input") || !p.hasNonNull("output")) {
				throw new IllegalArgumentException("price of " + id + " needs input and output");
			}
			return Rates.fromPerMillion(p.get("input").decimalValue(), p.get("output").decimalValue(),
					dec(p, "cache_write_5m"), dec(p, "cache_write_1h"), dec(p, "cache_read"));
		}

		private static BigDecimal dec(JsonNode p, String field) {
			JsonNode v = p.get(field);
			return (v == null || v.isNull()) ? null : v.decimalValue();
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

		public Cost cost(long epochMillis, Usage usage) {
			Period period = at(epochMillis);
			Rates r = period.rates(usage);
			return new Cost(usage.input() * r.input(), usage.output() * r.output(),
					usage.cacheWrite5m() * r.cacheWrite5m() + usage.cacheWrite1h() * r.cacheWrite1h(),
					usage.cacheRead() * r.cacheRead(), true);
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
