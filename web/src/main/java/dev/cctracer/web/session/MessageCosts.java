package dev.cctracer.web.session;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.MessageItem;

/**
 * The cost of one message of a transcript: its usage (the largest copy of the API
 * response, as the ingest counts it) priced by the price table in force at the time it
 * counts at ({@link MessageItem#countedAt}), exactly as the ingest prices the copy it
 * counts ({@code calculate} mode: logged {@code costUSD} values are not read here).
 */
@Component
class MessageCosts {

	private final PriceTable prices;

	MessageCosts(PriceTable prices) {
		this.prices = prices;
	}

	/** The message's cost in pico-USD; 0 for a message without usage. */
	long pico(MessageItem item) {
		if (item.usage() == null) {
			return 0;
		}
		return this.prices.cost(item.model(), item.countedAt(), item.usage()).total();
	}

	/** The message's cost in USD, {@code null} for a message without usage. */
	Double usd(MessageItem item) {
		return (item.usage() == null) ? null : Cost.usd(pico(item));
	}

}
