package dev.cctracer.shared.transcript;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What a failed tool result ({@code is_error: true}) says of its call: the tool failed,
 * the user (or a permission rule) declined the call, or Claude Code cancelled it because
 * a parallel call of the same response failed. Told by the result's text, which Claude
 * Code writes itself for the last two; the beginnings are those of Claude Code 2.x's
 * transcripts ({@code ../shared/realdata/cc-2026}: "The user doesn't want to proceed with
 * this tool use…", "Permission for this tool use was denied…",
 * "&lt;tool_use_error&gt;Cancelled: parallel tool call …", "&lt;tool_use_error&gt;Sibling
 * tool call errored…"). A user trial found a third of a history's "errors" were declined
 * or cancelled calls, which overstated which tools fail.
 */
public enum ToolFailure {

	/** The tool ran, or tried to, and failed. */
	FAILED,

	/** The user or a permission rule declined the call, or the user stopped it. */
	DECLINED,

	/** Cancelled because a parallel call of the same response failed. */
	CANCELLED;

	private static final List<String> DECLINED_BEGINNINGS = List.of("The user doesn't want to proceed",
			"The user doesn't want to take this action", "Permission for this tool use was denied",
			"Permission to use ", "[Request interrupted by user");

	private static final List<String> CANCELLED_BEGINNINGS = List.of("<tool_use_error>Cancelled: parallel tool call",
			"<tool_use_error>Sibling tool call errored");

	/** The white space a result's text may begin with: space, tab, line feed, return. */
	private static final String WHITE = " \t\n\r";

	/**
	 * The kind of a failed result by its text (leading white space ignored); a result
	 * without text failed.
	 */
	public static ToolFailure of(String text) {
		if (text == null) {
			return FAILED;
		}
		int i = 0;
		while (i < text.length() && WHITE.indexOf(text.charAt(i)) >= 0) {
			i++;
		}
		String t = text.substring(i);
		if (DECLINED_BEGINNINGS.stream().anyMatch(t::startsWith)) {
			return DECLINED;
		}
		return CANCELLED_BEGINNINGS.stream().anyMatch(t::startsWith) ? CANCELLED : FAILED;
	}

	/** Its name in JSON and CSV: {@code failed}, {@code declined}, {@code cancelled}. */
	public String label() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The same rule as a DuckDB SQL expression over the text expression {@code text}:
	 * {@code 'failed'}, {@code 'declined'} or {@code 'cancelled'} ({@code 'failed'} when
	 * it is null).
	 */
	public static String sql(String text) {
		String t = "ltrim(coalesce(" + text + ", ''), ' ' || chr(9) || chr(10) || chr(13))";
		return "CASE WHEN " + startsWithAny(t, DECLINED_BEGINNINGS) + " THEN 'declined' WHEN "
				+ startsWithAny(t, CANCELLED_BEGINNINGS) + " THEN 'cancelled' ELSE 'failed' END";
	}

	private static String startsWithAny(String t, List<String> beginnings) {
		return beginnings.stream()
			.map((b) -> "starts_with(" + t + ", '" + b.replace("'", "''") + "')")
			.collect(Collectors.joining(" OR ", "(", ")"));
	}

}
