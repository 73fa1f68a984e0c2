package dev.cctracer.worker;

import java.io.IOException;

/**
 * Full-text search streamed hit by hit (for {@code GET /api/search/stream}): a
 * case-insensitive substring of message content over every committed transcript, newest
 * first; snippets are redacted first and cut after.
 */
public interface SearchStream {

	/**
	 * One hit.
	 *
	 * @param project the project dir name
	 * @param session the session id
	 * @param agentId the subagent's id, {@code null} for the main transcript
	 * @param uuid the entry's uuid
	 * @param timestamp the entry's time (UTC, ISO-8601), or {@code null}
	 * @param type the entry's type
	 * @param snippet the redacted text around the match
	 * @param link the path of the message's page
	 */
	record Hit(String project, String session, String agentId, String uuid, String timestamp, String type,
			String snippet, String link) {

	}

	/** Receives streamed hits; answers false to stop. */
	@FunctionalInterface
	interface HitSink {

		boolean accept(Hit hit) throws IOException;

	}

	/**
	 * Streams the hits of {@code text} (in {@code project}, or every project when
	 * {@code null}) to {@code sink} until it answers false or the hits end.
	 * @return hits sent
	 * @throws Exception when DuckDB or the sink fails
	 */
	long stream(String text, String project, HitSink sink) throws Exception;

}
