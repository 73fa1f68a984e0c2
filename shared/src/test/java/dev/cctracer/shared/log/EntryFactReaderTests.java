package dev.cctracer.shared.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.shared.RealData;
import dev.cctracer.shared.log.EntryFactReader.Content;
import dev.cctracer.shared.log.EntryFactReader.ToolBlock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EntryFactReader}: every line of the real transcripts and the bug
 * cases, read in one pass, against the ingest's own reading of the same file
 * ({@link JsonlReader}) for the entry and against an independent reading of each line as
 * a Jackson tree for the content (uuid, tool blocks, text).
 */
class EntryFactReaderTests {

	private static final int LIMIT = EntryFactReader.TEXT_MAX + EntryFactReader.TEXT_MARGIN;

	private final ObjectMapper mapper = new ObjectMapper();

	@TempDir
	Path tmp;

	@Test
	void shouldReadEveryRealLineAsTheIngestAndATreeReadItWithABufferedLine() throws IOException {
		int[] counted = readAllTranscripts(1 << 20);
		// every transcript's lines, and real text: the oracle is not comparing empties
		assertThat(counted[0]).isGreaterThan(5_000);
		assertThat(counted[1]).isGreaterThan(3_000);
	}

	@Test
	void shouldReadTheTextOfLinesLongerThanTheBufferFromTheirHead() throws IOException {
		// a 4 KiB buffer: thousands of real lines are streamed, not buffered; their text
		// is read from their first MiB, which holds each of them whole
		int[] counted = readAllTranscripts(4096);
		assertThat(counted[2]).isGreaterThan(500);
	}

	/**
	 * A line longer than the buffer (a large tool result, as the global search missed):
	 * its text from its first MiB, to the cap as a buffered line's; a string the first
	 * MiB cuts adds nothing, so a secret there is not kept in part.
	 */
	@Test
	void shouldReadTheTextOfALineLongerThanTheBufferFromItsFirstMebibyte() throws IOException {
		String big = "{\"type\":\"user\",\"uuid\":\"u1\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":"
				+ "\"tool_result\",\"tool_use_id\":\"t1\",\"content\":\"ONEPOINTFIVE " + "y".repeat(1_500_000)
				+ "\"}]}}\n";
		int head = EntryFactReader.STREAMED_TEXT_BYTES;
		String prefix = "{\"type\":\"user\",\"uuid\":\"u2\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":"
				+ "\"text\",\"text\":\"intro\"},{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"data\":\"";
		// the key starts 100 bytes before the head's end and runs 300 bytes past it
		String cut = prefix + "A".repeat(head - 100 - prefix.length() - 33) + "\"}},{\"type\":\"text\",\"text\":\""
				+ "sk-ant-api03-" + "K".repeat(387) + "\"}]}}\n";
		Path file = this.tmp.resolve("streamed.jsonl");
		Files.writeString(file, big + cut);
		List<Content> contents = new ArrayList<>();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			new EntryFactReader(new JsonlReader()).read(channel, 0, channel.size(),
					(offset, entry, content) -> contents.add(content));
		}
		assertThat(contents).hasSize(2);
		assertThat(contents.get(0).uuid()).isEqualTo("u1");
		assertThat(contents.get(0).tools()).containsExactly(new ToolBlock(false, "t1", null, false));
		assertThat(text(contents.get(0))).isEqualTo(("ONEPOINTFIVE " + "y".repeat(1_500_000)).substring(0, LIMIT));
		assertThat(cut.indexOf("sk-ant")).isLessThan(head).isGreaterThan(head - 200);
		assertThat(text(contents.get(1))).startsWith("intro").doesNotContain("sk-ant").doesNotContain("KKK");
	}

	/**
	 * Objects glued on one line are facts each at its own offset, with its own content,
	 * as the ingest reads them ({@link JsonlReader}).
	 */
	@Test
	void shouldReadObjectsGluedOnOneLineEachAtItsOffset() throws IOException {
		Path file = this.tmp.resolve("glued.jsonl");
		String first = "{\"type\":\"user\",\"uuid\":\"u1\",\"message\":{\"content\":\"first\"}}";
		String second = "{\"type\":\"user\",\"uuid\":\"u2\",\"message\":{\"content\":\"second\"}}";
		Files.writeString(file, first + second + "\n");
		List<Long> offsets = new ArrayList<>();
		List<String> texts = new ArrayList<>();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			new EntryFactReader(new JsonlReader()).read(channel, 0, channel.size(), (offset, entry, content) -> {
				offsets.add(offset);
				texts.add(content.uuid() + ":" + text(content));
			});
		}
		assertThat(offsets).containsExactly(0L, (long) first.length());
		assertThat(texts).containsExactly("u1:first", "u2:second");
	}

	@Test
	void shouldKeepTheEntryOfALineWhoseContentIsOddAndSkipWhatIsNotJson() throws IOException {
		Path file = this.tmp.resolve("odd.jsonl");
		String lines = String.join("\n",
				// content as one string; a block whose type is an object (skipped whole)
				"{\"type\":\"user\",\"uuid\":\"u1\",\"message\":{\"role\":\"user\",\"content\":\"caf\\u00e9 \\ud83d\\ude00 ok\"}}",
				"{\"type\":\"assistant\",\"uuid\":\"u2\",\"message\":{\"id\":\"m\",\"content\":[{\"type\":{\"x\":1},\"text\":\"a\"},"
						+ "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls \\\"x\\\"\"}}],"
						+ "\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}}",
				// a lone surrogate escape: '?' as Java's encoder writes it
				"{\"type\":\"user\",\"uuid\":\"u3\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"x\\ud800y\"}]}}",
				"{\"type\":\"user\",\"uuid\":\"u4\",\"message\":{\"content\":[{\"type\":\"text\",\"text\":\"bad\\q\"}]}}",
				"not json", "");
		Files.writeString(file, lines + "\n");
		List<Content> contents = new ArrayList<>();
		List<LogEntry> entries = new ArrayList<>();
		int[] skipped = new int[1];
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			new EntryFactReader(new JsonlReader()).read(channel, 0, channel.size(), new EntryFactReader.Handler() {
				@Override
				public void entry(long offset, LogEntry entry, Content content) {
					entries.add(entry);
					contents.add(content);
				}

				@Override
				public void skipped(long offset, long length) {
					skipped[0]++;
				}
			});
		}
		assertThat(entries).hasSize(3);
		assertThat(skipped[0]).isEqualTo(3);
		assertThat(text(contents.get(0))).isEqualTo("café 😀 ok");
		assertThat(contents.get(0).uuid()).isEqualTo("u1");
		assertThat(text(contents.get(1))).isEqualTo("a\n{\"command\":\"ls \\\"x\\\"\"}\nBash");
		assertThat(contents.get(1).tools()).containsExactly(new ToolBlock(true, "t1", "Bash", false));
		assertThat(entries.get(1).usage().output()).isEqualTo(2);
		assertThat(entries.get(1).toolUses()).isEqualTo(1);
		assertThat(text(contents.get(2))).isEqualTo("x?y");
	}

	/**
	 * What the timeline shows of system, summary and hook lines is searchable text too
	 * (in the shapes of Claude Code 2.1.x's lines, {@code shared/realdata/cc-2026});
	 * other attachments (a file's or skills' listing) add none.
	 */
	@Test
	void shouldReadTheTextOfSystemSummaryAndHookLines() throws IOException {
		Path file = this.tmp.resolve("hooks.jsonl");
		String lines = String.join("\n",
				"{\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"hookCount\":1,\"hookInfos\":[{\"command\":"
						+ "\"notify-send 'Claude done'\",\"durationMs\":31}],\"hookErrors\":[\"notify-send: cannot open display\"],"
						+ "\"preventedContinuation\":false,\"stopReason\":\"\",\"hasOutput\":true,\"level\":\"suggestion\",\"uuid\":\"s1\"}",
				"{\"parentUuid\":\"s1\",\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non_blocking_error\",\"hookName\":"
						+ "\"PostToolUse:Edit\",\"toolUseID\":\"toolu_1\",\"hookEvent\":\"PostToolUse\",\"stderr\":\"prettier: not found\","
						+ "\"stdout\":\"formatted 0 files\",\"content\":\"prettier: not found \",\"exitCode\":127,\"command\":\"npx prettier --write\",\"durationMs\":40},\"uuid\":\"a1\"}",
				"{\"type\":\"system\",\"subtype\":\"local_command\",\"content\":\"<local-command-stdout>Compacted</local-command-stdout>\","
						+ "\"level\":\"info\",\"uuid\":\"s2\"}",
				"{\"type\":\"summary\",\"summary\":\"Release checklist\",\"leafUuid\":\"a1\"}",
				"{\"type\":\"attachment\",\"attachment\":{\"type\":\"skill_listing\",\"content\":\"- pdf: read PDFs\"},\"uuid\":\"a2\"}",
				// a prompt queued while Claude worked: the user line that follows holds
				// it
				"{\"type\":\"queue-operation\",\"operation\":\"enqueue\",\"content\":\"run the tests\"}",
				// a stop hook's failure: its turn's summary says it (the line above)
				"{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non_blocking_error\",\"hookName\":\"Stop\",\"hookEvent\":"
						+ "\"Stop\",\"stderr\":\"notify-send: cannot open display\",\"command\":\"notify-send\"},\"uuid\":\"a3\"}",
				"{\"type\":\"system\",\"subtype\":\"turn_duration\",\"durationMs\":1200,\"uuid\":\"s3\"}");
		Files.writeString(file, lines + "\n");
		List<String> texts = new ArrayList<>();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			new EntryFactReader(new JsonlReader()).read(channel, 0, channel.size(),
					(offset, entry, content) -> texts.add((content.text() == null) ? null : text(content)));
		}
		assertThat(texts).containsExactly("notify-send 'Claude done'\nnotify-send: cannot open display",
				"prettier: not found\nnpx prettier --write", "<local-command-stdout>Compacted</local-command-stdout>",
				"Release checklist", null, null, null, null);
	}

	@Test
	void shouldCutTheTextOfALongLineAtTheCapAsTheJoinedStringsWouldBe() throws IOException {
		StringBuilder line = new StringBuilder("{\"type\":\"assistant\",\"uuid\":\"u\",\"message\":{\"content\":[");
		// parts of 1–4 byte chars, escapes and pairs, so the cap falls inside one of them
		for (int i = 0; i < 9; i++) {
			line.append((i > 0) ? "," : "").append("{\"type\":\"text\",\"text\":\"");
			line.append("é€\\n😀\\ud83d\\ude00a".repeat(1_000 + 37 * i)).append("\"}");
		}
		line.append("]}}\n");
		assertThat(linesWithTextAsATreeReadsThem("long.jsonl", line)).isEqualTo(1);
	}

	@Test
	void shouldKeepASurrogatePairThatJacksonWritesInTwoPiecesOfALongKey() throws IOException {
		// Jackson writes a key longer than its buffer (~4,000 chars) in pieces; the pair
		// lands on a piece's edge for one of these lengths
		StringBuilder lines = new StringBuilder();
		for (int n = 3990; n < 4010; n++) {
			lines.append("{\"type\":\"assistant\",\"uuid\":\"u\",\"message\":{\"content\":[{\"type\":\"tool_use\",")
				.append("\"id\":\"t\",\"name\":\"Bash\",\"input\":{\"")
				.append("x".repeat(n))
				.append("😀\":1}}]}}\n");
		}
		assertThat(linesWithTextAsATreeReadsThem("keys.jsonl", lines)).isEqualTo(20);
	}

	@Test
	void shouldReadTheContentOfAToolInputNestedAsDeepAsTheParserTakes() throws IOException {
		// 1,500 levels: deeper than Jackson's default for writing (1,000), within the
		// reader's 2,000
		String input = "[".repeat(1500) + "]".repeat(1500);
		Path file = this.tmp.resolve("deep.jsonl");
		Files.writeString(file,
				"{\"type\":\"assistant\",\"uuid\":\"u\",\"message\":{\"content\":[{\"type\":\"tool_use\","
						+ "\"id\":\"t\",\"name\":\"Bash\",\"input\":" + input + "}]}}\n");
		List<Content> contents = new ArrayList<>();
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			new EntryFactReader(new JsonlReader()).read(channel, 0, channel.size(),
					(offset, entry, content) -> contents.add(content));
		}
		assertThat(contents).hasSize(1);
		assertThat(contents.get(0).uuid()).isEqualTo("u");
		assertThat(contents.get(0).tools()).containsExactly(new ToolBlock(true, "t", "Bash", false));
		assertThat(text(contents.get(0))).isEqualTo(input + "\nBash");
	}

	/**
	 * Writes the lines to a file, compares each with its tree reading (1 MiB buffer) and
	 * returns how many have text.
	 */
	private int linesWithTextAsATreeReadsThem(String name, CharSequence lines) throws IOException {
		Path file = this.tmp.resolve(name);
		Files.writeString(file, lines);
		int[] counted = new int[3];
		compare(file, new JsonlReader(), 1 << 20, counted);
		return counted[1];
	}

	private static String text(Content c) {
		return new String(c.text(), StandardCharsets.UTF_8);
	}

	/**
	 * @return lines compared, lines with text, lines streamed
	 */
	private int[] readAllTranscripts(int bufferSize) throws IOException {
		JsonlReader jsonl = new JsonlReader(bufferSize, JsonlReader.DEFAULT_MAX_LINE_BYTES);
		List<Path> files = new ArrayList<>();
		for (Path root : List.of(RealData.dir(), RealData.dir().resolveSibling("cases"))) {
			try (Stream<Path> walk = Files.walk(root)) {
				walk.filter((p) -> p.toString().endsWith(".jsonl")).sorted().forEach(files::add);
			}
		}
		assertThat(files).hasSizeGreaterThan(40);
		int[] counted = new int[3];
		for (Path file : files) {
			compare(file, jsonl, bufferSize, counted);
		}
		return counted;
	}

	private void compare(Path file, JsonlReader jsonl, int bufferSize, int[] counted) throws IOException {
		Map<Long, LogEntry> ingest = new HashMap<>();
		byte[] bytes = Files.readAllBytes(file);
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			jsonl.read(channel, 0, channel.size(), new LineHandler() {
				@Override
				public void entry(long offset, LogEntry entry) {
					ingest.put(offset, entry);
				}

				@Override
				public void invalid(long offset) {
				}

				@Override
				public void overlong(long offset, long length) {
				}
			});
			Map<Long, LogEntry> facts = new HashMap<>();
			new EntryFactReader(jsonl).read(channel, 0, channel.size(), (offset, entry, content) -> {
				facts.put(offset, entry);
				String line = line(bytes, offset);
				assertThat(entry).as("%s at %d", file, offset).isEqualTo(ingest.get(offset));
				// a line and its newline longer than the buffer are streamed
				boolean streamed = line.getBytes(StandardCharsets.UTF_8).length + 1 > bufferSize;
				expect(file, offset, line, content, streamed);
				counted[0]++;
				if (content.text() != null && content.text().length > 0) {
					counted[1]++;
				}
				if (streamed) {
					counted[2]++;
				}
			});
			assertThat(facts.keySet()).as(file.toString()).isEqualTo(ingest.keySet());
		}
	}

	private void expect(Path file, long offset, String line, Content content, boolean streamed) {
		JsonNode root;
		try {
			root = this.mapper.readTree(line);
		}
		catch (IOException ex) {
			throw new AssertionError(file + " at " + offset + ": the ingest read a line a tree does not", ex);
		}
		JsonNode uuid = root.get("uuid");
		assertThat(content.uuid()).isEqualTo((uuid != null && uuid.isTextual()) ? uuid.asText() : null);
		List<ToolBlock> tools = new ArrayList<>();
		List<String> parts = new ArrayList<>();
		boolean hasContent = false;
		// in the line's order: the message's content, and the top-level texts the
		// timeline
		// shows of system, summary and hook lines
		for (Map.Entry<String, JsonNode> f : root.properties()) {
			JsonNode v = f.getValue();
			switch (f.getKey()) {
				case "message" -> {
					if (v.isObject() && v.has("content")) {
						hasContent = true;
						messageContent(v.get("content"), parts, tools);
					}
				}
				case "summary", "stopReason" -> {
					hasContent = true;
					textual(v, parts);
				}
				case "hookErrors" -> {
					hasContent = true;
					v.forEach((e) -> textual(e, parts));
				}
				case "hookInfos" -> {
					hasContent = true;
					v.forEach((info) -> textual(info.path("command"), parts));
				}
				case "attachment" -> {
					// a hook's failure or block of a tool's event: a stop's is said by
					// its
					// summary
					String type = v.path("type").isTextual() ? v.get("type").asText() : "";
					String event = v.path("hookEvent").isTextual() ? v.get("hookEvent").asText() : "Stop";
					if (List
						.of("hook_non_blocking_error", "hook_blocking_error", "hook_error_during_execution",
								"hook_cancelled")
						.contains(type) && !event.equals("Stop") && !event.equals("SubagentStop")) {
						hasContent = true;
						hookAttachment(v, parts);
					}
				}
				default -> {
				}
			}
		}
		// a system line's own content (not a queued prompt's copy), last
		if (root.path("type").isTextual() && root.get("type").asText().equals("system") && root.has("content")) {
			hasContent = true;
			textual(root.get("content"), parts);
		}
		assertThat(content.tools()).as("%s at %d", file, offset).isEqualTo(tools);
		if (!hasContent) {
			assertThat(content.text()).as("%s at %d", file, offset).isNull();
			return;
		}
		String joined = String.join("\n", parts.stream().filter((s) -> !s.isEmpty()).toList());
		String cut = (joined.length() <= LIMIT) ? joined : joined.substring(0, LIMIT);
		if (streamed && line.getBytes(StandardCharsets.UTF_8).length > EntryFactReader.STREAMED_TEXT_BYTES) {
			// the strings of its first MiB
			assertThat(cut).as("%s at %d", file, offset).startsWith(text(content));
			return;
		}
		assertThat(text(content)).as("%s at %d", file, offset).isEqualTo(cut);
		assertThat(content.text()).isEqualTo(cut.getBytes(StandardCharsets.UTF_8));
	}

	private void messageContent(JsonNode c, List<String> parts, List<ToolBlock> tools) {
		if (c.isTextual()) {
			parts.add(c.asText());
		}
		else if (c.isArray()) {
			for (JsonNode block : c) {
				if (block.isObject()) {
					block(block, parts, tools);
				}
			}
		}
	}

	private static void textual(JsonNode v, List<String> parts) {
		if (v.isTextual()) {
			parts.add(v.asText());
		}
	}

	/** A hook outcome's fields, in their order, each text once (compared stripped). */
	private static void hookAttachment(JsonNode a, List<String> parts) {
		List<String> texts = new ArrayList<>();
		for (Map.Entry<String, JsonNode> f : a.properties()) {
			switch (f.getKey()) {
				case "stderr", "command", "content" -> textual(f.getValue(), texts);
				case "blockingError" -> {
					if (f.getValue().isObject()) {
						for (Map.Entry<String, JsonNode> inner : f.getValue().properties()) {
							if (inner.getKey().equals("blockingError") || inner.getKey().equals("command")) {
								textual(inner.getValue(), texts);
							}
						}
					}
					else {
						textual(f.getValue(), texts);
					}
				}
				default -> {
				}
			}
		}
		List<String> seen = new ArrayList<>();
		for (String text : texts) {
			if (!seen.contains(text.strip())) {
				seen.add(text.strip());
				parts.add(text);
			}
		}
	}

	private void block(JsonNode block, List<String> parts, List<ToolBlock> tools) {
		for (Map.Entry<String, JsonNode> f : block.properties()) {
			JsonNode v = f.getValue();
			switch (f.getKey()) {
				case "text", "thinking" -> {
					if (v.isTextual()) {
						parts.add(v.asText());
					}
				}
				case "input" -> {
					if (v.isContainerNode()) {
						parts.add(v.toString());
					}
				}
				case "content" -> {
					if (v.isTextual()) {
						parts.add(v.asText());
					}
					else if (v.isArray()) {
						for (JsonNode item : v) {
							if (item.isTextual()) {
								parts.add(item.asText());
							}
							else if (item.isObject() && item.path("text").isTextual()) {
								parts.add(item.get("text").asText());
							}
						}
					}
				}
				default -> {
				}
			}
		}
		String type = block.path("type").isTextual() ? block.get("type").asText() : null;
		if ("tool_use".equals(type) && block.path("id").isTextual()) {
			String name = block.path("name").isTextual() ? block.get("name").asText() : null;
			tools.add(new ToolBlock(true, block.get("id").asText(), name, false));
			if (name != null) {
				parts.add(name);
			}
		}
		else if ("tool_result".equals(type) && block.path("tool_use_id").isTextual()) {
			tools.add(new ToolBlock(false, block.get("tool_use_id").asText(), null,
					block.path("is_error").asBoolean(false) && block.get("is_error").isBoolean()));
		}
	}

	private static String line(byte[] bytes, long offset) {
		int start = (int) offset;
		int end = start;
		while (end < bytes.length && bytes[end] != '\n') {
			end++;
		}
		return new String(bytes, start, end - start, StandardCharsets.UTF_8);
	}

}
