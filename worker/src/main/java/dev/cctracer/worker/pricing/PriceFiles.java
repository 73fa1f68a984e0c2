package dev.cctracer.worker.pricing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.TracerProperties;

/**
 * The price files as layers of the price table, lowest first: the last good LiteLLM
 * import ({@value #IMPORT_FILE} in the data dir), then the user's
 * {@code cctracer.prices-file}, then the admin console's cards ({@value #ADMIN_FILE} in
 * the data dir). Reads them, and writes the data dir's two files whole or not at all.
 */
final class PriceFiles {

	private static final Logger log = LoggerFactory.getLogger(PriceFiles.class);

	/** The admin console's cards in the data dir. */
	static final String ADMIN_FILE = "prices-admin.json";

	/** The last good import in the data dir. */
	static final String IMPORT_FILE = "prices-import.json";

	private final TracerProperties properties;

	private final ObjectMapper json;

	/**
	 * @param json reads and writes the admin file (big decimals, indented)
	 */
	PriceFiles(TracerProperties properties, ObjectMapper json) {
		this.properties = properties;
		this.json = json;
	}

	/**
	 * The files the data dir holds, as layers; unreadable ones are logged and skipped.
	 *
	 * @param below the import's layer, if any
	 * @param over the user's prices file's layer, then the admin console's, if any
	 * @param importedAt when the last good import was written (UTC), or {@code null}
	 * @param importedModels the Claude models of the last good import
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

	/**
	 * The user's {@code cctracer.prices-file} as a layer, or none.
	 * @throws IllegalArgumentException when it is not a valid price file
	 */
	static List<PriceTable.Layer> userLayer(TracerProperties properties) {
		return (properties.pricesFile() != null) ? List.of(PriceTable.Layer.read(properties.pricesFile())) : List.of();
	}

	/**
	 * Every source's layers as the files are now (the import only when it is enabled).
	 * @throws IllegalArgumentException when {@code cctracer.prices-file} is not a valid
	 * price file
	 */
	static Layers readLayers(TracerProperties properties, PriceImportProperties imports) {
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

	/**
	 * The admin console's file: {@code {"version", "revision", "models": [...]}}, or an
	 * empty {@code models} array when there is none yet.
	 * @throws IllegalStateException when it cannot be read or is not a price file
	 */
	ObjectNode readAdmin() {
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

	/**
	 * Replaces the admin console's file.
	 * @throws IllegalStateException when it cannot be written (the old one stays)
	 */
	void writeAdmin(JsonNode content) {
		write(this.properties.dataDir().resolve(ADMIN_FILE), content);
	}

	/**
	 * Replaces the last good import.
	 * @throws IllegalStateException when it cannot be written (the old one stays)
	 */
	void writeImport(JsonNode content) {
		write(this.properties.dataDir().resolve(IMPORT_FILE), content);
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
