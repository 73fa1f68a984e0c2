package dev.cctracer.shared.transcript;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.shared.RealData;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.usage.ChunkParser;
import dev.cctracer.shared.usage.UsageCopy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link TranscriptIndex} and {@link TranscriptText}. Expected counts come from
 * {@code shared/src/test/python/messages.py}, an independent implementation of the same
 * rules.
 */
class TranscriptIndexTests {

	@TempDir
	Path tmp;

	@Test
	void shouldShowOneMessagePerResponseAndClassifyUserLines() throws IOException {
		TranscriptIndex index = index(RealData.file("spotter/tool_heavy.jsonl"), true);
		assertThat(kinds(index)).containsExactlyInAnyOrderEntriesOf(
				Map.of("user", 4L, "assistant", 4L, "tool_result", 6L, "hook", 3L, "system", 2L));
		assertThat(tools(index)).isEqualTo(6);
	}

	@Test
	void shouldKeepTheLargestUsageOfAResponse() throws IOException {
		TranscriptIndex index = index(RealData.file("spotter/short.jsonl"), true);
		assertThat(kinds(index))
			.containsExactlyInAnyOrderEntriesOf(Map.of("user", 2L, "assistant", 1L, "tool_result", 2L, "system", 2L));
		MessageItem assistant = index.from(0)
			.stream()
			.filter((i) -> i.kind() == MessageKind.ASSISTANT)
			.findFirst()
			.orElseThrow();
		assertThat(assistant.lineCount()).isEqualTo(5);
		assertThat(assistant.usage()).isEqualTo(new Usage(3, 13, 0, 13835, 11515, false));
		assertThat(assistant.tools()).extracting(MessageItem.ToolUse::name).containsExactly("Bash", "Glob");
		assertThat(index.from(0).stream().filter((i) -> i.kind() == MessageKind.TOOL_RESULT && i.error())).hasSize(2);
		// every line's uuid finds the merged message
		assertThat(index.byUuid("1b7d717f-d6a2-46a6-8575-fa4f937450ea")).isSameAs(assistant);
	}

	@Test
	void shouldShowInlineSidechainsAsSubagentMessages() throws IOException {
		TranscriptIndex index = index(RealData.file("claude-code-viewer/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl"),
				true);
		assertThat(kinds(index)).containsExactlyInAnyOrderEntriesOf(
				Map.of("system", 1L, "hook", 2L, "assistant", 9L, "tool_result", 11L, "subagent", 322L, "user", 1L));
		assertThat(tools(index)).isEqualTo(167);
	}

	@Test
	void shouldCountTheBigSessionAndASubagentFile() throws IOException {
		TranscriptIndex main = index(RealData.file("spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl"), true);
		// its one compaction summary (isCompactSummary, a user line) is a system entry;
		// its
		// two stop_hook_summary system lines are hook output (json.loads: 5 system lines,
		// 2 of them stop_hook_summary)
		assertThat(kinds(main)).containsExactlyInAnyOrderEntriesOf(
				Map.of("user", 2L, "assistant", 217L, "tool_result", 242L, "hook", 6L, "system", 4L));
		TranscriptIndex sub = index(
				RealData.file("spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-aac57f5.jsonl"), false);
		assertThat(kinds(sub))
			.containsExactlyInAnyOrderEntriesOf(Map.of("user", 1L, "assistant", 3L, "tool_result", 12L));
	}

	@Test
	void aToolHooksFailureOrBlockIsAHookEntryAndAStopsIsSaidByItsSummary() throws IOException {
		// Claude Code 2.1.145 logs a tool hook only when it fails, as an attachment; a
		// stop hook's failure also has the turn's stop_hook_summary, the entry shown
		Path file = this.tmp.resolve("hooks.jsonl");
		Files.writeString(file, user("u1", "hello")
				+ "{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_blocking_error\",\"hookName\":\"PreToolUse:Bash\","
				+ "\"toolUseID\":\"toolu_1\",\"hookEvent\":\"PreToolUse\",\"blockingError\":{\"blockingError\":\"no rm\","
				+ "\"command\":\"guard.sh\"}},\"uuid\":\"b1\",\"timestamp\":\"2026-01-01T00:00:01Z\"}\n"
				+ "{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_success\",\"hookName\":\"PostToolUse:Bash\","
				+ "\"hookEvent\":\"PostToolUse\",\"content\":\"Success\"},\"uuid\":\"s1\"}\n"
				+ "{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non_blocking_error\",\"hookName\":\"Stop\","
				+ "\"hookEvent\":\"Stop\",\"stderr\":\"x\",\"exitCode\":127},\"uuid\":\"f1\"}\n"
				+ "{\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"hookCount\":1,\"hookErrors\":[\"x\"],\"uuid\":\"h1\"}\n"
				+ "{\"type\":\"attachment\",\"attachment\":{\"type\":\"task_reminder\"},\"uuid\":\"t1\"}\n"
				// without its event: no hook line of a known shape
				+ "{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_cancelled\"},\"uuid\":\"c1\"}\n"
				// an inline sidechain's stop hooks: Claude Code's line, not a subagent's
				// message
				+ "{\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"isSidechain\":true,\"hookCount\":1,\"uuid\":\"h2\"}\n",
				StandardCharsets.UTF_8);
		TranscriptIndex index = index(file, true);
		assertThat(kinds(index)).containsExactlyInAnyOrderEntriesOf(Map.of("user", 1L, "hook", 3L));
		assertThat(index.from(0)).extracting(MessageItem::uuid).containsExactly("u1", "b1", "h1", "h2");
	}

	@Test
	void shouldShowALineOfAnUnknownTypeWhoseUsageIsCounted() throws IOException {
		// the ingest counts any line with message.usage (ChunkParser); the timeline shows
		// it as a response, and leaves out an unknown line without usage
		Path file = this.tmp.resolve("unknown.jsonl");
		Files.writeString(file,
				user("u1", "hello") + line("a1", "m1", 5).replace("\"type\":\"assistant\"", "\"type\":\"hologram\"")
						+ line("a2", "m2", 7).replace("\"type\":\"assistant\",", "")
						+ "{\"type\":\"hologram\",\"uuid\":\"h1\",\"message\":{\"content\":\"no usage\"}}\n",
				StandardCharsets.UTF_8);
		TranscriptIndex index = index(file, true);
		assertThat(kinds(index)).containsExactlyInAnyOrderEntriesOf(Map.of("user", 1L, "assistant", 2L));
		assertThat(index.get(1).usage().output()).isEqualTo(5);
		assertThat(index.get(2).usage().output()).isEqualTo(7);
	}

	/**
	 * Claude Code writes entries again into the same transcript: VSCode reopening a
	 * session re-appends them (anthropics/claude-code#56196), concurrent sessions wrote
	 * one four times in a row (#66454). A real transcript followed by itself, read in two
	 * steps as a growing file is, has the messages, calls and results of the original.
	 */
	@Test
	void anEntryWrittenAgainIntoItsTranscriptIsNoNewMessage() throws IOException {
		Path original = RealData
			.file("cc-2026/dotsv2/projects/-Users-devuser/4bb63645-c6ef-443f-aec1-53d354b98a7a.jsonl");
		byte[] bytes = Files.readAllBytes(original);
		Path doubled = this.tmp.resolve("doubled.jsonl");
		Files.write(doubled, bytes);
		Files.write(doubled, bytes, StandardOpenOption.APPEND);
		TranscriptIndex once = index(original, true);
		TranscriptIndex twice = new TranscriptIndex(0, true);
		try (FileChannel ch = FileChannel.open(doubled, StandardOpenOption.READ)) {
			twice.extend(ch, bytes.length, new JsonlReader());
			twice.extend(ch, 2L * bytes.length, new JsonlReader());
		}
		// recount (python): 7 tool_use blocks, 114 lines of which 89 have a uuid
		assertThat(tools(once)).isEqualTo(7);
		assertThat(kinds(twice)).isEqualTo(kinds(once));
		assertThat(tools(twice)).isEqualTo(7);
		assertThat(twice.from(0)).extracting(MessageItem::uuid)
			.containsExactlyElementsOf(once.from(0).stream().map(MessageItem::uuid).toList());
		assertThat(once.repeatedEntries()).isZero();
		assertThat(twice.repeatedEntries()).isPositive().isLessThanOrEqualTo(89);
	}

	@Test
	void shouldExtendAsTheFileGrowsWithoutRenumbering() throws IOException {
		Path file = this.tmp.resolve("s.jsonl");
		String a1 = line("a1", "m1", 5);
		Files.writeString(file, user("u1", "hello") + a1, StandardCharsets.UTF_8);
		TranscriptIndex index = new TranscriptIndex(0, true);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			index.extend(ch, ch.size(), new JsonlReader());
		}
		assertThat(index.size()).isEqualTo(2);
		// a later streamed line of the same response joins it; a new prompt is a new
		// message
		Files.writeString(file, line("a2", "m1", 50) + user("u2", "again"), StandardOpenOption.APPEND);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			index.extend(ch, ch.size(), new JsonlReader());
			assertThat(index.size()).isEqualTo(3);
			assertThat(index.get(1).usage().output()).isEqualTo(50);
			assertThat(index.get(2).uuid()).isEqualTo("u2");
			TranscriptText.Content text = TranscriptText.read(ch, index.get(1));
			assertThat(text.text()).isEqualTo("part a1\npart a2");
		}
	}

	/**
	 * A line too large to show (over {@link TranscriptText#MAX_LINE_FOR_TEXT}) is said in
	 * the message's text, beside the text of the response's other lines, and in its
	 * preview: a message never looks empty for it.
	 */
	@Test
	void shouldSayALineIsTooLargeToShowInTheText() throws IOException {
		Path file = this.tmp.resolve("large.jsonl");
		String huge = "y".repeat((int) TranscriptText.MAX_LINE_FOR_TEXT + (1 << 20));
		Files.writeString(file, user("u1", huge) + line("a1", "m1", 5) + line("a2", "m1", 50).replace("part a2", huge),
				StandardCharsets.UTF_8);
		TranscriptIndex index = index(file, true);
		assertThat(index.size()).isEqualTo(2);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			assertThat(TranscriptText.read(ch, index.get(0)).text()).isEqualTo("[line of 17 MB not shown]");
			assertThat(TranscriptText.preview(ch, index.get(0), 300)).isEqualTo("[line of 17 MB not shown]");
			assertThat(TranscriptText.read(ch, index.get(1)).text()).isEqualTo("part a1\n[line of 17 MB not shown]");
		}
	}

	@Test
	void shouldRedactSecretsInEveryText() throws IOException {
		Path file = this.tmp.resolve("secret.jsonl");
		String key = "sk-ant-api03-" + "a".repeat(40);
		Files.writeString(file, user("u1", "my key is " + key + " and AKIA" + "B".repeat(16))
				+ "{\"type\":\"assistant\","
				+ "\"uuid\":\"a1\",\"message\":{\"id\":\"m\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\","
				+ "\"input\":{\"command\":\"curl -H 'Authorization: Bearer abcdefghijklmnop'\"}}]}}\n",
				StandardCharsets.UTF_8);
		TranscriptIndex index = new TranscriptIndex(0, true);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			index.extend(ch, ch.size(), new JsonlReader());
			TranscriptText.Content prompt = TranscriptText.read(ch, index.get(0));
			assertThat(prompt.text()).isEqualTo("my key is [REDACTED] and [REDACTED]");
			TranscriptText.Content call = TranscriptText.read(ch, index.get(1));
			assertThat(call.toolCalls().get(0).input().get("command").asText())
				.isEqualTo("curl -H 'Authorization: [REDACTED]'");
			assertThat(call.preview(500)).doesNotContain("abcdefghijklmnop");
		}
	}

	@Test
	void previewReadsAWindowAndGivesWhatTheWholeReadGives() throws IOException {
		Path file = this.tmp.resolve("preview.jsonl");
		String key = "sk-ant-api03-" + "b".repeat(40);
		// an RSA-4096 key in PEM is ~3.2 KB
		String pem = "-----BEGIN RSA PRIVATE KEY-----\\n" + "A".repeat(3200) + "\\n-----END RSA PRIVATE KEY-----";
		String hugePem = "-----BEGIN RSA PRIVATE KEY-----\\n" + "A".repeat(9000) + "\\n-----END RSA PRIVATE KEY-----";
		Files.writeString(file, user("u1", "  my key: " + pem + " " + "w".repeat(20_000))
				+ "{\"type\":\"assistant\",\"uuid\":\"a1\",\"message\":{\"id\":\"m1\",\"content\":[{\"type\":\"tool_use\","
				+ "\"id\":\"t1\",\"name\":\"Write\",\"input\":{\"file_path\":\"/tmp/a.txt\",\"content\":\""
				+ "z".repeat(50_000) + "\"}}]}}\n"
				+ "{\"type\":\"user\",\"uuid\":\"u2\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
				+ "\"tool_use_id\":\"t1\",\"content\":\"" + "x".repeat(450) + " " + key + " " + "y".repeat(20_000)
				+ "\"}]},\"toolUseResult\":{\"stdout\":\"" + "y".repeat(30_000) + "\"}}\n"
				+ "{\"type\":\"assistant\",\"uuid\":\"a2\",\"message\":{\"id\":\"m2\",\"content\":[{\"type\":\"thinking\","
				+ "\"thinking\":\"" + "t".repeat(10_000) + "\"}]}}\n" + user("u3", "key: " + hugePem + " after"),
				StandardCharsets.UTF_8);
		TranscriptIndex index = new TranscriptIndex(0, true);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			index.extend(ch, ch.size(), new JsonlReader());
			assertThat(index.size()).isEqualTo(5);
			for (int i = 0; i < 4; i++) {
				assertThat(TranscriptText.preview(ch, index.get(i), 500)).as("message %d", i)
					.isEqualTo(TranscriptText.read(ch, index.get(i)).preview(500))
					.hasSizeLessThanOrEqualTo(500);
			}
			// a private key that starts in the preview and runs past its end, and a key
			// just before the cut, are redacted as in the whole text
			assertThat(TranscriptText.preview(ch, index.get(0), 500)).startsWith("my key: [REDACTED]")
				.doesNotContain("AAAA");
			assertThat(TranscriptText.preview(ch, index.get(2), 500)).contains("[REDACTED]").doesNotContain("sk-ant");
			assertThat(TranscriptText.preview(ch, index.get(1), 500)).isEqualTo("Write: /tmp/a.txt");
			// a key longer than the window is cut unterminated: redacted to the window's
			// end
			// (more than the whole read hides, never less)
			assertThat(TranscriptText.preview(ch, index.get(4), 500)).isEqualTo("key: [REDACTED]");
		}
	}

	/**
	 * A response without a timestamp shows none, and its usage counts where the ingest
	 * counts the copy it keeps: at the last timestamped line's time before that copy (0
	 * before any), for a response whose largest copy comes after a line dated earlier
	 * than its first, and after a line holding two JSON objects (read as the two by both,
	 * the first's time the last before it) and a line that is not JSON (invalid for
	 * both).
	 */
	@Test
	void aResponseCountsWhereTheIngestCountsItsCopy() throws IOException {
		Path file = this.tmp.resolve("s.jsonl");
		String twoObjects = "{\"type\":\"user\",\"timestamp\":\"2025-06-01T00:00:00Z\"} {\"type\":\"user\"}\n";
		Files.writeString(file, line("a0", "m0", 1) + user("u1", "hello") + line("a1", "m1", 5)
				+ at(line("q1", "q", 1), "2026-10-08T10:00:00Z") + at(user("u2", "later"), "2026-10-06T10:00:00Z")
				+ line("q2", "q", 50) + twoObjects + "{\"type\":\"user\"} x\n" + line("a3", "m3", 7),
				StandardCharsets.UTF_8);
		TranscriptIndex index = index(file, true);
		assertThat(index.invalidLines()).isOne();
		Map<String, MessageItem> byId = new TreeMap<>();
		index.from(0).stream().filter((i) -> i.messageId() != null).forEach((i) -> byId.put(i.messageId(), i));
		assertThat(byId.get("m0").timestamp()).isNull();
		assertThat(byId.get("m0").countedAt()).isZero();
		assertThat(byId.get("m1").timestamp()).isNull();
		assertThat(byId.get("m1").countedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
		// shown at its first line's time, counted at its largest copy's
		assertThat(byId.get("q").timestamp()).isEqualTo(Instant.parse("2026-10-08T10:00:00Z").toEpochMilli());
		assertThat(byId.get("q").countedAt()).isEqualTo(Instant.parse("2026-10-06T10:00:00Z").toEpochMilli());
		assertThat(byId.get("m3").countedAt()).isEqualTo(Instant.parse("2025-06-01T00:00:00Z").toEpochMilli());
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			assertThat(new ChunkParser().parse(ch, 0, ch.size(), file.toString()).copies())
				.extracting(UsageCopy::messageId, UsageCopy::timestamp)
				.containsExactlyInAnyOrder(byId.values()
					.stream()
					.map((i) -> tuple(i.messageId(), i.countedAt()))
					.toArray(org.assertj.core.groups.Tuple[]::new));
		}
	}

	/** The line with a {@code timestamp} field added after its type. */
	private static String at(String line, String timestamp) {
		String noTimestamp = line.replace(",\"timestamp\":\"2026-01-01T00:00:00Z\"", "");
		return noTimestamp.replaceFirst("\\{", "{\"timestamp\":\"" + timestamp + "\",");
	}

	private static String user(String uuid, String text) {
		return "{\"type\":\"user\",\"uuid\":\"" + uuid
				+ "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":" + "\"user\",\"content\":\"" + text
				+ "\"}}\n";
	}

	private static String line(String uuid, String messageId, int output) {
		return "{\"type\":\"assistant\",\"uuid\":\"" + uuid + "\",\"requestId\":\"r\",\"message\":{\"id\":\""
				+ messageId + "\",\"model\":\"claude-opus-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"part " + uuid
				+ "\"}],\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output + "}}}\n";
	}

	private static TranscriptIndex index(Path file, boolean main) throws IOException {
		TranscriptIndex index = new TranscriptIndex(0, main);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
			index.extend(ch, JsonlReader.completeEnd(ch, 0, ch.size()), new JsonlReader());
		}
		return index;
	}

	private static Map<String, Long> kinds(TranscriptIndex index) {
		Map<String, Long> kinds = new TreeMap<>();
		index.from(0).forEach((i) -> kinds.merge(i.kind().wireName(), 1L, Long::sum));
		return kinds;
	}

	private static long tools(TranscriptIndex index) {
		return index.from(0).stream().mapToLong((i) -> i.tools().size()).sum();
	}

}
