package dev.cctracer.shared.log;

import java.util.Locale;

/**
 * The entry types Claude Code writes (up to 2.1.232). Anything else is {@link #UNKNOWN}:
 * counted, listed by its name in the data-quality counters, never fatal.
 */
public enum EntryType {

	USER, ASSISTANT, SYSTEM, SUMMARY, PROGRESS, ATTACHMENT, FILE_HISTORY_SNAPSHOT, FILE_HISTORY_DELTA, QUEUE_OPERATION,
	/** {@code aiTitle}: the title Claude Code generated for the session. */
	AI_TITLE,
	/** {@code customTitle}: the title the user gave the session ({@code /rename}). */
	CUSTOM_TITLE,
	/** {@code agentName}: the name of the agent writing this transcript. */
	AGENT_NAME,
	/** {@code lastPrompt}: the last prompt, for resuming. */
	LAST_PROMPT, MODE, PERMISSION_MODE, BRIDGE_SESSION,
	/** A fork subagent's reference to the context it was forked from. */
	FORK_CONTEXT_REF, UNKNOWN;

	public static EntryType of(String type) {
		if (type == null) {
			return UNKNOWN;
		}
		return switch (type) {
			case "user" -> USER;
			case "assistant" -> ASSISTANT;
			case "system" -> SYSTEM;
			case "summary" -> SUMMARY;
			case "progress" -> PROGRESS;
			case "attachment" -> ATTACHMENT;
			case "file-history-snapshot" -> FILE_HISTORY_SNAPSHOT;
			case "file-history-delta" -> FILE_HISTORY_DELTA;
			case "queue-operation" -> QUEUE_OPERATION;
			case "ai-title" -> AI_TITLE;
			case "custom-title" -> CUSTOM_TITLE;
			case "agent-name" -> AGENT_NAME;
			case "last-prompt" -> LAST_PROMPT;
			case "mode" -> MODE;
			case "permission-mode" -> PERMISSION_MODE;
			case "bridge-session" -> BRIDGE_SESSION;
			case "fork-context-ref" -> FORK_CONTEXT_REF;
			default -> UNKNOWN;
		};
	}

	public String wireName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
