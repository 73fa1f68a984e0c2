package dev.cctracer.web.admin;

import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.PriceAdmin;

/**
 * The price cards of the admin console and the price import, for scripts (admin login;
 * state changes need the {@code X-Requested-By} header).
 */
@RestController
@RequestMapping("/api/admin/prices")
class PriceAdminApiController {

	private final PriceAdmin prices;

	private final PriceTable table;

	private final UsageService usage;

	PriceAdminApiController(PriceAdmin prices, PriceTable table, UsageService usage) {
		this.prices = prices;
		this.table = table;
		this.usage = usage;
	}

	/**
	 * The price state: the table's version, the console's cards, the import and every
	 * model the table does not list.
	 */
	record PricesDto(String version, List<JsonNode> cards, PriceAdmin.ImportStatus importStatus,
			List<Dtos.UnknownModelDto> unknownModels) {

	}

	@GetMapping
	PricesDto prices() {
		return new PricesDto(this.table.version(), this.prices.adminCards(), this.prices.importStatus(),
				this.usage.unknownModels());
	}

	/**
	 * Adds or replaces the card of {@code id} (body: a model of {@code prices.json}; its
	 * {@code id} is taken from the path, and a body that names another is refused);
	 * stored costs are re-priced before the answer.
	 * @throws IllegalArgumentException (400) for a body that is not a card or names
	 * another id
	 */
	@PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
	PricesDto put(@PathVariable String id, @RequestBody String body) throws InterruptedException {
		JsonNode card;
		try {
			// numbers as written: a double made 1e-999999999 a price of 0
			card = PriceTable.JSON.readTree(body);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("the body must be a price card (a JSON object)");
		}
		if (card == null || !card.isObject()) {
			throw new IllegalArgumentException("the body must be a price card (a JSON object)");
		}
		if (card.hasNonNull("id") && !card.get("id").asText().equals(id)) {
			// a card saved under another name than it says (a trial's PUT …/claude-bar
			// with "id": "other" was stored as claude-bar)
			throw new IllegalArgumentException("the card's id must be the path's (" + id + "), or absent");
		}
		((ObjectNode) card).put("id", id);
		this.prices.putCard(card);
		return prices();
	}

	/**
	 * Removes the console's card of {@code id}; stored costs are re-priced before the
	 * answer.
	 * @throws NotFoundException (404, problem details) when the console has no such card
	 */
	@DeleteMapping("/{id}")
	PricesDto delete(@PathVariable String id) throws InterruptedException {
		if (!this.prices.removeCard(id)) {
			throw new NotFoundException("no price card '" + id + "' saved in the console");
		}
		return prices();
	}

	/** Reads the import's source now; the answer says how it went. */
	@PostMapping("/import")
	PriceAdmin.ImportStatus refresh() {
		return this.prices.refreshImport();
	}

}
