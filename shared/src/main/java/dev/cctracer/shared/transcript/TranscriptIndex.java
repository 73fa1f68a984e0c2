package dev.cctracer.shared.transcript;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.log.Timestamps;
import dev.cctracer.shared.log.Usage;

/**
 * The messages of one transcript file, built by reading it once and extended as it grows.
 * Holds positions and a few ids per message, never text, so it stays small whatever the
 * file's size. Thread-safe: every access holds the index's lock.
 */
public final class TranscriptIndex {

	private static final String[] HOOK_PREFIXES = { "<command-name>", "<command-message>", "<local-command-caveat>",
			"<local-command-stdout>", "<local-command-stderr>", "<user-prompt-submit-hook>",
			"Caveat: The messages below" };

	private final int generation;

	private final boolean inlineSidechainsAreSubagents;

	private final List<MessageItem> items = new ArrayList<>();

	private final Map<String, MessageItem> byUuid = new HashMap<>();

	private final Map<String, MessageItem> byResponse = new HashMap<>();

	private final Map<String, String> toolNames = new HashMap<>();

	private final Map<String, String> agentLinks = new HashMap<>();

	private final Map<String, MessageItem> callItems = new HashMap<>();

	private final Map<String, MessageItem> resultItems = new HashMap<>();

	private long end;

	private long invalidLines;

	/**
	 * @param generation the file generation this index belongs to (a rewrite makes a new
	 * index)
	 * @param mainFile whether this is a session's main file (its inline sidechain lines
	 * are subagent messages)
	 */
	public TranscriptIndex(int generation, boolean mainFile) {
		this.generation = generation;
		this.inlineSidechainsAreSubagents = mainFile;
	}

	public int generation() {
		return this.generation;
	}

	/** Offset up to which the file has been read. */
	public synchronized long end() {
		return this.end;
	}

	public synchronized int size() {
		return this.items.size();
	}

	public synchronized long invalidLines() {
		return this.invalidLines;
	}

	/** Reads the complete lines in {@code [end(), to)}. */
	public synchronized void extend(FileChannel channel, long to, JsonlReader reader) throws IOException {
		if (to <= this.end) {
			return;
		}
		reader.forEachLine(channel, this.end, to, new JsonlReader.RawLineHandler() {
			@Override
			public void buffered(long offset, byte[] buf, int off, int len) {
				try (JsonParser p = JsonlReader.jsonFactory().createParser(buf, off, len)) {
					add(offset, len, p);
				}
				catch (IOException | RuntimeException ex) {
					TranscriptIndex.this.invalidLines++;
				}
			}

			@Override
			public void streamed(long offset, long length, InputStream in) {
				try (JsonParser p = JsonlReader.jsonFactory().createParser(in)) {
					add(offset, length, p);
				}
				catch (IOException | RuntimeException ex) {
					TranscriptIndex.this.invalidLines++;
				}
			}

			@Override
			public void overlong(long offset, long length) {
				TranscriptIndex.this.invalidLines++;
			}
		});
		this.end = to;
	}

	/** The item for a line uuid (any line of a merged assistant message). */
	public synchronized MessageItem byUuid(String uuid) {
		return this.byUuid.get(uuid);
	}

	public synchronized MessageItem get(int ordinal) {
		return (ordinal >= 0 && ordinal < this.items.size()) ? this.items.get(ordinal) : null;
	}

	/**
	 * The tool_use id (of a Task or Agent call in this file) that started a subagent,
	 * from the call's result ({@code toolUseResult.agentId}) or the subagent's progress
	 * lines; {@code null} when unknown.
	 */
	public synchronized String parentToolUse(String agentId) {
		return this.agentLinks.get(agentId);
	}

	/** The message that made a tool call, by tool_use id. */
	public synchronized MessageItem callItem(String toolUseId) {
		return this.callItems.get(toolUseId);
	}

	/** The message that carries a tool call's result, by tool_use id. */
	public synchronized MessageItem resultItem(String toolUseId) {
		return this.resultItems.get(toolUseId);
	}

	/** The name of a tool call by its id, or {@code null}. */
	public synchronized String toolName(String toolUseId) {
		return this.toolNames.get(toolUseId);
	}

	/**
	 * A copy of the items from an ordinal on (for callers that filter outside the lock).
	 */
	public synchronized List<MessageItem> from(int ordinal) {
		if (ordinal >= this.items.size()) {
			return Collections.emptyList();
		}
		return new ArrayList<>(this.items.subList(Math.max(0, ordinal), this.items.size()));
	}

	private void add(long offset, long length, JsonParser p) throws IOException {
		Line line = Line.parse(p);
		if (line == null) {
			this.invalidLines++;
			return;
		}
		if (line.linkedAgentId != null && line.linkedToolUseId != null) {
			this.agentLinks.putIfAbsent(line.linkedAgentId, line.linkedToolUseId);
		}
		MessageKind kind = classify(line);
		if (kind == null) {
			return;
		}
		for (MessageItem.ToolUse tool : line.tools) {
			if (tool.id() != null) {
				this.toolNames.put(tool.id(), tool.name());
			}
		}
		MessageItem item = null;
		String responseKey = (kind == MessageKind.ASSISTANT || (kind == MessageKind.SUBAGENT && line.assistant))
				&& line.messageId != null ? line.messageId + "\n" + line.requestId : null;
		if (responseKey != null) {
			item = this.byResponse.get(responseKey);
		}
		if (item == null) {
			item = new MessageItem(this.items.size(), kind, line.uuid, line.parentUuid, line.timestamp, line.messageId,
					line.requestId, line.sidechain, line.agentId);
			this.items.add(item);
			if (responseKey != null) {
				this.byResponse.put(responseKey, item);
			}
		}
		if (line.uuid != null) {
			this.byUuid.putIfAbsent(line.uuid, item);
		}
		item.addLine(offset, length);
		for (MessageItem.ToolUse tool : line.tools) {
			if (tool.id() != null) {
				this.callItems.put(tool.id(), item);
			}
		}
		for (String id : line.toolResultIds) {
			if (id != null) {
				this.resultItems.put(id, item);
			}
		}
		if (kind == MessageKind.USER && line.firstText != null
				&& line.firstText.stripLeading().startsWith("[Request interrupted")) {
			item.markInterrupt();
		}
		item.merge(line.model, line.usage, line.error, line.tools, line.toolResultIds, line.errorIds);
	}

	private MessageKind classify(Line line) {
		if (line.type == null) {
			return null;
		}
		MessageKind kind = switch (line.type) {
			case "assistant" -> {
				if (line.apiError
						|| (line.synthetic() && line.firstText != null && line.firstText.startsWith("API Error"))) {
					yield MessageKind.API_ERROR;
				}
				yield line.synthetic() ? MessageKind.SYSTEM : MessageKind.ASSISTANT;
			}
			case "user" -> {
				if (!line.toolResultIds.isEmpty()) {
					yield MessageKind.TOOL_RESULT;
				}
				if (line.meta || isHook(line.firstText)) {
					yield MessageKind.HOOK;
				}
				yield MessageKind.USER;
			}
			case "system", "summary" -> MessageKind.SYSTEM;
			default -> null;
		};
		if (kind != null && kind != MessageKind.SYSTEM && line.sidechain && this.inlineSidechainsAreSubagents) {
			return MessageKind.SUBAGENT;
		}
		return kind;
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

	/** The fields of one line the index needs. */
	private static final class Line {

		String type;

		String uuid;

		String parentUuid;

		Long timestamp;

		boolean sidechain;

		boolean meta;

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

		static Line parse(JsonParser p) throws IOException {
			if (p.nextToken() != JsonToken.START_OBJECT) {
				return null;
			}
			Line l = new Line();
			while (p.nextToken() == JsonToken.FIELD_NAME) {
				String field = p.currentName();
				JsonToken v = p.nextToken();
				switch (field) {
					case "type" -> l.type = text(p, v);
					case "uuid" -> l.uuid = text(p, v);
					case "parentUuid" -> l.parentUuid = text(p, v);
					case "timestamp" -> l.timestamp = Timestamps.parseOrNull(text(p, v));
					case "isSidechain" -> l.sidechain = v == JsonToken.VALUE_TRUE;
					case "isMeta" -> l.meta = v == JsonToken.VALUE_TRUE;
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
					default -> p.skipChildren();
				}
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
		 * {@code agentId} of a Task result's {@code toolUseResult} or of a progress
		 * line's {@code data}.
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

}
