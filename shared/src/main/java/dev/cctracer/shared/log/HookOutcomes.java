package dev.cctracer.shared.log;

import java.util.Set;

/**
 * Which hook outcomes the session timeline shows as their own line: an {@code attachment}
 * line whose {@code attachment.type} is a hook's failure or block and whose
 * {@code attachment.hookEvent} is not a stop's. A stop hook's outcome is said by its
 * turn's {@code stop_hook_summary} line (its {@code hookErrors}), and Claude Code 2.1.145
 * and later log a tool hook only when it fails. Shapes from the transcripts in
 * {@code shared/realdata} (2.1.39–2.1.150) and Claude Code's hooks reference
 * (https://docs.anthropic.com/en/docs/claude-code/hooks).
 */
public final class HookOutcomes {

	/** The {@code attachment.type} of a hook's failure or block. */
	private static final Set<String> FAILURE_OR_BLOCK = Set.of("hook_non_blocking_error", "hook_blocking_error",
			"hook_error_during_execution", "hook_cancelled");

	private HookOutcomes() {
	}

	/**
	 * Whether an attachment of this {@code type} and {@code hookEvent} is a hook outcome
	 * the timeline shows (and the search finds).
	 * @param type {@code attachment.type}, or {@code null} when not a string
	 * @param event {@code attachment.hookEvent}, or {@code null} when not a string
	 */
	public static boolean shown(String type, String event) {
		return type != null && event != null && FAILURE_OR_BLOCK.contains(type) && !"Stop".equals(event)
				&& !"SubagentStop".equals(event);
	}

}
