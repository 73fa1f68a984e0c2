package dev.cctracer.shared.transcript;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import dev.cctracer.shared.log.Usage;

/**
 * One message of a transcript as a person sees it, with where its lines are. An assistant
 * message gathers every content-block line of its API response; its usage is the largest
 * copy (streamed lines carry partial output counts).
 */
public final class MessageItem {

	/**
	 * A tool call in an assistant message.
	 *
	 * @param id the tool_use id
	 * @param name the tool
	 * @param timestamp time of the line that carries the call (epoch ms), or {@code null}
	 */
	public record ToolUse(String id, String name, Long timestamp) {

	}

	private final int ordinal;

	private final MessageKind kind;

	private final String uuid;

	private final String parentUuid;

	private final Long timestamp;

	private long countedAt;

	private final String messageId;

	private final String requestId;

	private final boolean sidechain;

	private final String agentId;

	private String model;

	private Usage usage;

	private boolean error;

	private final List<ToolUse> tools = new ArrayList<>(0);

	private final List<String> toolUseIds = new ArrayList<>(0);

	private final List<String> errorToolUseIds = new ArrayList<>(0);

	private boolean interrupt;

	private boolean compaction;

	private long[] lines = new long[2];

	private int lineCount;

	MessageItem(int ordinal, MessageKind kind, String uuid, String parentUuid, Long timestamp, long countedAt,
			String messageId, String requestId, boolean sidechain, String agentId) {
		this.ordinal = ordinal;
		this.kind = kind;
		this.uuid = uuid;
		this.parentUuid = parentUuid;
		this.timestamp = timestamp;
		this.countedAt = countedAt;
		this.messageId = messageId;
		this.requestId = requestId;
		this.sidechain = sidechain;
		this.agentId = agentId;
	}

	void addLine(long offset, long length) {
		if (this.lineCount * 2 == this.lines.length) {
			this.lines = Arrays.copyOf(this.lines, this.lines.length * 2);
		}
		this.lines[this.lineCount * 2] = offset;
		this.lines[this.lineCount * 2 + 1] = length;
		this.lineCount++;
	}

	/**
	 * Adds a line of the item.
	 * @param countedAt the time the line's usage counts at (epoch ms): the item's when
	 * this line's usage is the largest so far, as the ingest counts the largest copy
	 */
	void merge(String model, Usage usage, long countedAt, boolean error, List<ToolUse> tools, List<String> toolUseIds,
			List<String> errorToolUseIds) {
		this.errorToolUseIds.addAll(errorToolUseIds);
		if (model != null) {
			this.model = model;
		}
		if (usage != null && (this.usage == null || usage.total() > this.usage.total())) {
			this.usage = usage;
			this.countedAt = countedAt;
		}
		this.error |= error;
		this.tools.addAll(tools);
		this.toolUseIds.addAll(toolUseIds);
	}

	/** Position in the transcript, from 0; stable while the file only grows. */
	public int ordinal() {
		return this.ordinal;
	}

	public MessageKind kind() {
		return this.kind;
	}

	public String uuid() {
		return this.uuid;
	}

	public String parentUuid() {
		return this.parentUuid;
	}

	public Long timestamp() {
		return this.timestamp;
	}

	/**
	 * The time its usage counts at, as the ingest counts it (epoch ms): that of the line
	 * with its largest usage (the first of equals: the copy the ingest counts), the
	 * line's own timestamp or else that of the last line before it in the file that has
	 * one, or 0; for an item without usage, its first line's.
	 */
	public long countedAt() {
		return this.countedAt;
	}

	public String messageId() {
		return this.messageId;
	}

	public String requestId() {
		return this.requestId;
	}

	public boolean sidechain() {
		return this.sidechain;
	}

	public String agentId() {
		return this.agentId;
	}

	public String model() {
		return this.model;
	}

	public Usage usage() {
		return this.usage;
	}

	/** Whether a tool result of it has {@code is_error}. */
	public boolean error() {
		return this.error;
	}

	/**
	 * Whether it failed: a tool result with {@code is_error}, or an API error Claude Code
	 * logged ({@link MessageKind#API_ERROR}).
	 */
	public boolean failed() {
		return this.error || this.kind == MessageKind.API_ERROR;
	}

	public List<ToolUse> tools() {
		return this.tools;
	}

	public List<String> toolUseIds() {
		return this.toolUseIds;
	}

	void markInterrupt() {
		this.interrupt = true;
	}

	void markCompaction() {
		this.compaction = true;
	}

	/**
	 * A compaction's boundary: Claude Code's {@code system} line of subtype
	 * {@code compact_boundary}, where it replaced the conversation so far by a summary.
	 */
	public boolean compaction() {
		return this.compaction;
	}

	/** A user line that only reports that the user interrupted the request. */
	public boolean interrupt() {
		return this.interrupt;
	}

	/** The tool_use ids whose results in this message are errors. */
	public List<String> errorToolUseIds() {
		return this.errorToolUseIds;
	}

	public int lineCount() {
		return this.lineCount;
	}

	public long lineOffset(int i) {
		return this.lines[i * 2];
	}

	public long lineLength(int i) {
		return this.lines[i * 2 + 1];
	}

}
