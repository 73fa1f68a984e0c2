package dev.cctracer.shared.usage;

import java.util.Locale;

import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.transcript.Redactor;

/**
 * An API error Claude Code logged in a transcript: an assistant line with
 * {@code isApiErrorMessage:true} (model {@code <synthetic>}, all-zero usage), or a
 * {@code <synthetic>} line whose text starts with {@code API Error}. It is an error of
 * its session, never a message, a model or a cost.
 *
 * @param lineOffset the line's byte offset in its file
 * @param timestamp epoch milliseconds, or {@code null} when the line has none
 * @param kind the kind Claude Code logged (its {@code error} field: {@code rate_limit},
 * {@code server_error}, {@code authentication_failed}, {@code billing_error},
 * {@code invalid_request}, {@code max_output_tokens}, {@code unknown}…), else one of
 * {@link #KINDS} read from the text
 * @param text the error text as logged, redacted ({@link Redactor#redact(String)}: an
 * authentication error may quote the key it refused), then cut to
 * {@value LogEntry#LABEL_MAX} characters, or {@code null}
 */
public record ApiError(long lineOffset, Long timestamp, String kind, String text) {

	public ApiError {
		// redacted whole, then cut: a key crossing the cut stays masked
		text = Redactor.redactThenCut(text, LogEntry.LABEL_MAX);
	}

	/** The kinds, in the order the text is tested for them. */
	public static final String[] KINDS = { "overloaded", "rate_limit", "authentication", "billing", "prompt_too_long",
			"aborted", "timeout", "connection", "server", "other" };

	/**
	 * The kind of an API error: the logged {@code error} field when there is one, else
	 * {@link #kindOf(String)} of the text.
	 * @param logged the line's {@code error} string, may be {@code null}
	 * @param text the error text, may be {@code null}
	 */
	public static String kindOf(String logged, String text) {
		if (logged != null && !logged.isBlank()) {
			return Redactor.redactThenCut(logged, 32);
		}
		return kindOf(text);
	}

	/**
	 * Classifies an error text as Claude Code writes it (e.g. {@code API Error: 529
	 * {"type":"error","error":{"type":"overloaded_error",…}}},
	 * {@code API Error: Request was
	 * aborted.}, {@code OAuth token has expired · Please run /login}, {@code Claude AI
	 * usage limit reached}).
	 * @param text the text, may be {@code null}
	 * @return one of {@link #KINDS}
	 */
	public static String kindOf(String text) {
		if (text == null) {
			return "other";
		}
		String t = text.toLowerCase(Locale.ROOT);
		if (t.contains("overloaded") || t.contains(" 529")) {
			return "overloaded";
		}
		if (t.contains("rate limit") || t.contains("rate_limit") || t.contains(" 429") || t.contains("usage limit")
				|| t.contains("limit reached")) {
			return "rate_limit";
		}
		if (t.contains("/login") || t.contains("oauth") || t.contains("authentication") || t.contains(" 401")
				|| t.contains(" 403") || t.contains("api key")) {
			return "authentication";
		}
		if (t.contains("credit balance") || t.contains("billing")) {
			return "billing";
		}
		if (t.contains("prompt is too long") || t.contains("context length") || t.contains("too many tokens")) {
			return "prompt_too_long";
		}
		if (t.contains("aborted")) {
			return "aborted";
		}
		if (t.contains("timed out") || t.contains("timeout")) {
			return "timeout";
		}
		if (t.contains("connection") || t.contains("network") || t.contains("econn") || t.contains("fetch failed")) {
			return "connection";
		}
		if (t.contains(" 500") || t.contains(" 502") || t.contains(" 503") || t.contains("internal server")
				|| t.contains("api_error")) {
			return "server";
		}
		return "other";
	}

}
