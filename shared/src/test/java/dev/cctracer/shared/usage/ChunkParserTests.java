package dev.cctracer.shared.usage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChunkParser}: the time of a usage line without a timestamp does not
 * depend on where a range starts.
 */
class ChunkParserTests {

	@TempDir
	Path tmp;

	/**
	 * Timestamps that run backwards (11-03, then 11-01), then a usage line without one:
	 * it counts at 11-01, the previous timestamped line's time, whether the file is read
	 * in one range or the range starts at that line (read back before it), or at the line
	 * of 11-01.
	 */
	@Test
	void aUsageLineWithoutATimestampTakesThePreviousLinesWhereverTheRangeStarts() throws IOException {
		String first = usage("m1", "\"2026-11-03T08:00:00Z\"");
		String user = "{\"type\":\"user\",\"timestamp\":\"2026-11-01T09:30:00Z\",\"message\":{\"content\":\"hi\"}}\n";
		String untimed = usage("m2", null);
		Path file = this.tmp.resolve("s.jsonl");
		Files.writeString(file, first + user + untimed, StandardCharsets.UTF_8);
		long previous = Instant.parse("2026-11-01T09:30:00Z").toEpochMilli();
		long[] starts = { 0, first.length(), first.length() + user.length() };
		for (long start : starts) {
			assertThat(timesSplitAt(file, start)).as("from %d", start).containsEntry("m2", previous);
		}
		assertThat(timesSplitAt(file, 0)).containsEntry("m1", Instant.parse("2026-11-03T08:00:00Z").toEpochMilli());
	}

	/** A usage line before any timestamp counts at 0 (the epoch), read back or not. */
	@Test
	void aUsageLineWithNoTimestampBeforeItCountsAtTheEpoch() throws IOException {
		String user = "{\"type\":\"user\",\"message\":{\"content\":\"hi\"}}\n";
		Path file = this.tmp.resolve("s.jsonl");
		Files.writeString(file, user + usage("m1", null), StandardCharsets.UTF_8);
		assertThat(timesSplitAt(file, 0)).containsEntry("m1", 0L);
		assertThat(timesSplitAt(file, user.length())).containsEntry("m1", 0L);
	}

	/**
	 * Lines of entry types this version does not know are counted by their name; a line
	 * without a {@code type} string (junk a tool appended, a number) under {@code (no
	 * type)}, not an empty name.
	 */
	@Test
	void unknownEntryTypesAreCountedByName() throws IOException {
		String lines = "{\"type\":\"fancy-new-entry\",\"x\":1}\n{\"silly\": \"this\"}\n{\"type\":5}\n"
				+ "{\"type\":\"fancy-new-entry\"}\n{\"type\":\" \"}\n{\"type\":\"user\",\"message\":{\"content\":\"hi\"}}\n";
		Path file = this.tmp.resolve("s.jsonl");
		Files.writeString(file, lines, StandardCharsets.UTF_8);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			ChunkResult r = new ChunkParser().parse(ch, 0, ch.size(), file.toString());
			assertThat(r.unknownTypes())
				.containsExactlyInAnyOrderEntriesOf(Map.of("fancy-new-entry", 2L, ChunkParser.NO_TYPE, 3L));
			assertThat(ChunkParser.NO_TYPE).isEqualTo("(no type)");
		}
	}

	/**
	 * A response written as Claude Code writes it, one content block a line (thinking,
	 * two tool calls), each line repeating the usage: its copy carries both tool calls,
	 * whichever line stands for it; a tool call on a line without usage (an older format)
	 * is the file's own. The line counters hold only the latter.
	 */
	@Test
	void theToolCallsOfAResponseGoWithItsCopy() throws IOException {
		String lines = block("m1", "{\"type\":\"thinking\",\"thinking\":\"\"}", 5) + block("m1", toolUse("t1"), 9)
				+ block("m1", toolUse("t2"), 7)
				+ "{\"type\":\"user\",\"message\":{\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"t1\"}]}}\n"
				+ "{\"type\":\"assistant\",\"message\":{\"content\":[" + toolUse("t3") + "]}}\n";
		Path file = this.tmp.resolve("s.jsonl");
		Files.writeString(file, lines, StandardCharsets.UTF_8);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			ChunkResult r = new ChunkParser().parse(ch, 0, ch.size(), file.toString());
			assertThat(r.copies()).singleElement().satisfies((c) -> {
				assertThat(c.toolUses()).isEqualTo(2);
				assertThat(c.usage().output()).isEqualTo(9);
			});
			assertThat(r.counters().toolUses()).isEqualTo(1);
		}
	}

	/**
	 * Failed tool results are counted per block and keep the call they name, whichever
	 * the order of their fields; one without an id is counted without one; a result that
	 * did not fail is neither. The long line goes through the Jackson parser, the short
	 * one through the byte scanner: both read the same.
	 */
	@Test
	void aFailedToolResultKeepsTheCallItNames() throws IOException {
		String results = "{\"type\":\"tool_result\",\"is_error\":true,\"tool_use_id\":\"toolu_A\",\"content\":\"no\"},"
				+ "{\"tool_use_id\":\"toolu_B\",\"type\":\"tool_result\",\"content\":\"fine\"},"
				+ "{\"tool_use_id\":\"toolu_C\",\"content\":\"boom\",\"type\":\"tool_result\",\"is_error\":true},"
				+ "{\"type\":\"tool_result\",\"is_error\":true}";
		String user = "{\"type\":\"user\",\"timestamp\":\"2026-11-03T08:00:00Z\",\"message\":{\"content\":[" + results
				+ "]}}\n";
		// an integer of over 18 digits: the scanner leaves the line to Jackson
		String jackson = user.replace("{\"type\":\"user\",", "{\"type\":\"user\",\"n\":12345678901234567890123,")
			.replace("08:00:00Z", "08:00:01Z");
		Path file = this.tmp.resolve("s.jsonl");
		Files.writeString(file, user + jackson, StandardCharsets.UTF_8);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			ChunkResult r = new ChunkParser().parse(ch, 0, ch.size(), file.toString());
			assertThat(r.counters().toolErrors()).isEqualTo(6);
			assertThat(r.toolErrors()).extracting(ToolError::toolUseId)
				.containsExactly("toolu_A", "toolu_C", "toolu_A", "toolu_C");
			assertThat(r.toolErrors()).extracting(ToolError::lineOffset)
				.containsExactly(0L, 0L, (long) user.length(), (long) user.length());
			assertThat(r.toolErrors().get(0).timestamp())
				.isEqualTo(Instant.parse("2026-11-03T08:00:00Z").toEpochMilli());
		}
	}

	private static String block(String id, String content, long output) {
		return "{\"type\":\"assistant\",\"timestamp\":\"2026-11-03T08:00:00Z\",\"requestId\":\"r-" + id
				+ "\",\"message\":{\"id\":\"" + id + "\",\"model\":\"claude-opus-4-6\",\"content\":[" + content
				+ "],\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output + "}}}\n";
	}

	private static String toolUse(String id) {
		return "{\"type\":\"tool_use\",\"id\":\"" + id + "\",\"name\":\"Bash\",\"input\":{}}";
	}

	/**
	 * The usage copies' times (epoch ms) by message id, reading {@code [0, split)} then
	 * {@code [split, size)} as two commits would.
	 */
	private static Map<String, Long> timesSplitAt(Path file, long split) throws IOException {
		Map<String, Long> times = new HashMap<>();
		ChunkParser parser = new ChunkParser();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			List<UsageCopy> copies = new ArrayList<>(parser.parse(ch, 0, split, file.toString()).copies());
			copies.addAll(parser.parse(ch, split, ch.size(), file.toString()).copies());
			copies.forEach((c) -> times.put(c.messageId(), c.timestamp()));
		}
		return times;
	}

	private static String usage(String id, String timestamp) {
		return "{\"type\":\"assistant\"" + ((timestamp != null) ? ",\"timestamp\":" + timestamp : "")
				+ ",\"requestId\":\"r-" + id + "\",\"message\":{\"id\":\"" + id
				+ "\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}}\n";
	}

	/**
	 * A key crossing the 500th character of a title or of an API error's text is masked
	 * whole: the text is redacted before it is cut (cut first, its start escaped the
	 * patterns; a random-secret test found an {@code sk-proj-} key's first 12 characters
	 * in {@code …/api-errors}).
	 */
	@Test
	void shouldMaskAKeyThatCrossesTheCutOfATitleOrAnApiErrorText() throws IOException {
		String key = "sk-proj-" + "5xQlaGpVmhxq5Lxf0NOIFR0K7j_dzWZNuPh1vOUq";
		for (int at = 470; at <= 500; at += 5) {
			// a space before the key: the sk shapes start a word
			String before = "x".repeat(at - 1) + " ";
			String title = "{\"type\":\"custom-title\",\"customTitle\":\"" + before + key + " tail\"}\n";
			String error = "{\"type\":\"assistant\",\"isApiErrorMessage\":true,\"timestamp\":\"2026-11-03T08:00:00Z\","
					+ "\"error\":\"" + "y".repeat(20) + ":" + key
					+ "\",\"message\":{\"id\":\"e1\",\"model\":\"<synthetic>\","
					+ "\"content\":[{\"type\":\"text\",\"text\":\"API Error: 401 " + before + key + "\"}],"
					+ "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n";
			Path file = this.tmp.resolve("cut-" + at + ".jsonl");
			Files.writeString(file, title + error, StandardCharsets.UTF_8);
			try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
				ChunkResult r = new ChunkParser().parse(ch, 0, ch.size(), file.toString());
				String kept = r.labels().customTitle();
				assertThat(kept).as("title, key at %d", at).hasSizeLessThanOrEqualTo(500).doesNotContain("5xQlaGpV");
				assertThat(kept).startsWith(before);
				ApiError e = r.apiErrors().get(0);
				assertThat(e.text()).as("error text, key at %d", at)
					.hasSizeLessThanOrEqualTo(500)
					.startsWith("API Error: 401 x")
					.doesNotContain("5xQlaGpV");
				assertThat(e.kind()).hasSizeLessThanOrEqualTo(32).doesNotContain("sk-proj-5x");
			}
		}
	}

}
