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

import dev.cctracer.shared.log.ChannelRangeInputStream;
import dev.cctracer.shared.log.GluedObjects;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.PreviousTimestamp;
import dev.cctracer.shared.log.Utf8Repair;

/**
 * The messages of one transcript file, built by reading it once and extended as it grows.
 * Holds positions and a few ids per message, never text, so it stays small whatever the
 * file's size. Thread-safe: every access holds the index's lock.
 * <p>
 * Each line is decoded by {@link TranscriptLine}; this class merges the lines of one API
 * response into one {@link MessageItem} and keeps the lookups by uuid, tool_use id and
 * subagent id.
 * <p>
 * An entry whose {@code uuid} an earlier line of the same transcript already has is a
 * repeat, not a new event: Claude Code writes an entry again into the same file when
 * VSCode reopens a session (anthropics/claude-code#56196: hundreds of byte-identical
 * pairs but for {@code cwd}), up to four times in a row under concurrent sessions
 * (#66454), and re-appends the history with {@code --input-format stream-json} (#5034). A
 * repeat is no message, call, result or prompt of the timeline and its analyses
 * ({@link #repeatedEntries()} counts them); the ingest's totals dedup its usage by
 * response and its calls by {@code tool_use} id.
 */
public final class TranscriptIndex {

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

	private long repeatedEntries;

	/** The time a usage line without a timestamp counts at (the file is read from 0). */
	private final PreviousTimestamp time = new PreviousTimestamp();

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

	/**
	 * Entries left out as repeats: lines of a message's kind whose {@code uuid} is an
	 * earlier line's of this transcript (lines of no message, such as {@code progress},
	 * are not counted).
	 */
	public synchronized long repeatedEntries() {
		return this.repeatedEntries;
	}

	/**
	 * Reads the complete lines in {@code [end(), to)}: a line that is not a JSON object,
	 * or is over the reader's cap, counts as invalid.
	 * @param to a byte offset just after a {@code '\n'}, or the size of a complete file
	 * @throws IOException when the channel cannot be read or shrank below {@code to}
	 */
	public synchronized void extend(FileChannel channel, long to, JsonlReader reader) throws IOException {
		if (to <= this.end) {
			return;
		}
		reader.forEachLine(channel, this.end, to, new JsonlReader.RawLineHandler() {
			@Override
			public void buffered(long offset, byte[] buf, int off, int len) {
				// objects glued on one line: each at its own offset, as the ingest reads
				// them
				if (!read(offset, buf, off, len) && !GluedObjects.forEach(offset, buf, off, len, this::buffered)) {
					TranscriptIndex.this.invalidLines++;
				}
			}

			/** Indexes a buffered line; false when it is not one JSON object. */
			private boolean read(long offset, byte[] buf, int off, int len) {
				try (JsonParser p = JsonlReader.jsonFactory().createParser(buf, off, len)) {
					return add(offset, len, p);
				}
				catch (IOException | RuntimeException ex) {
					// bytes that are not UTF-8 are read as U+FFFD, as the ingest reads
					// them
					byte[] repaired = Utf8Repair.wellFormed(buf, off, len);
					if (repaired == null) {
						return false;
					}
					try (JsonParser p = JsonlReader.jsonFactory().createParser(repaired)) {
						return add(offset, len, p);
					}
					catch (IOException | RuntimeException again) {
						return false;
					}
				}
			}

			@Override
			public void streamed(long offset, long length, InputStream in) {
				boolean read;
				try (JsonParser p = JsonlReader.jsonFactory().createParser(in)) {
					read = add(offset, length, p);
				}
				catch (IOException | RuntimeException ex) {
					try (InputStream again = new ChannelRangeInputStream(channel, offset, length);
							JsonParser p = JsonlReader.jsonFactory().createParser(Utf8Repair.reader(again))) {
						read = add(offset, length, p);
					}
					catch (IOException | RuntimeException stillInvalid) {
						read = false;
					}
				}
				if (!read) {
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

	/**
	 * Indexes one line: a new item, or one more line of the item of its API response
	 * (same message id, request id and sidechain flag).
	 */
	private boolean add(long offset, long length, JsonParser p) throws IOException {
		TranscriptLine line = TranscriptLine.parse(p);
		if (line == null) {
			return false;
		}
		if (line.linkedAgentId != null && line.linkedToolUseId != null) {
			this.agentLinks.putIfAbsent(line.linkedAgentId, line.linkedToolUseId);
		}
		long countedAt = this.time.countedAt(line.timestamp);
		this.time.see(line.timestamp);
		MessageKind kind = line.kind(this.inlineSidechainsAreSubagents);
		if (kind == null) {
			return true;
		}
		if (line.uuid != null && this.byUuid.containsKey(line.uuid)) {
			this.repeatedEntries++;
			return true;
		}
		for (MessageItem.ToolUse tool : line.tools) {
			if (tool.id() != null) {
				this.toolNames.put(tool.id(), tool.name());
			}
		}
		MessageItem item = null;
		// the ingest's copy of a response in a file: a sidechain's copy and the main
		// transcript's are two (ChunkParser), and the dedup drops the sidechain's
		String responseKey = (kind == MessageKind.ASSISTANT || (kind == MessageKind.SUBAGENT && line.assistant))
				&& line.messageId != null ? line.messageId + "\n" + line.requestId + "\n" + line.sidechain : null;
		if (responseKey != null) {
			item = this.byResponse.get(responseKey);
		}
		if (item == null) {
			item = new MessageItem(this.items.size(), kind, line.uuid, line.parentUuid, line.timestamp, countedAt,
					line.messageId, line.requestId, line.sidechain, line.agentId);
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
		if (kind == MessageKind.SYSTEM && "compact_boundary".equals(line.subtype)) {
			item.markCompaction();
		}
		item.merge(line.model, line.usage, countedAt, line.error, line.tools, line.toolResultIds, line.errorIds);
		return true;
	}

}
