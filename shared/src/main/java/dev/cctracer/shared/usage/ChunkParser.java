package dev.cctracer.shared.usage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import dev.cctracer.shared.log.EntryType;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LineHandler;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.log.PreviousTimestamp;

/**
 * Turns a byte range of a transcript into usage copies and counters.
 */
public final class ChunkParser {

	/**
	 * The name under which lines without a {@code type} string (or a blank one) are
	 * counted among the unknown entry types ({@link ChunkResult#unknownTypes()}).
	 */
	public static final String NO_TYPE = "(no type)";

	private final JsonlReader reader;

	public ChunkParser(JsonlReader reader) {
		this.reader = reader;
	}

	public ChunkParser() {
		this(new JsonlReader());
	}

	/**
	 * Parses {@code [start, end)}. A usage line without a timestamp counts at the time
	 * {@link PreviousTimestamp} gives it, so the day it counts on does not depend on
	 * where one commit ended and the next began.
	 * @param pathOrder the file's full path (tie-break order of the dedup rule)
	 * @throws IOException when the channel cannot be read or shrank below {@code end} (or
	 * below {@code start} while reading back)
	 */
	public ChunkResult parse(FileChannel channel, long start, long end, String pathOrder) throws IOException {
		Collector collector = new Collector(pathOrder, new PreviousTimestamp(this.reader, channel, start));
		try {
			this.reader.read(channel, start, end, collector);
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		return collector.result(end);
	}

	private static final class Collector implements LineHandler {

		/** Distinct unknown type names kept per range; more are counted, not named. */
		private static final int MAX_UNKNOWN_TYPES = 50;

		private final String pathOrder;

		private final Map<CopyKey, UsageCopy> copies = new LinkedHashMap<>();

		private long lines;

		private long invalid;

		private long unknown;

		private long overlong;

		private long usageLines;

		private long toolUses;

		private long toolErrors;

		private long summaries;

		private Boolean lastInterrupted;

		private Long first;

		private Long last;

		private final PreviousTimestamp time;

		private String sessionId;

		private String cwd;

		private final List<ApiError> apiErrors = new ArrayList<>(0);

		private final List<ToolError> failedTools = new ArrayList<>(0);

		private final Map<String, Long> unknownTypes = new TreeMap<>();

		private String customTitle;

		private String aiTitle;

		private String agentName;

		Collector(String pathOrder, PreviousTimestamp time) {
			this.pathOrder = pathOrder;
			this.time = time;
		}

		@Override
		public void entry(long offset, LogEntry e) {
			this.lines++;
			switch (e.type()) {
				case UNKNOWN -> {
					this.unknown++;
					String name = (e.rawType() != null && !e.rawType().isBlank()) ? e.rawType() : NO_TYPE;
					if (this.unknownTypes.size() < MAX_UNKNOWN_TYPES || this.unknownTypes.containsKey(name)) {
						this.unknownTypes.merge((name.length() > 64) ? name.substring(0, 64) : name, 1L, Long::sum);
					}
				}
				case CUSTOM_TITLE -> this.customTitle = nonBlank(e.label(), this.customTitle);
				case AI_TITLE -> this.aiTitle = nonBlank(e.label(), this.aiTitle);
				case AGENT_NAME -> this.agentName = nonBlank(e.label(), this.agentName);
				default -> {
				}
			}
			if (e.type() == EntryType.SUMMARY) {
				this.summaries++;
			}
			if (e.type() == EntryType.USER) {
				this.lastInterrupted = e.interrupted();
			}
			this.toolErrors += e.toolErrors();
			for (String id : e.toolErrorIds()) {
				this.failedTools.add(new ToolError(offset, e.timestamp(), id, e.forked()));
			}
			this.time.see(e.timestamp());
			if (e.timestamp() != null) {
				long ts = e.timestamp();
				this.first = (this.first == null) ? ts : Math.min(this.first, ts);
				this.last = (this.last == null) ? ts : Math.max(this.last, ts);
			}
			if (this.sessionId == null && e.sessionId() != null) {
				this.sessionId = e.sessionId();
			}
			if (this.cwd == null && e.cwd() != null && !e.cwd().isBlank()) {
				this.cwd = e.cwd();
			}
			if (e.synthetic()) {
				// Claude Code's own notice, not an API response: never a message or a
				// cost; an error when it reports a failed call
				if (e.apiError() || (e.errorText() != null && e.errorText().startsWith("API Error"))) {
					this.apiErrors.add(new ApiError(offset, e.timestamp(),
							ApiError.kindOf(e.errorKind(), e.errorText()), e.errorText()));
				}
				this.toolUses += e.toolUses();
				return;
			}
			if (!e.hasUsage()) {
				this.toolUses += e.toolUses();
				return;
			}
			this.usageLines++;
			long ts = this.time.countedAt(e.timestamp());
			UsageCopy copy = new UsageCopy(e.messageId(), e.requestId(), e.sidechain(), e.agentId(), ts, e.model(),
					e.usage(), e.costUsd(), this.pathOrder, offset, ToolCalls.of(e.toolUses(), e.toolUseIds()),
					e.forked());
			if (e.messageId() == null) {
				this.copies.put(new CopyKey(null, null, e.sidechain(), offset), copy);
				return;
			}
			// the best line stands for the response; the tool uses of all its lines go
			// with it
			this.copies.merge(
					new CopyKey(e.messageId(), Objects.requireNonNullElse(e.requestId(), ""), e.sidechain(), -1), copy,
					ChunkParser::merge);
		}

		@Override
		public void invalid(long offset) {
			this.lines++;
			this.invalid++;
		}

		@Override
		public void overlong(long offset, long length) {
			this.lines++;
			this.overlong++;
		}

		@Override
		public void blank(long offset) {
			this.lines++;
		}

		ChunkResult result(long end) {
			LineCounters counters = new LineCounters(this.lines, this.invalid, this.unknown, this.overlong,
					this.usageLines, this.toolUses, this.toolErrors, this.summaries, this.lastInterrupted,
					this.apiErrors.size());
			return new ChunkResult(end, new ArrayList<>(this.copies.values()), counters, this.first, this.last,
					this.sessionId, this.cwd, this.apiErrors,
					new SessionLabels(this.customTitle, this.aiTitle, this.agentName), this.unknownTypes,
					this.failedTools);
		}

		/**
		 * The label when it has text, else the previous one: the chunk's
		 * {@link SessionLabels} redact the last one whole and cut it, once.
		 */
		private static String nonBlank(String label, String previous) {
			return (label != null && !label.isBlank()) ? label : previous;
		}

	}

	/**
	 * The best of two lines of one response, with the tool calls of both (each id once).
	 */
	private static UsageCopy merge(UsageCopy a, UsageCopy b) {
		return (Dedup.BEST_FIRST.compare(a, b) <= 0) ? a.plusToolCalls(b.toolCalls()) : b.plusToolCalls(a.toolCalls());
	}

	private record CopyKey(String messageId, String requestId, boolean sidechain, long offset) {
	}

}
