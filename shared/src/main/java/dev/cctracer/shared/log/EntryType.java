package dev.cctracer.shared.log;

import java.util.Locale;

/**
 * The entry types Claude Code writes. Anything else is {@link #UNKNOWN}: counted, never
 * fatal.
 */
public enum EntryType {

	USER, ASSISTANT, SYSTEM, SUMMARY, PROGRESS, ATTACHMENT, FILE_HISTORY_SNAPSHOT, QUEUE_OPERATION, UNKNOWN;

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
			case "queue-operation" -> QUEUE_OPERATION;
			default -> UNKNOWN;
		};
	}

	public String wireName() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
