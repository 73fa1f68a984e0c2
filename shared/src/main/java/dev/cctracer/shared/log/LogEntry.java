package dev.cctracer.shared.log;

/**
 * What the indexer needs from one JSONL line. Text content is never kept here.
 *
 * @param type the entry type
 * @param rawType the {@code type} field as written (null when missing)
 * @param timestamp epoch milliseconds, or {@code null} when missing or unparsable
 * @param sessionId {@code sessionId}
 * @param cwd {@code cwd}
 * @param sidechain {@code isSidechain}
 * @param agentId {@code agentId}
 * @param requestId {@code requestId}
 * @param costUsd a logged {@code costUSD}, or {@code null}
 * @param messageId {@code message.id}
 * @param model {@code message.model}
 * @param usage {@code message.usage} when it is an object, else {@code null}
 * @param toolUses number of {@code tool_use} content blocks
 * @param toolErrors number of {@code tool_result} blocks with {@code is_error:true}
 * @param interrupted a user line reporting that the user interrupted the request
 */
public record LogEntry(EntryType type, String rawType, Long timestamp, String sessionId, String cwd, boolean sidechain,
		String agentId, String requestId, Double costUsd, String messageId, String model, Usage usage, int toolUses,
		int toolErrors, boolean interrupted) {

	public boolean hasUsage() {
		return this.usage != null;
	}

}
