package dev.cctracer.shared.usage;

import dev.cctracer.shared.log.Usage;

/**
 * One copy of a usage record read from a file.
 *
 * @param messageId {@code message.id} or {@code null}
 * @param requestId {@code requestId} or {@code null}
 * @param sidechain {@code isSidechain}
 * @param agentId the line's {@code agentId} or {@code null}
 * @param timestamp epoch milliseconds (when the line has none, that of the last line
 * before it in the file that has one; 0 when none has)
 * @param model {@code message.model} or {@code null}
 * @param usage the token counts
 * @param costUsd a logged {@code costUSD} or {@code null}
 * @param pathOrder the file's full path, for tie-breaking
 * @param lineOffset the line's byte offset
 * @param toolCalls the tool calls ({@code tool_use} content blocks, each id once) of
 * every line of this response read with it (Claude Code writes one content block a line,
 * each line repeating the usage): they count where the response's usage counts, so a
 * response copied into another file (a side question's subagent repeats the session's
 * earlier lines) counts its tool calls once
 * @param forked the line is Claude Code's copy of another session's line
 * ({@code forkedFrom}, {@link dev.cctracer.shared.log.LogEntry#forked}): it loses a tie
 * to the line it copies
 */
public record UsageCopy(String messageId, String requestId, boolean sidechain, String agentId, long timestamp,
		String model, Usage usage, Double costUsd, String pathOrder, long lineOffset, ToolCalls toolCalls,
		boolean forked) implements DedupCandidate {

	/** The number of tool calls ({@link ToolCalls#count}). */
	public long toolUses() {
		return this.toolCalls.count();
	}

	/**
	 * This copy with the tool calls of another line of the same response (each id once).
	 */
	public UsageCopy plusToolCalls(ToolCalls more) {
		ToolCalls calls = this.toolCalls.plus(more);
		return (calls == this.toolCalls) ? this
				: new UsageCopy(this.messageId, this.requestId, this.sidechain, this.agentId, this.timestamp,
						this.model, this.usage, this.costUsd, this.pathOrder, this.lineOffset, calls, this.forked);
	}

	@Override
	public long totalTokens() {
		return this.usage.total();
	}

}
