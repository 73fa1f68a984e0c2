package dev.cctracer.web.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The message endpoints on the real transcripts. Expected counts come from
 * {@code shared/src/test/python/messages.py} (an independent implementation of the
 * classification).
 */
class MessageApiTests extends RealDataWebTest {

	private static final String MAIN = "/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION;

	@Test
	void shouldWalkEveryMessageOfASessionExactlyOnce() throws Exception {
		indexed();
		List<JsonNode> all = walk(MAIN + "/messages?limit=50", null);
		assertThat(all).hasSize(471);
		Map<String, Long> kinds = new TreeMap<>();
		Set<String> uuids = new HashSet<>();
		int previous = 0;
		for (JsonNode m : all) {
			kinds.merge(m.get("type").asText(), 1L, Long::sum);
			assertThat(uuids.add(m.get("uuid").asText())).isTrue();
			assertThat(m.get("index").asInt()).isGreaterThan(previous);
			previous = m.get("index").asInt();
			assertThat(m.get("preview").asText().length()).isLessThanOrEqualTo(500);
		}
		assertThat(kinds).containsExactlyInAnyOrderEntriesOf(
				// the file's 2 stop_hook_summary system lines are hook output (json.loads
				// count of
				// its system lines by subtype: 2 stop_hook_summary, 2 turn_duration, 1
				// compact_boundary)
				Map.of("user", 2L, "assistant", 217L, "tool_result", 242L, "hook", 6L, "system", 4L));
	}

	@Test
	void shouldFilterByTypeToolAndErrors() throws Exception {
		indexed();
		assertThat(walk(MAIN + "/messages?type=tool_result&limit=200", null)).hasSize(242);
		List<JsonNode> errors = walk(MAIN + "/messages?error_only=true", null);
		assertThat(errors).hasSize(12).allSatisfy((m) -> assertThat(m.get("is_error").asBoolean()).isTrue());
		List<JsonNode> edits = walk(MAIN + "/messages?tool=Edit&limit=200", null);
		assertThat(edits.stream().filter((m) -> m.get("type").asText().equals("assistant"))).hasSize(67);
		assertThat(edits.stream().filter((m) -> m.get("type").asText().equals("tool_result"))).hasSize(67);
		JsonNode filters = get(MAIN + "/messages/filters").body();
		assertThat(filters.get("error_count").asLong()).isEqualTo(12);
		assertThat(find(filters.get("tools"), "name", "Bash").get("count").asLong()).isEqualTo(120);
		assertThat(find(filters.get("types"), "type", "assistant").get("count").asLong()).isEqualTo(217);
		assertThat(get(MAIN + "/messages?type=robot").status()).isEqualTo(400);
	}

	@Test
	void shouldShowOneMessagePerResponseWithItsDetail() throws Exception {
		indexed();
		String base = "/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.SHORT_SESSION;
		List<JsonNode> all = walk(base + "/messages", null);
		assertThat(all).hasSize(7);
		// every line of the streamed response finds the same message
		JsonNode detail = get(base + "/messages/1b7d717f-d6a2-46a6-8575-fa4f937450ea").body();
		assertThat(detail.get("type").asText()).isEqualTo("assistant");
		assertThat(detail.get("message_id").asText()).isEqualTo("msg_01MKH1ccEGrZGNPvu8pYiiQa");
		assertThat(detail.get("tokens").get("output_tokens").asLong()).isEqualTo(13);
		assertThat(detail.get("tokens").get("cache_creation_1h_input_tokens").asLong()).isEqualTo(13835);
		assertThat(detail.get("tools").findValuesAsText("name")).containsExactly("Bash", "Glob");
		assertThat(detail.get("tools").get(0).get("input").isObject()).isTrue();
		assertThat(detail.get("cwd").asText()).isEqualTo("/home/marco/projects/spotter");
		assertThat(detail.get("total_messages").asInt()).isEqualTo(7);
		assertThat(get(base + "/messages/c228f841-697c-48dd-b33e-3ebc5ced6a41").body().get("message_index").asInt())
			.isEqualTo(detail.get("message_index").asInt());
		JsonNode first = get(base + "/messages/by-index/1").body();
		assertThat(first.get("type").asText()).isEqualTo("user");
		assertThat(first.get("content").asText()).isEqualTo("mix phx.server doesnt seem to start");
		assertThat(get(base + "/messages/by-index/8").status()).isEqualTo(404);
		assertThat(get(base + "/messages/by-index/x").status()).isEqualTo(400);
		assertThat(get(base + "/messages/by-index/0").status()).isEqualTo(400);
		assertThat(get(base + "/messages/by-index/-1").body().get("detail").asText())
			.isEqualTo("index must be 1 or more (a 1-based position): -1");
		assertThat(get(base + "/messages/no-such-uuid").status()).isEqualTo(404);
		// search is case-insensitive over the text
		List<JsonNode> hits = walk(base + "/messages?search=PHX.SERVER", null);
		assertThat(hits).isNotEmpty();
		assertThat(hits.get(0).get("uuid").asText()).isEqualTo("7d48cbd2-6615-4dd8-87f6-38f12b8167d6");
		// page mode for compatibility
		JsonNode page = get(base + "/messages?page=2&per_page=3").body();
		assertThat(page.get("total").asInt()).isEqualTo(7);
		assertThat(page.get("total_pages").asInt()).isEqualTo(3);
		assertThat(page.get("messages")).hasSize(3);
		// a page past the end is an empty page, however far (page × per_page beyond an
		// int was a 500)
		for (String far : new String[] { "page=4&per_page=3", "page=2147483647&per_page=200",
				"page=21474837&per_page=200" }) {
			Response past = get(base + "/messages?" + far);
			assertThat(past.status()).as(far).isEqualTo(200);
			assertThat(past.body().get("messages")).as(far).isEmpty();
			assertThat(past.body().get("total").asInt()).as(far).isEqualTo(7);
		}
	}

	@Test
	void shouldServeSubagentMessagesAndInlineSidechains() throws Exception {
		indexed();
		String sub = "/api/subagents/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/aac57f5";
		assertThat(walk(sub + "/messages", null)).hasSize(16);
		assertThat(get(sub + "/messages/filters").body().get("tools").findValuesAsText("name"))
			.containsExactlyInAnyOrder("WebSearch", "WebFetch");
		assertThat(
				get("/api/subagents/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/nope/messages")
					.status())
			.isEqualTo(404);
		assertThat(
				get("/api/subagents/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/a..b/messages")
					.status())
			.isEqualTo(400);
		String viewer = "/api/sessions/" + RealDataLayout.VIEWER + "/" + RealDataLayout.VIEWER_SESSION;
		assertThat(walk(viewer + "/messages?type=subagent&limit=200", null)).hasSize(322);
	}

	@Test
	void shouldNeverShowSecrets() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-secrets"));
		String session = "cccccccc-0000-4000-8000-000000000001";
		String key = "sk-ant-api03-" + "Z".repeat(40);
		Files.writeString(dir.resolve(session + ".jsonl"),
				"{\"type\":\"user\",\"uuid\":\"u1\",\"message\":{\"role\":\"user\"," + "\"content\":\"deploy with "
						+ key + "\"}}\n{\"type\":\"assistant\",\"uuid\":\"a1\",\"requestId\":\"r\","
						+ "\"message\":{\"id\":\"m\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"Bash\",\"input\":"
						+ "{\"command\":\"export GITHUB_TOKEN=ghp_" + "x".repeat(36)
						+ "\"}}],\"usage\":{\"output_tokens\":1}}}\n");
		indexed();
		String base = "/api/sessions/-secrets/" + session;
		Response list = get(base + "/messages");
		Response detail = get(base + "/messages/u1");
		Response call = get(base + "/messages/a1");
		assertThat(list.text()).contains("[REDACTED]");
		assertThat(detail.text()).contains("[REDACTED]");
		assertThat(call.text()).contains("[REDACTED]");
		Response commands = get(base + "/commands");
		Response filters = get(base + "/messages/filters");
		Response tools = get(base + "/tools");
		Response search = get(base + "/messages?search=deploy");
		for (Response r : List.of(list, detail, call, commands, filters, tools, search)) {
			assertThat(r.status()).isEqualTo(200);
			assertThat(r.text()).doesNotContain(key).doesNotContain("ghp_xxxx");
		}
	}

	@Test
	void shouldYieldEveryMessageOnceWhileTheSessionGrowsAndRefuseCursorsOfARewrite() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-growing"));
		String session = "dddddddd-0000-4000-8000-000000000001";
		Path file = dir.resolve(session + ".jsonl");
		StringBuilder initial = new StringBuilder();
		for (int i = 0; i < 20; i++) {
			initial.append(prompt(i));
		}
		Files.writeString(file, initial);
		indexed();
		String base = "/api/sessions/-growing/" + session + "/messages?limit=6";
		List<String> seen = new ArrayList<>();
		String cursor = null;
		int written = 20;
		String firstCursor = null;
		do {
			JsonNode page = get(base + ((cursor != null) ? "&cursor=" + cursor : "")).body();
			page.get("messages").forEach((m) -> seen.add(m.get("uuid").asText()));
			cursor = page.get("has_more").asBoolean() ? page.get("next_cursor").asText() : null;
			firstCursor = (firstCursor == null) ? cursor : firstCursor;
			if (written < 35) {
				// lines appended between pages show up later in the walk, once each
				Files.writeString(file, prompt(written++) + prompt(written++), StandardOpenOption.APPEND);
				indexed();
				if (cursor == null) {
					cursor = encodeAfter(seen.size(), page);
				}
			}
		}
		while (cursor != null);
		assertThat(seen).doesNotHaveDuplicates();
		assertThat(seen).hasSize(written);
		assertThat(seen).containsExactlyElementsOf(IntStream.range(0, written).mapToObj((i) -> "u" + i).toList());
		// a rewrite (truncate) makes old cursors fail clearly, and a fresh walk works
		Files.writeString(file, prompt(100));
		indexed();
		String stale = firstCursor;
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(get(base + "&cursor=" + stale).status()).isEqualTo(409));
		JsonNode last = get(base).body();
		assertThat(last.get("messages").findValuesAsText("uuid")).containsExactly("u100");
		// the last page says so as the original tracer does: next_cursor null, not absent
		assertThat(last.get("has_more").asBoolean()).isFalse();
		assertThat(last.has("next_cursor")).isTrue();
		assertThat(last.get("next_cursor").isNull()).isTrue();
	}

	/**
	 * A client at a transcript's end follows it from the last page's {@code tail_cursor}:
	 * the last message again, grown by its response's later lines (Claude Code writes a
	 * response's content blocks as lines of their own), then what came after it.
	 */
	@Test
	void shouldFollowAGrowingTranscriptFromTheLastPagesTailCursor() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-tail"));
		String session = "eeeeeeee-0000-4000-8000-000000000001";
		Path file = dir.resolve(session + ".jsonl");
		Files.writeString(file, prompt(0) + block("a1", "{\"type\":\"text\",\"text\":\"Looking.\"}"));
		indexed();
		String base = "/api/sessions/-tail/" + session + "/messages";
		JsonNode end = get(base).body();
		assertThat(end.get("messages").findValuesAsText("uuid")).containsExactly("u0", "a1");
		assertThat(end.get("has_more").asBoolean()).isFalse();
		String tail = end.get("tail_cursor").asText();
		// a page with more to come has no tail; a filter that matched nothing from the
		// start
		// follows from the start (no tail cursor)
		assertThat(get(base + "?limit=1").body().has("tail_cursor")).isFalse();
		JsonNode none = get(base + "?type=hook").body();
		assertThat(none.get("messages")).isEmpty();
		assertThat(none.has("tail_cursor")).isFalse();
		Files.writeString(file, block("a2",
				"{\"type\":\"tool_use\",\"id\":\"toolu_t1\",\"name\":\"Bash\"," + "\"input\":{\"command\":\"ls\"}}")
				+ "{\"type\":\"user\",\"uuid\":\"r1\",\"timestamp\":"
				+ "\"2026-01-01T00:00:02Z\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\","
				+ "\"tool_use_id\":\"toolu_t1\",\"content\":\"a b\"}]}}\n" + prompt(1), StandardOpenOption.APPEND);
		indexed();
		JsonNode followed = get(base + "?cursor=" + tail).body();
		// the last message again, now with its tool call, then the new ones; nothing
		// repeated
		assertThat(followed.get("messages").findValuesAsText("uuid")).containsExactly("a1", "r1", "u1");
		assertThat(followed.get("messages").get(0).get("tools").findValuesAsText("name")).containsExactly("Bash");
		assertThat(followed.get("messages").get(0).get("index").asInt()).isEqualTo(2);
		// the tail reads again from the last response (a2 may still grow), not the last
		// row
		assertThat(followed.get("tail_from").asInt()).isEqualTo(2);
		String next = followed.get("tail_cursor").asText();
		// a third block of the same response, after its tool result and a prompt (Claude
		// Code writes a response's blocks as they come): the follow shows it grown
		Files.writeString(file, block("a3", "{\"type\":\"text\",\"text\":\"Done.\"}"), StandardOpenOption.APPEND);
		indexed();
		JsonNode again = get(base + "?cursor=" + next).body();
		assertThat(again.get("messages").findValuesAsText("uuid")).containsExactly("a1", "r1", "u1");
		assertThat(again.get("messages").get(0).get("tokens").get("output_tokens").asLong()).isEqualTo(9);
		assertThat(again.get("messages").get(0).get("preview").asText()).contains("Done.");
		// a rewrite makes the tail fail clearly, as any cursor
		Files.writeString(file, prompt(7));
		indexed();
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(get(base + "?cursor=" + next).status()).isEqualTo(409));
	}

	/** One line of the response {@code msg_tail}: a content block with its usage. */
	private static String block(String uuid, String content) {
		return "{\"type\":\"assistant\",\"uuid\":\"" + uuid + "\",\"requestId\":\"req_tail\",\"timestamp\":"
				+ "\"2026-01-01T00:00:01Z\",\"message\":{\"id\":\"msg_tail\",\"role\":\"assistant\",\"model\":"
				+ "\"claude-sonnet-4-5-20250929\",\"content\":[" + content + "],\"usage\":{\"input_tokens\":3,"
				+ "\"output_tokens\":9}}}\n";
	}

	/**
	 * When a walk reached the end before new lines came, continue from the last message
	 * seen.
	 */
	private String encodeAfter(int count, JsonNode page) throws Exception {
		JsonNode again = get("/api/sessions/-growing/dddddddd-0000-4000-8000-000000000001/messages?limit=" + count)
			.body();
		return again.get("has_more").asBoolean() ? again.get("next_cursor").asText() : null;
	}

	private static String prompt(int i) {
		return "{\"type\":\"user\",\"uuid\":\"u" + i
				+ "\",\"timestamp\":\"2026-01-01T00:00:00Z\",\"message\":{\"role\":" + "\"user\",\"content\":\"prompt "
				+ i + "\"}}\n";
	}

	private List<JsonNode> walk(String url, String cursor) throws Exception {
		List<JsonNode> all = new ArrayList<>();
		String next = cursor;
		String sep = url.contains("?") ? "&" : "?";
		do {
			Response r = get(url + ((next != null) ? sep + "cursor=" + next : ""));
			assertThat(r.status()).as(r.text()).isEqualTo(200);
			r.body().get("messages").forEach(all::add);
			next = r.body().get("has_more").asBoolean() ? r.body().get("next_cursor").asText() : null;
		}
		while (next != null);
		return all;
	}

}
