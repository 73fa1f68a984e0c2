package dev.cctracer.shared.usage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import dev.cctracer.shared.log.EntryType;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LineHandler;
import dev.cctracer.shared.log.LogEntry;

/**
 * Turns a byte range of a transcript into usage copies and counters.
 */
public final class ChunkParser {

	private final JsonlReader reader;

	public ChunkParser(JsonlReader reader) {
		this.reader = reader;
	}

	public ChunkParser() {
		this(new JsonlReader());
	}

	/**
	 * Parses {@code [start, end)}.
	 * @param pathOrder the file's full path (tie-break order of the dedup rule)
	 * @param previousTimestamp the last timestamp seen before {@code start}, or
	 * {@code null}
	 */
	public ChunkResult parse(FileChannel channel, long start, long end, String pathOrder, Long previousTimestamp)
			throws IOException {
		Collector collector = new Collector(pathOrder, previousTimestamp);
		this.reader.read(channel, start, end, collector);
		return collector.result(end);
	}

	private static final class Collector implements LineHandler {

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

		private Long previous;

		private String sessionId;

		private String cwd;

		Collector(String pathOrder, Long previousTimestamp) {
			this.pathOrder = pathOrder;
			this.previous = previousTimestamp;
		}

		@Override
		public void entry(long offset, LogEntry e) {
			this.lines++;
			if (e.type() == EntryType.UNKNOWN) {
				this.unknown++;
			}
			if (e.type() == EntryType.SUMMARY) {
				this.summaries++;
			}
			if (e.type() == EntryType.USER) {
				this.lastInterrupted = e.interrupted();
			}
			this.toolUses += e.toolUses();
			this.toolErrors += e.toolErrors();
			if (e.timestamp() != null) {
				long ts = e.timestamp();
				this.first = (this.first == null) ? ts : Math.min(this.first, ts);
				this.last = (this.last == null) ? ts : Math.max(this.last, ts);
				this.previous = ts;
			}
			if (this.sessionId == null && e.sessionId() != null) {
				this.sessionId = e.sessionId();
			}
			if (this.cwd == null && e.cwd() != null && !e.cwd().isBlank()) {
				this.cwd = e.cwd();
			}
			if (!e.hasUsage()) {
				return;
			}
			this.usageLines++;
			long ts = (e.timestamp() != null) ? e.timestamp() : Objects.requireNonNullElse(this.previous, 0L);
			UsageCopy copy = new UsageCopy(e.messageId(), e.requestId(), e.sidechain(), e.agentId(), ts, e.model(),
					e.usage(), e.costUsd(), this.pathOrder, offset);
			if (e.messageId() == null) {
				this.copies.put(new CopyKey(null, null, e.sidechain(), offset), copy);
				return;
			}
			this.copies.merge(
					new CopyKey(e.messageId(), Objects.requireNonNullElse(e.requestId(), ""), e.sidechain(), -1), copy,
					(a, b) -> (Dedup.BEST_FIRST.compare(a, b) <= 0) ? a : b);
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
					this.usageLines, this.toolUses, this.toolErrors, this.summaries, this.lastInterrupted);
			return new ChunkResult(end, new ArrayList<>(this.copies.values()), counters, this.first, this.last,
					this.sessionId, this.cwd);
		}

	}

	private record CopyKey(String messageId, String requestId, boolean sidechain, long offset) {
	}

}
