package dev.cctracer.web.session;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.MessageKind;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.IndexedFiles.CountedResponses;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The cost of one message of a transcript: its usage (the largest copy of the API
 * response, as the ingest counts it) priced by the price table in force at the time it
 * counts at ({@link MessageItem#countedAt}), exactly as the ingest prices the copy it
 * counts ({@code calculate} mode: logged {@code costUSD} values are not read here); and,
 * through {@link #of}, whether the totals count it in this file at all.
 */
@Component
class MessageCosts {

	private final PriceTable prices;

	private final IndexedFiles files;

	MessageCosts(PriceTable prices, IndexedFiles files) {
		this.prices = prices;
		this.files = files;
	}

	/** The message's cost in pico-USD; 0 for a message without usage. */
	long pico(MessageItem item) {
		if (item.usage() == null) {
			return 0;
		}
		return cost(item).total();
	}

	/** The message's usage priced (its usage must not be {@code null}). */
	Cost cost(MessageItem item) {
		return this.prices.cost(item.model(), item.countedAt(), item.usage());
	}

	/** The message's cost in USD, {@code null} for a message without usage. */
	Double usd(MessageItem item) {
		return (item.usage() == null) ? null : Cost.usd(pico(item));
	}

	/**
	 * What the totals count of this file's messages (one look-up of its counted copies).
	 */
	Counted of(FileRef file) {
		return new Counted(this, this.files.countedResponses(file));
	}

	/** The messages of one file as the totals count them. */
	record Counted(MessageCosts costs, CountedResponses responses) {

		/**
		 * Whether the totals count the message's usage here: {@code null} without usage
		 * or for Claude Code's own entries (an API error, a {@code <synthetic>} notice:
		 * never billed, never counted anywhere), {@code false} when its response counts
		 * in another file (a resumed session's or a side question's copy) or by another
		 * copy (the main transcript's, for a sidechain's copy of the same response).
		 */
		Boolean counted(MessageItem item) {
			// an inline sidechain's notice is a SUBAGENT item: its model tells it
			if (item.usage() == null || item.kind() == MessageKind.API_ERROR || item.kind() == MessageKind.SYSTEM
					|| LogEntry.SYNTHETIC_MODEL.equals(item.model())) {
				return null;
			}
			return this.responses.counts(item.messageId(), item.requestId(), item.sidechain());
		}

		/**
		 * What the message adds to the totals (USD): its cost when they count it here,
		 * else {@code null}, so a timeline's costs add up to its total.
		 */
		Double usd(MessageItem item) {
			return Boolean.TRUE.equals(counted(item)) ? this.costs.usd(item) : null;
		}

		/**
		 * Whether the price table prices the message's model ({@code false}: a model of
		 * no known family, whose tokens cost 0 — only its web searches' fee counts);
		 * {@code null} where {@link #counted} is.
		 */
		Boolean priced(MessageItem item) {
			return (counted(item) == null) ? null : this.costs.cost(item).priced();
		}

		/**
		 * Whether the message's model is priced by its family's newest card (an id the
		 * table does not list); {@code null} where {@link #counted} is.
		 */
		Boolean estimated(MessageItem item) {
			return (counted(item) == null) ? null : this.costs.cost(item).estimated();
		}

		/** {@link #usd} in pico-USD, 0 for none. */
		long pico(MessageItem item) {
			return Boolean.TRUE.equals(counted(item)) ? this.costs.pico(item) : 0;
		}

	}

}
