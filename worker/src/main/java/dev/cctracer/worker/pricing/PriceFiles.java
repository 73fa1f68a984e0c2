package dev.cctracer.worker.pricing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.cctracer.shared.log.Causes;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.startup.DataDirCheck;

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

	/** Reads and writes a stored file's prices as written (big decimals, indented). */
	static final ObjectMapper STORED = PriceTable.JSON.copy().enable(SerializationFeature.INDENT_OUTPUT);

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
			List<PriceTable.Layer> user = userLayer(properties);
			// the user's own file at fault: a refusal, as the user asked for it
			PriceTable.load(List.of(), user);
			// else a stored layer of ours (a card an older version let in): each that
			// fails over the user's file is set aside, said so once
			List<PriceTable.Layer> admin = layers.over().subList(user.size(), layers.over().size());
			IllegalArgumentException fault = admin.isEmpty() ? null : failure(List.of(), concat(user, admin));
			if (fault != null) {
				keepUsableCards(properties.dataDir().resolve(ADMIN_FILE), user, fault);
			}
			fault = layers.below().isEmpty() ? null : failure(layers.below(), user);
			if (fault != null) {
				setAside(properties.dataDir().resolve(IMPORT_FILE), "the last price import", fault);
			}
			Layers left = readLayers(properties, imports);
			IllegalArgumentException still = failure(left.below(), left.over());
			if (still != null) {
				// each stored file loads over the user's, not all of them together
				log.warn("the stored price files do not load together ({}): prices of the bundled table and "
						+ "cctracer.prices-file only", LogText.safe(Causes.headline(still)));
				return PriceTable.load(List.of(), user);
			}
			return PriceTable.load(left.below(), left.over());
		}
	}

	/**
	 * The admin console's stored file holds a card the table refuses (one an older
	 * version let in): the file as it was is set aside ({@link #setAside}), and the cards
	 * that load, each over the user's file and the ones kept before it, are written again
	 * as the console's file; one WARN line names the cards left out. Nothing is kept when
	 * the file is not a JSON object with a {@code models} list.
	 * @param user the user's prices file's layer, if any
	 * @param fault why the whole file was refused
	 */
	private static void keepUsableCards(Path file, List<PriceTable.Layer> user, IllegalArgumentException fault) {
		ObjectNode root;
		try {
			JsonNode node = STORED.readTree(Files.readString(file, StandardCharsets.UTF_8));
			root = (node instanceof ObjectNode o && o.path("models").isArray()) ? o : null;
		}
		catch (IOException ex) {
			root = null;
		}
		ArrayNode kept = STORED.createArrayNode();
		List<String> left = new ArrayList<>();
		if (root != null) {
			for (JsonNode card : root.path("models")) {
				ObjectNode trial = root.deepCopy();
				trial.set("models", kept.deepCopy().add(card));
				if (failure(List.of(), concat(user, List.of(new PriceTable.Layer("admin", trial)))) == null) {
					kept.add(card);
				}
				else {
					left.add(LogText.safe(card.path("id").asText("(no id)")));
				}
			}
		}
		if (kept.isEmpty()) {
			setAside(file, "the admin console's price cards", fault);
			return;
		}
		String reason = Causes.headline(fault);
		try {
			Path original = moveAside(file);
			root.set("models", kept);
			write(file, root, STORED);
			log.warn(
					"cannot use {} of the admin console's {} price cards ({}): left out {}, the others kept; "
							+ "the file as it was moved aside as {}",
					left.size(), kept.size() + left.size(), LogText.safe(reason), String.join(", ", left),
					original.getFileName());
		}
		catch (IOException | IllegalStateException ex) {
			log.warn(
					"cannot use {} of the admin console's {} price cards ({}), prices without them; nor keep the "
							+ "others: {}",
					left.size(), kept.size() + left.size(), LogText.safe(reason), LogText.safe(ex.getMessage()));
		}
	}

	/** Why a table of these layers does not load, or {@code null} when it does. */
	private static IllegalArgumentException failure(List<PriceTable.Layer> below, List<PriceTable.Layer> over) {
		try {
			PriceTable.load(below, over);
			return null;
		}
		catch (IllegalArgumentException ex) {
			return ex;
		}
	}

	private static List<PriceTable.Layer> concat(List<PriceTable.Layer> a, List<PriceTable.Layer> b) {
		List<PriceTable.Layer> all = new ArrayList<>(a);
		all.addAll(b);
		return all;
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
				setAside(dataDir.resolve(IMPORT_FILE), "the last price import", ex);
			}
		}
		List<PriceTable.Layer> over = new ArrayList<>(userLayer(properties));
		if (dataDir != null && Files.isRegularFile(dataDir.resolve(ADMIN_FILE))) {
			try {
				over.add(PriceTable.Layer.read(dataDir.resolve(ADMIN_FILE)));
			}
			catch (IllegalArgumentException ex) {
				setAside(dataDir.resolve(ADMIN_FILE), "the admin console's price cards", ex);
			}
		}
		return new Layers(below, over, importedAt, importedModels);
	}

	/**
	 * The admin console's file: {@code {"version", "revision", "models": [...]}}, or an
	 * empty {@code models} array when there is none yet, or it could not be read (then it
	 * is set aside, {@link #setAside}).
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
			throw new IOException("not a price file (an object with a models list)");
		}
		catch (IOException ex) {
			// set aside like a corrupt database: the console works, and a card saved
			// starts a new file
			setAside(file, "the admin console's price cards", ex);
			ObjectNode empty = this.json.createObjectNode();
			empty.putArray("models");
			return empty;
		}
	}

	/**
	 * Moves an unreadable price file of the data dir aside as
	 * {@code <name>.corrupt-<UTC time>} (kept for the user, listed by
	 * {@link #setAsideFiles}) and says so in one WARN line, so that it is said once and
	 * the app goes on without it; if it cannot be moved it stays, skipped.
	 * @param what what the file holds, for the log
	 * @return where it was moved, or {@code null} when it could not be
	 */
	static Path setAside(Path file, String what, Exception cause) {
		String reason = Causes.headline(cause);
		try {
			Path target = moveAside(file);
			log.warn("cannot read {} ({}): moved aside as {}, prices without it", what, LogText.safe(reason),
					target.getFileName());
			return target;
		}
		catch (IOException ex) {
			log.warn("cannot read {} ({}), prices without it; nor move it aside: {}", what, LogText.safe(reason),
					LogText.safe(ex.getMessage()));
			return null;
		}
	}

	/**
	 * Moves a file to {@code <name>.corrupt-<UTC time>} beside it ({@code -2},
	 * {@code -3}… appended for a second one within the same second).
	 * @return where it now is
	 * @throws IOException when it cannot be moved
	 */
	private static Path moveAside(Path file) throws IOException {
		String stamp = file.getFileName() + DataDirCheck.corruptSuffix(Instant.now());
		Path target = file.resolveSibling(stamp);
		for (int n = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS) && n < 100; n++) {
			target = file.resolveSibling(stamp + "-" + n);
		}
		return Files.move(file, target);
	}

	/**
	 * The names of the price files set aside in the data dir ({@link #setAside}), oldest
	 * first; none when it cannot be listed.
	 */
	static List<String> setAsideFiles(Path dataDir) {
		if (dataDir == null || !Files.isDirectory(dataDir)) {
			return List.of();
		}
		try (var files = Files.list(dataDir)) {
			return files.map((f) -> f.getFileName().toString())
				.filter((n) -> (n.startsWith(ADMIN_FILE) || n.startsWith(IMPORT_FILE))
						&& n.contains(DataDirCheck.CORRUPT))
				.sorted(Comparator.comparing((String n) -> n.substring(n.indexOf(DataDirCheck.CORRUPT))))
				.toList();
		}
		catch (IOException ex) {
			return List.of();
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

	private void write(Path file, JsonNode content) {
		write(file, content, this.json);
	}

	/** Writes a file whole or not at all (a temporary file moved over it). */
	private static void write(Path file, JsonNode content, ObjectMapper json) {
		try {
			Files.createDirectories(file.getParent());
			Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
			Files.write(tmp, json.writeValueAsBytes(content));
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
