package dev.cctracer.worker.facts;

import java.util.Set;

/**
 * An analytic cannot be answered here: the facts dir of this process holds nothing of
 * machines whose fact segments the shared database records (a worker without the team's
 * {@code cctracer.facts.dir}, or the shared mount away). The job fails with this message
 * (JobRunr retries it, perhaps on another worker) instead of answering without those
 * machines' transcripts, an answer the web kept for the data version (a team trial). The
 * message names no absolute path (it is shown to API clients).
 */
public class FactsNotSharedException extends IllegalStateException {

	/**
	 * @param machines the {@code origin=<origin>} directories this facts dir lacks
	 */
	public FactsNotSharedException(Set<String> machines) {
		super("this worker's facts dir (cctracer.facts.dir) holds no facts of " + String.join(", ", machines)
				+ ", another machine's that the shared database records: every process on one database needs the "
				+ "same cctracer.facts.dir (docs/operations.md); if that machine's facts were removed on purpose, "
				+ "an empty directory of that name in the facts dir has them forgotten");
	}

}
