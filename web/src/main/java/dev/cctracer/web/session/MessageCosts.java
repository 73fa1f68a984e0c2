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
	private Cost cost(MessageItem item) {
		return this.prices.cost(item.model(), item.countedAt(), item.usage());
	}

	/**
	 * What the totals count of this file's messages (one look-up of its counted copies).
	 */
	Counted of(FileRef file) {
		return new Counted(this, this.files.countedResponses(file));
	}

	/** A message's row's cost fields ({@link Counted#row}). */
	record Row(Double usd, Boolean counted, Boolean priced, Boolean estimated) {

		/** A message without usage, or Claude Code's own entry. */
		static final Row NONE = new Row(null, null, null, null);

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
		 * What a message's row says of its cost, from one look-up of {@link #counted} and
		 * one pricing: {@code usd}, what it adds to the totals (its cost when they count
		 * it here, else {@code null}, so a timeline's costs add up to its total);
		 * {@code counted}; {@code priced} ({@code false}: a model of no known family,
		 * whose tokens cost 0 — only its web searches' fee counts) and {@code estimated}
		 * (an id the table does not list, priced by its family's newest card), both
		 * {@code null} where {@code counted} is.
		 */
		Row row(MessageItem item) {
			Boolean counts = counted(item);
			if (counts == null) {
				return Row.NONE;
			}
			Cost cost = this.costs.cost(item);
			return new Row(counts ? Cost.usd(cost.total()) : null, counts, cost.priced(), cost.estimated());
		}

		/** {@link #usd} in pico-USD, 0 for none. */
		long pico(MessageItem item) {
			return Boolean.TRUE.equals(counted(item)) ? this.costs.pico(item) : 0;
		}

	}

}
