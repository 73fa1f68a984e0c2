package dev.cctracer.shared.transcript;

import java.util.Locale;

/**
 * What a person sees a message as.
 */
public enum MessageKind {

	/** A prompt typed by the user. */
	USER,
	/** One API response (its streamed content-block lines merged). */
	ASSISTANT,
	/**
	 * Hook output (a hook's text in a user line, a turn's {@code stop_hook_summary}, a
	 * tool hook's failure or block attachment), slash-command text, shell-mode input and
	 * output ({@code !} commands: {@code <bash-input>}, {@code <bash-stdout>}) and meta
	 * lines.
	 */
	HOOK,
	/** Tool results returned to the model. */
	TOOL_RESULT,
	/**
	 * Subagent work logged inline in the main file ({@code isSidechain}, the older
	 * layout).
	 */
	SUBAGENT,
	/**
	 * System and summary entries, a compaction's summary ({@code isCompactSummary}), and
	 * Claude Code's own notices (model {@code <synthetic>}).
	 */
	SYSTEM,
	/**
	 * An API error Claude Code logged ({@code isApiErrorMessage}): an error of the
	 * session, not a message and no cost.
	 */
	API_ERROR;

	public String wireName() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Parses a wire name; {@code null} for null or blank; an exception for anything else.
	 */
	public static MessageKind parse(String text) {
		if (text == null || text.isBlank()) {
			return null;
		}
		for (MessageKind kind : values()) {
			if (kind.wireName().equals(text.trim())) {
				return kind;
			}
		}
		throw new IllegalArgumentException(
				"type must be one of user, assistant, hook, tool_result, subagent, system, api_error");
	}

}
