package dev.cctracer.worker;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.cctracer.shared.pricing.PriceTable;

/**
 * Price administration for the web: the admin console's cards (kept in the data dir's
 * {@code prices-admin.json}) and the LiteLLM import.
 */
public interface PriceAdmin {

	/**
	 * The import's state.
	 *
	 * @param source where it reads from ({@code null}: off)
	 * @param lastSuccess when the last good import was read (UTC), or {@code null}
	 * @param models the Claude models of the last good import
	 * @param lastAttempt when a read was last tried, or {@code null}
	 * @param lastError why the last read failed, {@code null} when it did not
	 */
	record ImportStatus(String source, Instant lastSuccess, int models, Instant lastAttempt, String lastError) {

	}

	/** The import's state. */
	ImportStatus importStatus();

	/** The admin console's cards (in the format of {@code prices.json}'s models). */
	List<JsonNode> adminCards();

	/**
	 * The price files of the data dir that could not be read or used and were moved aside
	 * ({@code prices-admin.json.corrupt-<UTC time>}, …), oldest first: kept for the user,
	 * the app goes on without them.
	 */
	List<String> setAside();

	/**
	 * Adds or replaces a card of the admin console, puts the new table in force and
	 * re-prices the stored records.
	 * @param card a model in the format of {@code prices.json} (id, prices with
	 * effective_from, input, output, optional cache prices, long_context,
	 * fast_multiplier)
	 * @return the table now in force
	 * @throws IllegalArgumentException when the card is not valid (nothing changes)
	 * @throws InterruptedException when interrupted while re-pricing
	 */
	PriceTable putCard(JsonNode card) throws InterruptedException;

	/**
	 * Removes a card of the admin console (the bundled or imported card applies again).
	 * @return whether there was one
	 * @throws InterruptedException when interrupted while re-pricing
	 */
	boolean removeCard(String id) throws InterruptedException;

	/**
	 * Reads the import source now: on success its Claude models become a layer and costs
	 * are re-priced; on failure the last good import stays and the failure is recorded in
	 * {@link #importStatus()}.
	 */
	ImportStatus refreshImport();

}
