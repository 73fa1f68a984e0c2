package dev.cctracer.shared.pricing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
 * <p>
 * Reading and checking price files is {@link PriceFiles}'s job, the id forms and families
 * are {@link ModelIds}'; this class answers lookups and costs.
 */
public final class PriceTable {

	/** Everything a table answers from; swapped whole by {@link #replaceWith}. */
	private volatile State state;

	private record State(List<ModelPrices> models, Map<String, ModelPrices> byAlias,
			Map<String, ModelPrices> newestByFamily, String version, String fingerprint, long webSearchPico,
			Map<String, Resolution> matchCache) {

	}

	/**
	 * A table of the given cards; see {@link PriceFiles#load} for where they come from.
	 */
	PriceTable(List<ModelPrices> models, String version, String fingerprint, long webSearchPico) {
		Map<String, ModelPrices> aliases = new LinkedHashMap<>();
		Map<String, ModelPrices> newest = new HashMap<>();
		for (ModelPrices model : models) {
			aliases.put(ModelIds.normalize(model.id()), model);
		}
		for (ModelPrices model : models) {
			for (String alias : model.aliases()) {
				// an alias names another id of its own card, never another card's (a card
				// aliased as claude-opus-4-6 would take Opus 4.6's usage from its own
				// card)
				ModelPrices other = aliases.putIfAbsent(ModelIds.normalize(alias), model);
				if (other != null && other != model) {
					throw new IllegalArgumentException("alias " + alias + " of " + model.id() + " is already "
							+ (ModelIds.normalize(other.id()).equals(ModelIds.normalize(alias)) ? "a card's id"
									: "an alias of " + other.id()));
				}
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

	/**
	 * Reads price JSON with every number as written ({@link java.math.BigDecimal}): a
	 * card sent to the admin API (read as a double, {@code 1e-999999999} was 0 and passed
	 * the six-decimals check) and the admin's stored cards. (Price files given by the
	 * user are read as doubles, as the bundled table is, so that their price fingerprint
	 * stays what it was.)
	 */
	public static final ObjectMapper JSON = new ObjectMapper()
		.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

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
				// as doubles, as the bundled table: a file's price fingerprint stays
				// what it was
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
	 * @throws UncheckedIOException when the bundled table cannot be read
	 */
	public static PriceTable load(List<Layer> below, List<Layer> over) {
		return PriceFiles.load(below, over);
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
		String id = ModelIds.normalize(m);
		ModelPrices p = state.byAlias().get(id);
		if (p != null) {
			return new Resolution(m, p, Resolution.Kind.LISTED);
		}
		String family = ModelIds.family(id);
		ModelPrices newest = (family != null) ? state.newestByFamily().get(family) : null;
		return (newest != null) ? new Resolution(m, newest, Resolution.Kind.ESTIMATED)
				: new Resolution(m, null, Resolution.Kind.UNPRICED);
	}

	/**
	 * The family of a model id (opus, sonnet, haiku, fable or mythos), or {@code null}.
	 * @param model a model id in any provider form
	 */
	public static String family(String model) {
		return ModelIds.family(model);
	}

	/** Price of one web search request in pico-USD (USD 10 per 1,000 = 10^10). */
	public long webSearchPico() {
		return this.state.webSearchPico();
	}

	/**
	 * Lower-case, without provider prefixes, context suffixes, version or date suffixes.
	 */
	public static String normalize(String model) {
		return ModelIds.normalize(model);
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

	/**
	 * One model's prices over time.
	 *
	 * @param id the model id as the card lists it
	 * @param family opus, sonnet, haiku, fable or mythos, or {@code null}
	 * @param released release date (UTC), which picks a family's newest card
	 * @param aliases other ids the card prices
	 * @param fastMultiplier multiplier of the token rates for {@code speed:"fast"}
	 * @param periods the prices by effective date, oldest first, never empty
	 * @param geoMultipliers multiplier of the token rates by {@code inference_geo}
	 */
	public record ModelPrices(String id, String family, LocalDate released, List<String> aliases,
			BigDecimal fastMultiplier, List<Period> periods, Map<String, BigDecimal> geoMultipliers) {

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

	/**
	 * Prices in force from a date.
	 *
	 * @param effectiveFromMillis start of the effective date (UTC), epoch milliseconds
	 * @param base rates up to the long-context threshold
	 * @param longContext rates of a whole request above the threshold, or {@code null}
	 * @param longContextThreshold input-side tokens (input + cache writes + cache reads)
	 * above which {@code longContext} applies ({@link Long#MAX_VALUE} when none)
	 * @param fastMultiplier multiplier of the token rates for {@code speed:"fast"}
	 */
	public record Period(long effectiveFromMillis, Rates base, Rates longContext, long longContextThreshold,
			BigDecimal fastMultiplier) {

		Rates rates(Usage usage) {
			Rates r = (this.longContext != null && usage.inputSide() > this.longContextThreshold) ? this.longContext
					: this.base;
			return usage.fast() ? r.times(this.fastMultiplier) : r;
		}

	}

}
