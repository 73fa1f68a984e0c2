package dev.cctracer.web.analytics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.cctracer.shared.transcript.SearchNeedle;
import dev.cctracer.worker.SearchStream;

/**
 * One hit as the search page shows it (the page builds its links).
 *
 * @param timestamp the entry's time (UTC, ISO-8601), or {@code null}
 * @param project the project dir
 * @param projectPath the project's label ({@code ProjectDto.labels}: its path, with its
 * dir when another project has the same path; its dir when it has none)
 * @param session the session id
 * @param sessionTitle what the pages call the session (title, else first prompt), or
 * {@code null}
 * @param agentId the subagent's id, {@code null} for the main transcript
 * @param agentName what the session page calls that subagent, or {@code null}
 * @param uuid the entry's uuid (its message page), or {@code null}
 * @param type the entry's type
 * @param snippet the redacted text around the match, in pieces; the matches marked
 */
record SearchHitRow(String timestamp, String project, String projectPath, String session, String sessionTitle,
		String agentId, String agentName, String uuid, String type, List<Piece> snippet) {

	/**
	 * A piece of a snippet.
	 *
	 * @param text its characters
	 * @param match whether they are the searched text (case-insensitive)
	 */
	record Piece(String text, boolean match) {

	}

	static SearchHitRow of(SearchStream.Hit hit, String projectPath, String sessionTitle, String agentName,
			SearchNeedle needle) {
		return new SearchHitRow(hit.timestamp(), hit.project(), (projectPath != null) ? projectPath : hit.project(),
				hit.session(), sessionTitle, hit.agentId(), agentName, hit.uuid(), hit.type(),
				pieces(hit.snippet(), needle));
	}

	/**
	 * The snippet cut at each case-insensitive occurrence of {@code find}, as typed or as
	 * a tool input's JSON spells it ({@link SearchNeedle}; compared char by char after
	 * {@link String#toLowerCase(Locale) lower-casing} in the root locale, as the search
	 * does); the whole snippet as one piece when a lower-cased char changes length.
	 */
	static List<Piece> pieces(String snippet, SearchNeedle find) {
		List<Piece> pieces = new ArrayList<>();
		if (snippet == null || snippet.isEmpty()) {
			return pieces;
		}
		String lower = snippet.toLowerCase(Locale.ROOT);
		if (lower.length() != snippet.length() || find.lower().isEmpty()) {
			pieces.add(new Piece(snippet, false));
			return pieces;
		}
		int from = 0;
		for (SearchNeedle.Match m = find.find(lower, 0); m != null; m = find.find(lower, m.at() + m.length())) {
			if (m.at() > from) {
				pieces.add(new Piece(snippet.substring(from, m.at()), false));
			}
			pieces.add(new Piece(snippet.substring(m.at(), m.at() + m.length()), true));
			from = m.at() + m.length();
		}
		if (from < snippet.length()) {
			pieces.add(new Piece(snippet.substring(from), false));
		}
		return pieces;
	}

}
