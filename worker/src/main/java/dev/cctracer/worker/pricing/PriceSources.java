package dev.cctracer.worker.pricing;

import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;

import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.PriceAdmin;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.indexing.Indexer;
import dev.cctracer.worker.indexing.Repricer;
import dev.cctracer.worker.pricing.PriceFiles.Layers;

/**
 * Where the cards of the price table in force come from, lowest first: the bundled table;
 * a LiteLLM import ({@code cctracer.prices.import}, refreshed daily; it only adds models
 * the bundled table lacks, the last good import is kept in {@code prices-import.json} of
 * the data dir and a failed refresh is reported, never fatal); the user's
 * {@code cctracer.prices-file}; the admin console's cards ({@code prices-admin.json} in
 * the data dir, same format). Every change puts a new table in force and re-prices the
 * stored records on the ingest thread, so every total follows.
 * <p>
 * The files are read and written by {@link PriceFiles}, a card's shape is checked by
 * {@link PriceCardRules}, the import source is read by {@link PriceImportFetcher}.
 */
public class PriceSources implements SmartInitializingSingleton, DisposableBean, PriceAdmin {

	private static final Logger log = LoggerFactory.getLogger(PriceSources.class);

	/** The admin console's cards in the data dir. */
	public static final String ADMIN_FILE = PriceFiles.ADMIN_FILE;

	/** The last good import in the data dir. */
	public static final String IMPORT_FILE = PriceFiles.IMPORT_FILE;

	private final ObjectMapper json = PriceFiles.STORED;

	private final PriceTable table;

	private final TracerProperties properties;

	private final PriceImportProperties imports;

	private final Indexer indexer;

	private final Repricer repricer;

	private final PriceFiles files;

	private final PriceImportFetcher fetcher;

	private volatile ImportStatus importStatus;

	private ScheduledExecutorService scheduler;

	PriceSources(PriceTable table, TracerProperties properties, PriceImportProperties imports, Indexer indexer,
			Repricer repricer) {
		this.table = table;
		this.properties = properties;
		this.imports = imports;
		this.indexer = indexer;
		this.repricer = repricer;
		this.files = new PriceFiles(properties, this.json);
		this.fetcher = new PriceImportFetcher(imports);
		Layers layers = PriceFiles.readLayers(properties, imports);
		this.importStatus = new ImportStatus(imports.enabled() ? imports.source() : null, layers.importedAt(),
				layers.importedModels(), null, null);
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
		ArrayNode models = this.files.readAdmin().withArray("models");
		List<JsonNode> cards = new ArrayList<>();
		models.forEach(cards::add);
		return cards;
	}

	@Override
	public List<String> setAside() {
		return PriceFiles.setAsideFiles(this.properties.dataDir());
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
		String id = PriceCardRules.checkedId(card);
		ObjectNode file = this.files.readAdmin();
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
		ObjectNode file = this.files.readAdmin();
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

	private PriceTable apply(ObjectNode file, ArrayNode models) throws InterruptedException {
		ObjectNode next = this.json.createObjectNode();
		next.put("version", "admin-" + (file.path("revision").asInt(0) + 1));
		next.put("revision", file.path("revision").asInt(0) + 1);
		next.set("models", models);
		// validated as part of the whole table before anything is written
		Layers layers = PriceFiles.readLayers(this.properties, this.imports);
		List<PriceTable.Layer> over = new ArrayList<>(PriceFiles.userLayer(this.properties));
		over.add(new PriceTable.Layer(next.path("version").asText(), next));
		PriceTable candidate = PriceTable.load(layers.below(), over);
		this.files.writeAdmin(next);
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
			JsonNode litellm = this.json.readTree(this.fetcher.fetch(this.imports.source()));
			ObjectNode layer = LiteLlmPrices.convert(litellm, "litellm-" + LocalDate.ofInstant(now, ZoneOffset.UTC));
			Layers layers = PriceFiles.readLayers(this.properties, this.imports);
			PriceTable candidate = PriceTable.load(List.of(new PriceTable.Layer(layer.path("version").asText(), layer)),
					layers.over());
			this.files.writeImport(layer);
			putInForce(candidate);
			this.importStatus = new ImportStatus(this.imports.source(), now, layer.path("models").size(), now, null);
			log.info("price import: {} Claude models from {}{}", layer.path("models").size(),
					LogText.safe(this.imports.source()),
					(layer.path("skipped").asInt() > 0) ? "; " + layer.path("skipped").asInt()
							+ " left out (a price below 0 or past $1,000 per million tokens)" : "");
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

}
