package dev.cctracer.shared.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.shared.RealData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link JsonlReader}. Expected line counts were checked with
 * {@code shared/src/test/python/handcheck.py} (json.loads line by line).
 */
class JsonlReaderTests {

	@TempDir
	Path tmp;

	@Test
	void keepsReadBuffersForReuseUntilTheyAreReleased() throws IOException {
		// over 64 KiB: read with a pooled buffer (an odd size no other test uses)
		Path file = this.tmp.resolve("long.jsonl");
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < 2000; i++) {
			lines.append("{\"type\":\"user\",\"uuid\":\"u")
				.append(i)
				.append("\",\"pad\":\"")
				.append("x".repeat(40))
				.append("\"}\n");
		}
		Files.writeString(file, lines);
		int size = 4099;
		JsonlReader reader = new JsonlReader(size, JsonlReader.DEFAULT_MAX_LINE_BYTES);
		assertThat(readAll(file, reader, false).entries).hasSize(2000);
		assertThat(LineFramer.spareCount(size)).isEqualTo(1);
		// a second read takes the kept buffer and gives it back
		assertThat(readAll(file, reader, false).entries).hasSize(2000);
		assertThat(LineFramer.spareCount(size)).isEqualTo(1);
		JsonlReader.releaseSpareBuffers();
		assertThat(LineFramer.spareCount(size)).isZero();
		// a reader allocates again after the release
		assertThat(readAll(file, reader, false).entries).hasSize(2000);
		assertThat(LineFramer.spareCount(size)).isEqualTo(1);
	}

	@Test
	void shouldCountEveryLineOfARealSession() throws IOException {
		Recorder r = readAll(RealData.file("spotter/short.jsonl"), new JsonlReader(), false);
		assertThat(r.entries).hasSize(15);
		assertThat(r.invalid).isZero();
		assertThat(r.entries.stream().filter(LogEntry::hasUsage)).hasSize(5);
		assertThat(r.entries.get(0).type()).isEqualTo(EntryType.FILE_HISTORY_SNAPSHOT);
		LogEntry firstUsage = r.entries.stream().filter(LogEntry::hasUsage).findFirst().orElseThrow();
		assertThat(firstUsage.messageId()).isEqualTo("msg_01MKH1ccEGrZGNPvu8pYiiQa");
		assertThat(firstUsage.requestId()).isEqualTo("req_011CY15QS2LGwAeBxdfa6e1V");
		assertThat(firstUsage.model()).isEqualTo("claude-opus-4-6");
		assertThat(firstUsage.usage()).isEqualTo(new Usage(3, 13, 0, 13835, 11515, false));
		assertThat(firstUsage.timestamp()).isEqualTo(Instant.parse("2026-02-10T21:11:59.186Z").toEpochMilli());
		assertThat(firstUsage.cwd()).isEqualTo("/home/marco/projects/spotter");
	}

	@Test
	void shouldCountMalformedAndUnknownLinesWithoutFailing() throws IOException {
		Path file = RealData.file("claude-code-log/edge_cases.jsonl");
		// the last line has no newline: as a live file it waits ...
		Recorder live = readAll(file, new JsonlReader(), false);
		assertThat(live.entries.size() + live.invalid).isEqualTo(18);
		assertThat(live.invalid).isEqualTo(3);
		assertThat(live.entries.stream().filter((e) -> e.type() == EntryType.UNKNOWN)).hasSize(1);
		assertThat(live.entries.stream().filter(LogEntry::hasUsage)).hasSize(4);
		// ... and as a complete file it is read
		Recorder complete = readAll(file, new JsonlReader(), true);
		assertThat(complete.entries.size() + complete.invalid).isEqualTo(19);
		assertThat(complete.entries.get(complete.entries.size() - 1).type()).isEqualTo(EntryType.SUMMARY);
	}

	/**
	 * A count no real response has (above 10^9 tokens or web searches, {@code 1e30})
	 * makes the line invalid, counted as such: it neither turns into
	 * {@code Long.MAX_VALUE} nor wraps the sums negative (a trial's file made every total
	 * read -9223372034854767571). 10^9 itself is read as logged.
	 */
	@Test
	void shouldCountALineWithACountNoResponseHasAsInvalid() throws IOException {
		String usage = "{\"type\":\"assistant\",%s\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":%s,"
				+ "\"output_tokens\":2,\"server_tool_use\":{\"web_search_requests\":%s}}}}\n";
		String lines = usage.formatted("", "1000000000", "1") + usage.formatted("", "1000000001", "1")
				+ usage.formatted("", "1e30", "1") + usage.formatted("", "1.000000001e9", "1")
				+ usage.formatted("", "5", "1000000001") + usage.formatted("\"costUSD\":2000000,", "5", "0")
				+ usage.formatted("\"costUSD\":-1,", "5", "0") + usage.formatted("\"costUSD\":0.25,", "5", "0")
				+ usage.formatted("", "-7", "0");
		Path file = this.tmp.resolve("counts.jsonl");
		Files.writeString(file, lines, StandardCharsets.UTF_8);
		Recorder r = readAll(file, new JsonlReader(), false);
		assertThat(r.invalid).isEqualTo(4);
		// a logged cost no line has is none logged: the line's tokens count (they had
		// been
		// lost with the line, in calculate mode too: a drift trial)
		assertThat(r.entries).extracting((e) -> e.usage().input(), LogEntry::costUsd)
			.containsExactly(tuple(1_000_000_000L, null), tuple(5L, null), tuple(5L, null), tuple(5L, 0.25),
					tuple(0L, null));
	}

	@Test
	void shouldLeaveAPartialLastLineUnconsumed() throws IOException {
		Path file = this.tmp.resolve("s.jsonl");
		String first = "{\"type\":\"user\",\"timestamp\":\"2026-01-01T00:00:00Z\"}\n";
		Files.writeString(file, first + "{\"type\":\"assist", StandardCharsets.UTF_8);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			long end = JsonlReader.completeEnd(ch, 0, ch.size());
			assertThat(end).isEqualTo(first.getBytes(StandardCharsets.UTF_8).length);
			Recorder r = new Recorder();
			assertThat(new JsonlReader().read(ch, 0, end, r)).isEqualTo(1);
			assertThat(r.entries).singleElement().extracting(LogEntry::type).isEqualTo(EntryType.USER);
		}
	}

	@Test
	void shouldStreamLinesLongerThanTheBufferAndSkipLinesOverTheCap() throws IOException {
		Path file = this.tmp.resolve("long.jsonl");
		String big = "x".repeat(10_000);
		String longLine = "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"text\",\"text\":\""
				+ big
				+ "\"},{\"type\":\"tool_use\",\"name\":\"Bash\"}],\"usage\":{\"input_tokens\":7,\"output_tokens\":9}}}\n";
		String hugeLine = "{\"type\":\"user\",\"pad\":\"" + "y".repeat(50_000) + "\"}\n";
		String after = "{\"type\":\"system\"}\n";
		Files.writeString(file, longLine + hugeLine + after, StandardCharsets.UTF_8);
		Recorder r = readAll(file, new JsonlReader(64, 20_000), false);
		assertThat(r.entries).hasSize(2);
		assertThat(r.entries.get(0).usage()).isEqualTo(new Usage(7, 9, 0, 0, 0, false));
		assertThat(r.entries.get(0).toolUses()).isEqualTo(1);
		assertThat(r.overlong).containsExactly((long) hugeLine.length() - 1);
		assertThat(r.entries.get(1).type()).isEqualTo(EntryType.SYSTEM);
	}

	@Test
	void shouldTreatNonObjectsAndTrailingGarbageAsInvalid() throws IOException {
		Path file = this.tmp.resolve("bad.jsonl");
		Files.writeString(file, "42\n[1]\n\"s\"\n{\"type\":\"user\"} x\n{\"type\":\n\n  \r\n{\"type\":\"user\"}\r\n",
				StandardCharsets.UTF_8);
		Recorder r = readAll(file, new JsonlReader(), false);
		assertThat(r.invalid).isEqualTo(5);
		assertThat(r.blank).isEqualTo(2);
		assertThat(r.entries).singleElement().extracting(LogEntry::type).isEqualTo(EntryType.USER);
	}

	/**
	 * A last line that lost its break, then an append: two objects on one line, each read
	 * at its own offset, as the ingest read them when they came (the first once quiet,
	 * the second from where it ended).
	 */
	@Test
	void shouldReadObjectsGluedOnOneLineEachAtItsOffset() throws IOException {
		Path file = this.tmp.resolve("glued.jsonl");
		String first = "{\"type\":\"user\",\"message\":{\"content\":\"}{\"}}";
		String second = "{\"type\":\"assistant\",\"message\":{\"id\":\"m1\",\"usage\":{\"output_tokens\":100}}}";
		Files.writeString(file, "{\"type\":\"system\"}\n" + first + second + "\n{\"type\":\"user\"} x\n",
				StandardCharsets.UTF_8);
		Recorder r = new Recorder();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			new JsonlReader().read(ch, 0, ch.size(), r);
		}
		assertThat(r.entries).extracting(LogEntry::type)
			.containsExactly(EntryType.SYSTEM, EntryType.USER, EntryType.ASSISTANT);
		assertThat(r.offsets).containsExactly(0L, 18L, 18L + first.length());
		assertThat(r.entries.get(2).usage().output()).isEqualTo(100);
		// trailing garbage after one object stays invalid
		assertThat(r.invalid).isOne();
	}

	@Test
	void shouldReadTheCacheWriteSplitOrTreatAllWritesAs5m() throws IOException {
		Path file = this.tmp.resolve("split.jsonl");
		Files.writeString(file,
				"""
						{"type":"assistant","message":{"usage":{"input_tokens":1,"cache_creation_input_tokens":30,"cache_creation":{"ephemeral_5m_input_tokens":10,"ephemeral_1h_input_tokens":20},"speed":"fast"}}}
						{"type":"assistant","message":{"usage":{"input_tokens":1,"cache_creation_input_tokens":30,"output_tokens":null}}}
						{"type":"assistant","message":{"usage":"not an object"}}
						{"type":"assistant","message":{"usage":{"input_tokens":1,"cache_creation_input_tokens":1000,"cache_creation":{"ephemeral_5m_input_tokens":200,"ephemeral_1h_input_tokens":300,"ephemeral_24h_input_tokens":500}}}}
						{"type":"assistant","message":{"usage":{"input_tokens":1,"cache_creation_input_tokens":4000,"cache_creation":{"ephemeral_24h_input_tokens":4000}}}}
						{"type":"assistant","message":{"usage":{"input_tokens":1,"cache_creation_input_tokens":10,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":40}}}}
						""",
				StandardCharsets.UTF_8);
		Recorder r = readAll(file, new JsonlReader(), false);
		assertThat(r.entries.get(0).usage()).isEqualTo(new Usage(1, 0, 10, 20, 0, true));
		assertThat(r.entries.get(1).usage()).isEqualTo(new Usage(1, 0, 30, 0, 0, false));
		assertThat(r.entries.get(2).hasUsage()).isFalse();
		// a split that names fewer writes than the total (a TTL it does not know): the
		// rest
		// are 5-minute writes, none lost (a drift trial: 500 of 1000 had gone)
		assertThat(r.entries.get(3).usage()).isEqualTo(new Usage(1, 0, 700, 300, 0, false));
		assertThat(r.entries.get(4).usage()).isEqualTo(new Usage(1, 0, 4000, 0, 0, false));
		// one that names more: the split's
		assertThat(r.entries.get(5).usage()).isEqualTo(new Usage(1, 0, 0, 40, 0, false));
	}

	/**
	 * The last timestamp before an offset is the previous timestamped line's, not the
	 * latest: here 2026-11-01 after a line of 2026-11-03, found behind 1.5 MiB of lines
	 * without one (one line longer than the first 1 MiB window, which then holds no line
	 * start), and nothing at or below the floor.
	 */
	@Test
	void shouldReadBackThePreviousTimestampOverGrowingWindows() throws IOException {
		Path file = this.tmp.resolve("back.jsonl");
		String latest = "{\"type\":\"user\",\"timestamp\":\"2026-11-03T08:00:00Z\"}\n";
		String previous = "{\"type\":\"user\",\"timestamp\":\"2026-11-01T09:30:00Z\"}\n";
		String small = "{\"type\":\"user\",\"message\":{\"content\":\"" + "s".repeat(200_000) + "\"}}\n";
		String huge = "{\"type\":\"user\",\"message\":{\"content\":\"" + "h".repeat(1_500_000) + "\"}}\n";
		Files.writeString(file, latest + previous + small + huge, StandardCharsets.UTF_8);
		long afterPrevious = latest.length() + previous.length();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			JsonlReader reader = new JsonlReader();
			long end = ch.size();
			assertThat(end - (afterPrevious + small.length())).isGreaterThan(1 << 20);
			assertThat(reader.lastTimestampBefore(ch, 0, end))
				.isEqualTo(Instant.parse("2026-11-01T09:30:00Z").toEpochMilli());
			assertThat(reader.lastTimestampBefore(ch, 0, latest.length()))
				.isEqualTo(Instant.parse("2026-11-03T08:00:00Z").toEpochMilli());
			assertThat(reader.lastTimestampBefore(ch, afterPrevious, end)).isNull();
			assertThat(reader.lastTimestampBefore(ch, 0, 0)).isNull();
			assertThat(JsonlReader.lineStartAfter(ch, 1, end)).isEqualTo(latest.length());
			assertThat(JsonlReader.lineStartAfter(ch, end - 10, end + 100)).isEqualTo(end);
		}
	}

	/**
	 * Windows that start inside the file: a timestamped line starting exactly 1 MiB
	 * before the offset (the first window's start) is found in that window, and one
	 * behind 1.5 MiB of short lines without a timestamp, with 4 MiB more before it, in
	 * the second window, which starts inside the file.
	 */
	@Test
	void shouldFindTheTimestampAtAWindowsStartAndInALaterWindow() throws IOException {
		String early = "{\"type\":\"user\",\"timestamp\":\"2026-11-03T08:00:00Z\"}\n";
		String found = "{\"type\":\"user\",\"timestamp\":\"2026-11-01T09:30:00Z\"}\n";
		String filler = "{\"type\":\"user\",\"message\":{\"content\":\"" + "f".repeat(100_000) + "\"}}\n";
		long expected = Instant.parse("2026-11-01T09:30:00Z").toEpochMilli();
		// the found line starts exactly 1 MiB before the end
		StringBuilder exact = new StringBuilder(early).append(found);
		int tail = (1 << 20) - found.length();
		while (tail > filler.length() + 200) {
			exact.append(filler);
			tail -= filler.length();
		}
		String head = "{\"type\":\"user\",\"message\":{\"content\":\"";
		exact.append(head).append("t".repeat(tail - head.length() - 4)).append("\"}}\n");
		Path first = this.tmp.resolve("exact.jsonl");
		Files.writeString(first, exact, StandardCharsets.UTF_8);
		StringBuilder later = new StringBuilder(early);
		while (later.length() < (4 << 20)) {
			later.append(filler);
		}
		later.append(found);
		for (int i = 0; i < 15; i++) {
			later.append(filler);
		}
		Path second = this.tmp.resolve("later.jsonl");
		Files.writeString(second, later, StandardCharsets.UTF_8);
		JsonlReader reader = new JsonlReader();
		try (FileChannel ch = FileChannel.open(first, StandardOpenOption.READ)) {
			assertThat(ch.size() - (early.length() + found.length())).isEqualTo((1 << 20) - found.length());
			assertThat(reader.lastTimestampBefore(ch, 0, ch.size())).isEqualTo(expected);
		}
		try (FileChannel ch = FileChannel.open(second, StandardOpenOption.READ)) {
			assertThat(reader.lastTimestampBefore(ch, 0, ch.size())).isEqualTo(expected);
			// above the found line only the early one has a timestamp
			long foundAt = later.indexOf(found);
			assertThat(reader.lastTimestampBefore(ch, 0, foundAt))
				.isEqualTo(Instant.parse("2026-11-03T08:00:00Z").toEpochMilli());
			assertThat(reader.lastTimestampBefore(ch, early.length(), foundAt)).isNull();
		}
	}

	private static Recorder readAll(Path file, JsonlReader reader, boolean complete) throws IOException {
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			long end = complete ? ch.size() : JsonlReader.completeEnd(ch, 0, ch.size());
			Recorder r = new Recorder();
			reader.read(ch, 0, end, r);
			return r;
		}
	}

	static final class Recorder implements LineHandler {

		final List<LogEntry> entries = new ArrayList<>();

		/** Each entry's offset. */
		final List<Long> offsets = new ArrayList<>();

		final List<Long> overlong = new ArrayList<>();

		int invalid;

		int blank;

		@Override
		public void entry(long offset, LogEntry entry) {
			this.entries.add(entry);
			this.offsets.add(offset);
		}

		@Override
		public void invalid(long offset) {
			this.invalid++;
		}

		@Override
		public void overlong(long offset, long length) {
			this.overlong.add(length);
		}

		@Override
		public void blank(long offset) {
			this.blank++;
		}

	}

}
