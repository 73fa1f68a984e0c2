package dev.cctracer.shared.transcript;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.cctracer.shared.log.HookOutcomes;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.log.Timestamps;
import dev.cctracer.shared.log.Usage;

/**
 * The fields of one transcript line that the {@link TranscriptIndex} needs (ids, tool
 * calls and results, the first 64 characters of text), and what a person sees the line as
 * ({@link #kind}). Text beyond that prefix is skipped unread.
 */
final class TranscriptLine {

	private static final String[] HOOK_PREFIXES = { "<command-name>", "<command-message>", "<local-command-caveat>",
			"<local-command-stdout>", "<local-command-stderr>", "<user-prompt-submit-hook>",
			"Caveat: The messages below", "<bash-input>", "<bash-stdout>", "<bash-stderr>" };

	String type;

	/** A system line's {@code subtype}. */
	String subtype;

	/** An attachment line's {@code attachment.type} and {@code attachment.hookEvent}. */
	String attachmentType;

	String attachmentEvent;

	String uuid;

	String parentUuid;

	Long timestamp;

	boolean sidechain;

	boolean meta;

	/**
	 * The summary a compaction left as the first user line of what follows
	 * ({@code isCompactSummary}): Claude Code's text, not a prompt.
	 */
	boolean compactSummary;

	String agentId;

	String requestId;

	String messageId;

	String model;

	Usage usage;

	boolean assistant;

	boolean error;

	boolean apiError;

	String firstText;

	/** Claude Code's own line rather than an API response. */
	boolean synthetic() {
		return this.apiError || LogEntry.SYNTHETIC_MODEL.equals(this.model);
	}

	String linkedAgentId;

	String linkedToolUseId;

	String parentToolUseId;

	final List<MessageItem.ToolUse> tools = new ArrayList<>(0);

	final List<String> toolResultIds = new ArrayList<>(0);

	final List<String> errorIds = new ArrayList<>(0);

	/**
	 * Reads one line (the parser is before its first token).
	 * @return the line, or {@code null} when it is not one JSON object (anything but
	 * white space after it too, as the ingest's parser decides)
	 * @throws IOException when the JSON is malformed or truncated
	 */
	static TranscriptLine parse(JsonParser p) throws IOException {
		if (p.nextToken() != JsonToken.START_OBJECT) {
			return null;
		}
		TranscriptLine l = new TranscriptLine();
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken v = p.nextToken();
			switch (field) {
				case "type" -> l.type = text(p, v);
				case "subtype" -> l.subtype = text(p, v);
				case "uuid" -> l.uuid = text(p, v);
				case "parentUuid" -> l.parentUuid = text(p, v);
				case "timestamp" -> l.timestamp = Timestamps.parseOrNull(text(p, v));
				case "isSidechain" -> l.sidechain = v == JsonToken.VALUE_TRUE;
				case "isMeta" -> l.meta = v == JsonToken.VALUE_TRUE;
				case "isCompactSummary" -> l.compactSummary = v == JsonToken.VALUE_TRUE;
				case "isApiErrorMessage" -> l.apiError = v == JsonToken.VALUE_TRUE;
				case "agentId" -> l.agentId = text(p, v);
				case "requestId" -> l.requestId = text(p, v);
				case "parentToolUseID" -> l.parentToolUseId = text(p, v);
				case "toolUseResult", "data" -> {
					if (v == JsonToken.START_OBJECT) {
						l.agentField(p);
					}
					else {
						p.skipChildren();
					}
				}
				case "message" -> {
					if (v == JsonToken.START_OBJECT) {
						l.message(p);
					}
					else {
						p.skipChildren();
					}
				}
				case "attachment" -> {
					if (v == JsonToken.START_OBJECT) {
						l.attachment(p);
					}
					else {
						p.skipChildren();
					}
				}
				default -> p.skipChildren();
			}
		}
		if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) {
			// not one JSON object (e.g. two on a line): the ingest skips it as invalid
			return null;
		}
		l.assistant = "assistant".equals(l.type);
		if (l.timestamp != null && !l.tools.isEmpty()) {
			// "timestamp" often comes after "message" in a line: date the calls once
			// it is known
			Long ts = l.timestamp;
			l.tools.replaceAll((t) -> new MessageItem.ToolUse(t.id(), t.name(), ts));
		}
		if (l.linkedAgentId != null && l.linkedToolUseId == null) {
			// a progress line of a running subagent: its parent call is
			// parentToolUseID
			l.linkedToolUseId = l.parentToolUseId;
		}
		return l;
	}

	/**
	 * What a person sees this line as, or {@code null} for a line that is no message
	 * (progress, file-history snapshots, unknown types).
	 * @param inlineSidechainsAreSubagents whether the line is in a session's main file,
	 * whose inline sidechain lines are subagent messages
	 */
	MessageKind kind(boolean inlineSidechainsAreSubagents) {
		MessageKind kind = switch (Objects.requireNonNullElse(this.type, "")) {
			case "assistant" -> {
				if (this.apiError
						|| (synthetic() && this.firstText != null && this.firstText.startsWith("API Error"))) {
					yield MessageKind.API_ERROR;
				}
				yield synthetic() ? MessageKind.SYSTEM : MessageKind.ASSISTANT;
			}
			case "user" -> {
				if (!this.toolResultIds.isEmpty()) {
					yield MessageKind.TOOL_RESULT;
				}
				if (this.compactSummary) {
					yield MessageKind.SYSTEM;
				}
				if (this.meta || isHook(this.firstText)) {
					yield MessageKind.HOOK;
				}
				yield MessageKind.USER;
			}
			// a turn's stop hooks ran: hook output, as the timeline's hook filter finds
			// it
			case "system" -> "stop_hook_summary".equals(this.subtype) ? MessageKind.HOOK : MessageKind.SYSTEM;
			case "summary" -> MessageKind.SYSTEM;
			// a tool hook's failure or block: hook output
			case "attachment" -> hookOutcomeShown() ? MessageKind.HOOK : null;
			// an unknown type, or none: shown when the totals count its usage
			default -> countedElsewhere() ? MessageKind.ASSISTANT : null;
		};
		// Claude Code's own lines (system lines, a hook's summary or failure) are not a
		// subagent's messages
		boolean own = kind == MessageKind.SYSTEM || "system".equals(this.type) || "attachment".equals(this.type);
		return own ? kind : sidechainOr(kind, inlineSidechainsAreSubagents);
	}

	/**
	 * Whether the ingest counts this line's usage though its type is not
	 * {@code assistant} (a type this version does not know, or none): it counts every
	 * line with {@code message.usage} that Claude Code did not write itself, so the
	 * timeline shows such a line as a response.
	 */
	private boolean countedElsewhere() {
		return this.usage != null && !this.apiError && !synthetic();
	}

	private MessageKind sidechainOr(MessageKind kind, boolean inlineSidechainsAreSubagents) {
		return (kind != null && this.sidechain && inlineSidechainsAreSubagents) ? MessageKind.SUBAGENT : kind;
	}

	private static boolean isHook(String text) {
		if (text == null) {
			return false;
		}
		String t = text.stripLeading();
		for (String prefix : HOOK_PREFIXES) {
			if (t.startsWith(prefix)) {
				return true;
			}
		}
		return false;
	}

	/** The type and hook event of an {@code attachment} (the parser at its start). */
	private void attachment(JsonParser p) throws IOException {
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken v = p.nextToken();
			switch (field) {
				case "type" -> this.attachmentType = text(p, v);
				case "hookEvent" -> this.attachmentEvent = text(p, v);
				default -> p.skipChildren();
			}
		}
	}

	/**
	 * Whether this attachment is a hook's failure or block the timeline shows: a
	 * {@code hook_non_blocking_error}, {@code hook_blocking_error},
	 * {@code hook_error_during_execution} or {@code hook_cancelled} of any event but a
	 * stop's (the turn's {@code stop_hook_summary} says those). Claude Code 2.1.145 and
	 * later log a tool hook only when it fails, with such a line.
	 */
	private boolean hookOutcomeShown() {
		return HookOutcomes.shown(this.attachmentType, this.attachmentEvent);
	}

	/**
	 * {@code agentId} of a Task result's {@code toolUseResult} or of a progress line's
	 * {@code data}.
	 */
	private void agentField(JsonParser p) throws IOException {
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken v = p.nextToken();
			if (field.equals("agentId")) {
				this.linkedAgentId = text(p, v);
			}
			else {
				p.skipChildren();
			}
		}
	}

	private void message(JsonParser p) throws IOException {
		while (p.nextToken() == JsonToken.FIELD_NAME) {
			String field = p.currentName();
			JsonToken v = p.nextToken();
			switch (field) {
				case "id" -> this.messageId = text(p, v);
				case "model" -> this.model = text(p, v);
				case "usage" -> this.usage = (v == JsonToken.START_OBJECT) ? JsonlReader.parseUsage(p) : skip(p);
				case "content" -> {
					if (v == JsonToken.VALUE_STRING) {
						this.firstText = prefix(p.getText());
					}
					else if (v == JsonToken.START_ARRAY) {
						content(p);
					}
					else {
						p.skipChildren();
					}
				}
				default -> p.skipChildren();
			}
		}
	}

	private void content(JsonParser p) throws IOException {
		JsonToken t;
		while ((t = p.nextToken()) != JsonToken.END_ARRAY && t != null) {
			if (t != JsonToken.START_OBJECT) {
				p.skipChildren();
				continue;
			}
			String type = null;
			String id = null;
			String name = null;
			String toolUseId = null;
			boolean isError = false;
			String text = null;
			while (p.nextToken() == JsonToken.FIELD_NAME) {
				String field = p.currentName();
				JsonToken v = p.nextToken();
				switch (field) {
					case "type" -> type = text(p, v);
					case "id" -> id = text(p, v);
					case "name" -> name = text(p, v);
					case "tool_use_id" -> toolUseId = text(p, v);
					case "is_error" -> isError = v == JsonToken.VALUE_TRUE;
					case "text" -> text = (this.firstText == null) ? prefix(text(p, v)) : skipText(p, v);
					default -> p.skipChildren();
				}
			}
			if ("tool_use".equals(type)) {
				this.tools.add(new MessageItem.ToolUse(id, name, null));
			}
			else if ("tool_result".equals(type)) {
				this.toolResultIds.add(toolUseId);
				this.error |= isError;
				if (isError) {
					this.errorIds.add(toolUseId);
				}
				if (this.linkedToolUseId == null) {
					this.linkedToolUseId = toolUseId;
				}
			}
			else if ("text".equals(type) && this.firstText == null) {
				this.firstText = text;
			}
		}
	}

	private static Usage skip(JsonParser p) throws IOException {
		p.skipChildren();
		return null;
	}

	private static String skipText(JsonParser p, JsonToken v) throws IOException {
		p.skipChildren();
		return null;
	}

	private static String text(JsonParser p, JsonToken v) throws IOException {
		if (v == JsonToken.VALUE_STRING) {
			return p.getText();
		}
		p.skipChildren();
		return null;
	}

	private static String prefix(String s) {
		return (s == null || s.length() <= 64) ? s : s.substring(0, 64);
	}

}
