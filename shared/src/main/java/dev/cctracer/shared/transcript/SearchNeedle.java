package dev.cctracer.shared.transcript;

import java.util.Locale;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/**
 * A text to find, case-insensitively, in a transcript's searchable text: lower-cased in
 * the root locale, and also as it reads inside a tool input. A tool input is kept as
 * compact JSON (the facts' text, {@link TranscriptText.Content#searchable()}), where a
 * quote, a backslash and a control character are escaped: {@code grep "TODO"} is
 * {@code grep \"TODO\"} there and a Windows path {@code src\main} is {@code src\\main},
 * so a search for the text as the user sees it matches either spelling (a user trial
 * found such searches empty while the timeline showed the command).
 *
 * @param lower the text lower-cased
 * @param escaped {@code lower} as Jackson writes it inside a JSON string ({@code \"},
 * {@code \\}, {@code \n}, {@code \r}, {@code \t}, {@code \b}, {@code \f}, other control
 * characters as a backslash, {@code u} and four hex digits), lower-cased; equal to
 * {@code lower} when it holds none of those
 */
public record SearchNeedle(String lower, String escaped) {

	/**
	 * A match: where it starts and how long it is, in chars of the searched text.
	 *
	 * @param at the index of its first char
	 * @param length its length in chars
	 */
	public record Match(int at, int length) {

	}

	/** The needle of {@code text} as the user typed it. */
	public static SearchNeedle of(String text) {
		String lower = text.toLowerCase(Locale.ROOT);
		return new SearchNeedle(lower, escape(lower));
	}

	/** Whether the escaped spelling differs from the text's. */
	public boolean hasEscapedForm() {
		return !this.lower.equals(this.escaped);
	}

	/**
	 * The escaped spelling when it differs from the text's, else {@code null}: the second
	 * pattern of a query that looks for both.
	 */
	public String escapedOrNull() {
		return hasEscapedForm() ? this.escaped : null;
	}

	/** Whether {@code lowerText} (already lower-cased) holds either spelling. */
	public boolean foundIn(String lowerText) {
		return lowerText.contains(this.lower) || (hasEscapedForm() && lowerText.contains(this.escaped));
	}

	/**
	 * The first match of either spelling in {@code lowerText} (already lower-cased) at or
	 * after {@code from}, or {@code null}.
	 */
	public Match find(String lowerText, int from) {
		int plain = lowerText.indexOf(this.lower, from);
		int json = hasEscapedForm() ? lowerText.indexOf(this.escaped, from) : -1;
		if (plain < 0 && json < 0) {
			return null;
		}
		return (json < 0 || (plain >= 0 && plain <= json)) ? new Match(plain, this.lower.length())
				: new Match(json, this.escaped.length());
	}

	/**
	 * {@code text} with the escapes Jackson writes inside a JSON string, lower-cased (its
	 * {@code \u001F} as {@code \u001f}, as the lower-cased searched text has it).
	 */
	static String escape(String text) {
		String quoted = new String(JsonStringEncoder.getInstance().quoteAsString(text));
		return quoted.equals(text) ? text : quoted.toLowerCase(Locale.ROOT);
	}

}
