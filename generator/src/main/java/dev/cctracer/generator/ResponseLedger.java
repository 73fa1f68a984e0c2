package dev.cctracer.generator;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.pricing.PriceTable;

/**
 * Counts each API response once into the ground truth, the way the app's dedup rule does:
 * the copies of a response (a resumed session repeats the history of an earlier one) are
 * equal, so the copy in the first file in path order counts, at the UTC day of its final
 * line, priced by the bundled price table (pico-USD).
 */
final class ResponseLedger {

	private final PriceTable prices = PriceTable.bundled();

	private final GroundTruth truth;

	/** Responses already counted, by message id: the copy that counts and where it is. */
	private final Map<String, Counted> countedIn = new HashMap<>();

	private record Counted(String project, String session, String file, String day, String model, Usage usage,
			long cost) {

	}

	ResponseLedger(GroundTruth truth) {
		this.truth = truth;
	}

	/**
	 * Counts a response whose final line was just written.
	 * @param project the project dir
	 * @param session the session id
	 * @param file the file's path relative to {@code projects/}
	 * @param response the response; its {@code finalTs} when set, else {@code now}
	 * @param now the session's clock, epoch milliseconds (UTC)
	 */
	void count(String project, String session, String file, ApiResponse response, long now) {
		long finalTs = (response.finalTs() != 0) ? response.finalTs() : now;
		Counted previous = this.countedIn.get(response.messageId());
		if (previous != null) {
			this.truth.crossFileCopies++;
			// an identical copy: the first file in path order keeps it
			if (previous.file().compareTo(file) <= 0) {
				return;
			}
			this.truth.count(previous.project(), previous.session(), previous.file(), previous.day(), previous.model(),
					previous.usage(), previous.cost(), -1);
		}
		long cost = this.prices.cost(response.model(), finalTs, response.usage()).total();
		String day = Instant.ofEpochMilli(finalTs).toString().substring(0, 10);
		this.countedIn.put(response.messageId(),
				new Counted(project, session, file, day, response.model(), response.usage(), cost));
		this.truth.count(project, session, file, day, response.model(), response.usage(), cost, 1);
	}

}
