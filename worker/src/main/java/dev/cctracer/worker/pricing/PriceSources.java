package dev.cctracer.worker.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.indexing.Indexer;
import dev.cctracer.worker.indexing.Repricer;
import dev.cctracer.worker.PriceAdmin;
import dev.cctracer.worker.TracerProperties;

/**
 * Where the cards of the price table in force come from, lowest first: the bundled table;
 * a LiteLLM import ({@code cctracer.prices.import}, refreshed daily; it only adds models
 * the bundled table lacks, the last good import is kept in {@code prices-import.json} of
 * the data dir and a failed refresh is reported, never fatal); the user's
 * {@code cctracer.prices-file}; the admin console's cards ({@code prices-admin.json} in
 * the data dir, same format). Every change puts a new table in force and re-prices the
 * stored records on the ingest thread, so every total follows.
 */
public class PriceSources implements SmartInitializingSingleton, DisposableBean, PriceAdmin {

	private static final Logger log = LoggerFactory.getLogger(PriceSources.class);

	/** The admin console's cards in the data dir. */
	public static final String ADMIN_FILE = "prices-admin.json";

	/** The last good import in the data dir. */
	public static final String IMPORT_FILE = "prices-import.json";

	private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
		.enable(SerializationFeature.INDENT_OUTPUT);

	private final PriceTable table;

	private final TracerProperties properties;

	private final PriceImportProperties imports;

	private final Indexer indexer;

	private final Repricer repricer;

	private volatile ImportStatus importStatus;

	private ScheduledExecutorService scheduler;

	PriceSources(PriceTable table, TracerProperties properties, PriceImportProperties imports, Indexer indexer,
			Repricer repricer) {
		this.table = table;
		this.properties = properties;
		this.imports = imports;
		this.indexer = indexer;
		this.repricer = repricer;
		Layers layers = readLayers(properties, imports);
		this.importStatus = new ImportStatus(imports.enabled() ? imports.source() : null, layers.importedAt(),
				layers.importedModels(), null, null);
	}

	/**
	 * The files the data dir holds, as layers; unreadable ones are logged and skipped.
	 */
	record Layers(List<PriceTable.Layer> below, List<PriceTable.Layer> over, Instant importedAt, int importedModels) {

	}

	/**
	 * The table of the bundled prices and every source's layers, as a start-up finds
	 * them.
	 * @throws IllegalArgumentException when {@code cctracer.prices-file} is not a valid
	 * price file (a start-up refusal: the user asked for it)
	 */
	static PriceTable initial(TracerProperties properties, PriceImportProperties imports) {
		Layers layers = readLayers(properties, imports);
		try {
			return PriceTable.load(layers.below(), layers.over());
		}
		catch (IllegalArgumentException ex) {
			if (layers.below().isEmpty() && layers.over().size() <= 1) {
				throw ex;
			}
			// a stored layer of ours is broken: without it, and said so
			log.warn("the stored price cards cannot be used ({}); prices without them", ex.getMessage());
			return PriceTable.load(List.of(), userLayer(properties));
		}
	}

	private static List<PriceTable.Layer> userLayer(TracerProperties properties) {
		return (properties.pricesFile() != null) ? List.of(PriceTable.Layer.read(properties.pricesFile())) : List.of();
	}

	private static Layers readLayers(TracerProperties properties, PriceImportProperties imports) {
		List<PriceTable.Layer> below = new ArrayList<>();
		Instant importedAt = null;
		int importedModels = 0;
		Path dataDir = properties.dataDir();
		if (imports.enabled() && dataDir != null && Files.isRegularFile(dataDir.resolve(IMPORT_FILE))) {
			try {
				PriceTable.Layer layer = PriceTable.Layer.read(dataDir.resolve(IMPORT_FILE));
				below.add(layer);
				importedAt = Files.getLastModifiedTime(dataDir.resolve(IMPORT_FILE)).toInstant();
				importedModels = layer.root().path("models").size();
			}
			catch (IOException | IllegalArgumentException ex) {
				log.warn("cannot read the last price import: {}", ex.getMessage());
			}
		}
		List<PriceTable.Layer> over = new ArrayList<>(userLayer(properties));
		if (dataDir != null && Files.isRegularFile(dataDir.resolve(ADMIN_FILE))) {
			try {
				over.add(PriceTable.Layer.read(dataDir.resolve(ADMIN_FILE)));
			}
			catch (IllegalArgumentException ex) {
				log.warn("cannot read the admin console's price cards: {}", ex.getMessage());
			}
		}
		return new Layers(below, over, importedAt, importedModels);
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (!this.imports.enabled()) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "cctracer-price-import");
			t.setDaemon(true);
			return t;
		});
		long period = Math.max(60_000, this.imports.refresh().toMillis());
		this.scheduler.scheduleWithFixedDelay(() -> {
			try {
				refreshImport();
			}
			catch (RuntimeException ex) {
				log.warn("price import failed: {}", LogText.safe(ex.getMessage()));
			}
		}, 0, period, TimeUnit.MILLISECONDS);
	}

	@Override
	public void destroy() {
		if (this.scheduler != null) {
			this.scheduler.shutdownNow();
		}
	}

	/** The import's state. */
	@Override
	public ImportStatus importStatus() {
		return this.importStatus;
	}

	/** The admin console's cards (in the format of {@code prices.json}'s models). */
	@Override
	public synchronized List<JsonNode> adminCards() {
		ArrayNode models = readAdminFile().withArray("models");
		List<JsonNode> cards = new ArrayList<>();
		models.forEach(cards::add);
		return cards;
	}

	/**
	 * Adds or replaces a card of the admin console, puts the new table in force and
	 * re-prices the stored records.
	 * @param card a model in the format of {@code prices.json} (id, prices with
	 * effective_from, input, output, optional cache prices, long_context,
	 * fast_multiplier)
	 * @throws IllegalArgumentException when the card is not valid (nothing changes)
	 * @throws InterruptedException when interrupted while re-pricing
	 */
	@Override
	public synchronized PriceTable putCard(JsonNode card) throws InterruptedException {
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
		ObjectNode file = readAdminFile();
		ArrayNode kept = this.json.createArrayNode();
		for (JsonNode m : file.withArray("models")) {
			if (!PriceTable.normalize(m.path("id").asText()).equals(PriceTable.normalize(id))) {
				kept.add(m);
			}
		}
		ObjectNode normalized = ((ObjectNode) card.deepCopy()).put("id", id);
		kept.add(normalized);
		return apply(file, kept);
	}

	/**
	 * Removes a card of the admin console (the bundled or imported card applies again).
	 * @return whether there was one
	 */
	@Override
	public synchronized boolean removeCard(String id) throws InterruptedException {
		ObjectNode file = readAdminFile();
		ArrayNode kept = this.json.createArrayNode();
		boolean removed = false;
		for (JsonNode m : file.withArray("models")) {
			if (PriceTable.normalize(m.path("id").asText()).equals(PriceTable.normalize(id))) {
				removed = true;
			}
			else {
				kept.add(m);
			}
		}
		if (removed) {
			apply(file, kept);
		}
		return removed;
	}

	private static final java.util.regex.Pattern MODEL_ID = java.util.regex.Pattern
		.compile("[a-z0-9._:/@\\[\\]-]{1,200}");

	private static final java.util.Set<String> CARD_FIELDS = java.util.Set.of("id", "family", "released", "aliases",
			"fast_multiplier", "inference_geo_multipliers", "prices");

	private static final java.util.Set<String> PERIOD_FIELDS = java.util.Set.of("effective_from", "input", "output",
			"cache_write_5m", "cache_write_1h", "cache_read", "long_context");

	private static final java.util.Set<String> LONG_CONTEXT_FIELDS = java.util.Set.of("above_input_tokens", "input",
			"output", "cache_write_5m", "cache_write_1h", "cache_read");

	/** An unknown field is refused, naming it (a typo would otherwise be ignored). */
	private static void checkFields(JsonNode node, java.util.Set<String> allowed, String what) {
		if (node == null || !node.isObject()) {
			throw new IllegalArgumentException(what + " must be a JSON object");
		}
		node.fieldNames().forEachRemaining((f) -> {
			if (!allowed.contains(f)) {
				throw new IllegalArgumentException(what + " has no field '" + LogText.safe(f) + "'; its fields are "
						+ String.join(", ", new java.util.TreeSet<>(allowed)));
			}
		});
	}

	private PriceTable apply(ObjectNode file, ArrayNode models) throws InterruptedException {
		ObjectNode next = this.json.createObjectNode();
		next.put("version", "admin-" + (file.path("revision").asInt(0) + 1));
		next.put("revision", file.path("revision").asInt(0) + 1);
		next.set("models", models);
		// validated as part of the whole table before anything is written
		Layers layers = readLayers(this.properties, this.imports);
		List<PriceTable.Layer> over = new ArrayList<>(userLayer(this.properties));
		over.add(new PriceTable.Layer(next.path("version").asText(), next));
		PriceTable candidate = PriceTable.load(layers.below(), over);
		write(this.properties.dataDir().resolve(ADMIN_FILE), next);
		return putInForce(candidate);
	}

	/**
	 * Reads the import source now: on success its Claude models become a layer (kept in
	 * the data dir) and costs are re-priced; on failure the last good import stays and
	 * the failure is recorded in {@link #importStatus()}.
	 */
	@Override
	public synchronized ImportStatus refreshImport() {
		if (!this.imports.enabled()) {
			return this.importStatus;
		}
		Instant now = Instant.now();
		try {
			JsonNode litellm = this.json.readTree(fetch(this.imports.source()));
			ObjectNode layer = LiteLlmPrices.convert(litellm, "litellm-" + LocalDate.ofInstant(now, ZoneOffset.UTC));
			Layers layers = readLayers(this.properties, this.imports);
			PriceTable candidate = PriceTable.load(List.of(new PriceTable.Layer(layer.path("version").asText(), layer)),
					layers.over());
			write(this.properties.dataDir().resolve(IMPORT_FILE), layer);
			putInForce(candidate);
			this.importStatus = new ImportStatus(this.imports.source(), now, layer.path("models").size(), now, null);
			log.info("price import: {} Claude models from {}", layer.path("models").size(),
					LogText.safe(this.imports.source()));
		}
		catch (IOException | RuntimeException ex) {
			String reason = ex.getClass().getSimpleName() + ": " + ex.getMessage();
			this.importStatus = new ImportStatus(this.imports.source(), this.importStatus.lastSuccess(),
					this.importStatus.models(), now, LogText.safe(reason));
			log.warn("price import from {} failed, the last good prices stay: {}", LogText.safe(this.imports.source()),
					LogText.safe(reason));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return this.importStatus;
	}

	private PriceTable putInForce(PriceTable candidate) throws InterruptedException {
		this.table.replaceWith(candidate);
		long n = this.indexer.exclusive(this.repricer::repriceIfChanged);
		log.info("price table {} in force ({} stored records re-priced)", this.table.version(), n);
		return this.table;
	}

	private byte[] fetch(String source) throws IOException, InterruptedException {
		long max = this.imports.maxBytes();
		if (source.startsWith("http://") || source.startsWith("https://")) {
			HttpClient client = HttpClient.newBuilder()
				.connectTimeout(this.imports.timeout())
				.followRedirects(HttpClient.Redirect.NORMAL)
				.build();
			HttpResponse<InputStream> response = client.send(
					HttpRequest.newBuilder(URI.create(source)).timeout(this.imports.timeout()).GET().build(),
					HttpResponse.BodyHandlers.ofInputStream());
			try (InputStream in = response.body()) {
				if (response.statusCode() != 200) {
					throw new IOException("HTTP " + response.statusCode());
				}
				return readCapped(in, max);
			}
		}
		Path file = Path.of(source.startsWith("file:") ? URI.create(source).getPath() : source);
		if (Files.size(file) > max) {
			throw new IOException("larger than " + max + " bytes");
		}
		return Files.readAllBytes(file);
	}

	private static byte[] readCapped(InputStream in, long max) throws IOException {
		byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
		if (bytes.length > max) {
			throw new IOException("larger than " + max + " bytes");
		}
		return bytes;
	}

	private ObjectNode readAdminFile() {
		Path file = this.properties.dataDir().resolve(ADMIN_FILE);
		if (!Files.isRegularFile(file)) {
			ObjectNode empty = this.json.createObjectNode();
			empty.putArray("models");
			return empty;
		}
		try {
			JsonNode node = this.json.readTree(Files.readString(file, StandardCharsets.UTF_8));
			if (node instanceof ObjectNode object && object.path("models").isArray()) {
				return object;
			}
			throw new IllegalStateException(file + " is not a price file");
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot read " + file + ": " + ex.getMessage(), ex);
		}
	}

	/** Writes a file whole or not at all (a temporary file moved over it). */
	private void write(Path file, JsonNode content) {
		try {
			Files.createDirectories(file.getParent());
			Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
			Files.write(tmp, this.json.writeValueAsBytes(content));
			try {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("cannot write " + file + ": " + ex.getMessage(), ex);
		}
	}

}
