package dev.cctracer.web.admin;

import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What an admin job found, in one line for the console's job list: the rebuild-and-verify
 * report ({@code RebuildVerifier.Report}) and the facts compaction's
 * ({@code CompactionJobs.ArchiveReport}), as their jobs store them (snake_case JSON).
 */
final class JobOutcomes {

	private static final ObjectMapper JSON = new ObjectMapper();

	/** The kinds of job that have a line: {@code verify} and {@code archive}. */
	static final Set<String> KINDS = Set.of("verify", "archive");

	private JobOutcomes() {
	}

	/**
	 * The line for a finished job of {@code kind} ({@code verify} or {@code archive}), or
	 * {@code null} for another kind or a result it cannot read.
	 * @param resultJson the job's stored result
	 */
	static String summary(String kind, String resultJson) {
		if (resultJson == null) {
			return null;
		}
		try {
			JsonNode r = JSON.readTree(resultJson);
			return switch (kind) {
				case "verify" -> verify(r);
				case "archive" -> archive(r);
				default -> null;
			};
		}
		catch (JsonProcessingException ex) {
			return null;
		}
	}

	private static String verify(JsonNode r) {
		long compared = r.path("files_compared").asLong();
		long notCompared = r.path("files_not_compared").asLong();
		// a team's worker compares its own machine's files only: "Equal" alone read as
		// every file's (a team trial: 23 compared, 1,171 not)
		String why = " (another machine's, not on the disk of the worker that ran it, changed or unreadable: the "
				+ "result says which)";
		if (compared == 0 && notCompared > 0) {
			return "Nothing compared: " + files(notCompared) + " not compared" + why + ".";
		}
		if (r.path("equal").asBoolean()) {
			return (notCompared == 0) ? "Equal: " + files(compared) + " compared." : "Equal on the " + files(compared)
					+ " compared; " + count(notCompared) + " not compared" + why + ".";
		}
		String aside = (notCompared > 0) ? ", " + count(notCompared) + " not compared" : "";
		return count(r.path("differing_files").asLong()) + " of " + files(compared) + " differ" + aside
				+ " (the result lists them).";
	}

	private static String count(long n) {
		return String.format(Locale.ROOT, "%,d", n);
	}

	private static String files(long n) {
		return count(n) + ((n == 1) ? " file" : " files");
	}

	private static String archive(JsonNode r) {
		long converted = r.path("converted").asLong();
		long orphans = r.path("orphans").asLong();
		String removed = (orphans > 0) ? "; " + orphans + " unrecorded batch files removed" : "";
		if (converted == 0) {
			return "Nothing to compact: no small batch of facts quiet for long enough" + removed + ".";
		}
		return String.format(Locale.ROOT, "Compacted %d batches (%,d entries, %.1f → %.1f MB)%s.", converted,
				r.path("rows").asLong(), r.path("bytes_in").asLong() / 1e6, r.path("bytes_out").asLong() / 1e6,
				removed);
	}

}
