package dev.cctracer.web.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real session forked as Claude Code forks one ({@code /branch},
 * {@code --fork-session}): the new session's file starts with the original's lines, each
 * re-stamped with the new session id and a {@code forkedFrom} object, then holds what the
 * fork added. The fork's file sorts first by path, yet the original session keeps its
 * messages, cost, tool calls and failed calls as they were before the fork existed, and
 * the fork counts only its own response (a user trial found the original emptied and its
 * failures counted twice).
 */
class ForkedSessionsTests extends OwnRootWebTest {

	private static final String PROJECT = "-home-devuser2-Claude";

	/** A cc-2026 session with failed tool calls. */
	private static final String SESSION = "512f6c74-f82f-4adb-9719-4ae90076677c";

	/** The fork: first by path. */
	private static final String FORK = "0a000000-1111-4222-8333-444444444444";

	/** A copy without the fork's mark. */
	private static final String UNMARKED = "0b000000-1111-4222-8333-444444444444";

	private static final Path SOURCE = RealDataWebTest.realData().resolve("cc-2026/omarchy-backup/projects/" + PROJECT);

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("forked-sessions");
			FileSystemUtils.copyRecursively(SOURCE,
					Files.createDirectories(ROOT.resolve("claude/projects/" + PROJECT)));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
	}

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void aForkLeavesTheOriginalSessionItsResponsesAndFailuresAndCountsOnlyWhatItAdded() throws Exception {
		RestClient http = RestClient.create("http://127.0.0.1:" + this.port);
		this.indexer.scanAndIngest();
		JsonNode before = session(http, SESSION);
		assertThat(before.get("errors").asLong()).as("the original's failed calls").isPositive();
		assertThat(before.get("tool_calls").asLong()).isPositive();
		long projectErrors = TestHttp.json(this.port, "/api/projects/" + PROJECT + "/metrics")
			.get("error_count")
			.asLong();

		StringBuilder fork = new StringBuilder();
		String lastTimestamp = null;
		for (String line : Files.readAllLines(SOURCE.resolve(SESSION + ".jsonl"), StandardCharsets.UTF_8)) {
			JsonNode node = this.json.readTree(line);
			if (!(node instanceof ObjectNode entry)) {
				continue;
			}
			ObjectNode from = this.json.createObjectNode().put("sessionId", SESSION);
			if (entry.hasNonNull("uuid")) {
				from.set("messageUuid", entry.get("uuid"));
			}
			entry.put("sessionId", FORK);
			entry.set("forkedFrom", from);
			lastTimestamp = entry.hasNonNull("timestamp") ? entry.get("timestamp").asText() : lastTimestamp;
			fork.append(this.json.writeValueAsString(entry)).append('\n');
		}
		// what the fork added: one response of its own
		fork.append("{\"type\":\"assistant\",\"sessionId\":\"" + FORK + "\",\"timestamp\":\"" + lastTimestamp
				+ "\",\"uuid\":\"fork-1\",\"requestId\":\"req_fork_1\",\"message\":{\"id\":\"msg_fork_1\","
				+ "\"model\":\"claude-sonnet-4-6\",\"role\":\"assistant\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],"
				+ "\"usage\":{\"input_tokens\":3,\"output_tokens\":10}}}\n");
		Files.writeString(ROOT.resolve("claude/projects/" + PROJECT + "/" + FORK + ".jsonl"), fork);
		this.indexer.scanAndIngest();

		JsonNode after = session(http, SESSION);
		for (String field : List.of("message_count", "tool_calls", "errors", "total_tokens")) {
			assertThat(after.get(field).asLong()).as(field).isEqualTo(before.get(field).asLong());
		}
		assertThat(after.get("cost").get("total_cost").asDouble())
			.isEqualTo(before.get("cost").get("total_cost").asDouble());
		JsonNode forked = session(http, FORK);
		assertThat(forked.get("message_count").asLong()).isOne();
		assertThat(forked.get("tool_calls").asLong()).isZero();
		assertThat(forked.get("errors").asLong()).isZero();
		assertThat(forked.get("tokens").get("output_tokens").asLong()).isEqualTo(10);
		// the project's failed calls: each once
		assertThat(TestHttp.json(this.port, "/api/projects/" + PROJECT + "/metrics").get("error_count").asLong())
			.isEqualTo(projectErrors);

		// a copy of the main transcript without the fork's mark (Claude Code 1.0's resume
		// into a new file, a copy by hand), first by path: it takes the main transcript's
		// responses, their tool calls and their failures, the original keeps its
		// subagents'; between them each call and failure counts once, and the project too
		// (a re-trial found them counted twice)
		StringBuilder copy = new StringBuilder();
		for (String line : Files.readAllLines(SOURCE.resolve(SESSION + ".jsonl"), StandardCharsets.UTF_8)) {
			if (this.json.readTree(line) instanceof ObjectNode entry) {
				copy.append(this.json.writeValueAsString(entry.put("sessionId", UNMARKED))).append('\n');
			}
		}
		Files.writeString(ROOT.resolve("claude/projects/" + PROJECT + "/" + UNMARKED + ".jsonl"), copy);
		this.indexer.scanAndIngest();
		JsonNode unmarked = session(http, UNMARKED);
		JsonNode original = session(http, SESSION);
		assertThat(unmarked.get("tool_calls").asLong()).isPositive();
		assertThat(unmarked.get("errors").asLong()).isPositive();
		for (String field : List.of("tool_calls", "errors")) {
			assertThat(unmarked.get(field).asLong() + original.get(field).asLong()).as(field)
				.isEqualTo(before.get(field).asLong());
		}
		assertThat(TestHttp.json(this.port, "/api/projects/" + PROJECT + "/metrics").get("error_count").asLong())
			.isEqualTo(projectErrors);

		// the same transcript copied into another project dir, after it by path (a
		// restored folder under another name): no calls there, so no failures either
		// (a trial's copy read "Tool calls 0, 2 errors", the sessions' errors summing to
		// more than the tool statistics' failures)
		String other = "-home-devuser2-Restored";
		Path restored = Files.createDirectories(ROOT.resolve("claude/projects/" + other));
		Files.copy(SOURCE.resolve(SESSION + ".jsonl"), restored.resolve(SESSION + ".jsonl"));
		this.indexer.scanAndIngest();
		JsonNode copied = TestHttp.json(this.port, "/api/projects/" + other + "/sessions").get("sessions").get(0);
		assertThat(copied.get("session_id").asText()).isEqualTo(SESSION);
		assertThat(copied.get("tool_calls").asLong()).isZero();
		assertThat(copied.get("errors").asLong()).isZero();
		// and its page's list of errors says so too (a trial's read "0 errors" over a
		// list of 3); each session lists the failures it counts, the fork none
		assertThat(TestHttp.json(this.port, "/api/sessions/" + other + "/" + SESSION + "/errors").get("total").asLong())
			.isZero();
		assertThat(TestHttp.json(this.port, "/api/sessions/" + PROJECT + "/" + FORK + "/errors").get("total").asLong())
			.isZero();
		for (String id : List.of(UNMARKED, SESSION)) {
			assertThat(
					TestHttp.json(this.port, "/api/sessions/" + PROJECT + "/" + id + "/errors").get("total").asLong())
				.as(id)
				.isEqualTo(session(http, id).get("errors").asLong());
		}
		assertThat(TestHttp.json(this.port, "/api/projects/" + other + "/metrics").get("error_count").asLong())
			.isZero();
		assertThat(session(http, UNMARKED).get("errors").asLong()).isEqualTo(unmarked.get("errors").asLong());
		assertThat(session(http, SESSION).get("errors").asLong()).isEqualTo(original.get("errors").asLong());
		assertThat(TestHttp.json(this.port, "/api/projects/" + PROJECT + "/metrics").get("error_count").asLong())
			.isEqualTo(projectErrors);
	}

	private JsonNode session(RestClient http, String id) throws IOException, InterruptedException {
		Map<String, JsonNode> byId = new HashMap<>();
		TestHttp.json(this.port, "/api/projects/" + PROJECT + "/sessions?limit=500")
			.get("sessions")
			.forEach((s) -> byId.put(s.get("session_id").asText(), s));
		assertThat(byId).containsKey(id);
		return byId.get(id);
	}

}
