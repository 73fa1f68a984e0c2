package dev.cctracer.web.session;

import java.time.Instant;

/**
 * How the session package writes transcript values into its JSON bodies: timestamps as
 * ISO-8601 UTC instants, long text as a short preview.
 */
final class DtoFields {

	private DtoFields() {
	}

	/**
	 * An epoch-millisecond timestamp as an ISO-8601 UTC instant (e.g.
	 * {@code 2026-01-09T09:30:00Z}), {@code null} for {@code null}.
	 */
	static String iso(Long epochMillis) {
		return (epochMillis == null) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

	/**
	 * Text stripped and cut to at most {@code max} characters (a cut one ends with
	 * {@code …}), {@code null} for {@code null}.
	 */
	static String preview(String s, int max) {
		if (s == null) {
			return null;
		}
		String t = s.strip();
		// by code points: an emoji at the cut stays whole
		return (t.codePointCount(0, t.length()) <= max) ? t : t.substring(0, t.offsetByCodePoints(0, max - 1)) + "…";
	}

}
