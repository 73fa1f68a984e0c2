package dev.cctracer.web.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A response logged in one transcript both as an inline sidechain's line and as the main
 * transcript's (the older layout, {@code isSidechain} on the line): the totals drop the
 * sidechain's copy whatever its size (DESIGN.md, "Dedup"), and the timeline said the same
 * response once, with the sidechain's larger usage and cost, marked counted — its costs
 * no longer added up to the session's (a user's trial: $0.00753 shown against $0.00153
 * counted). Each copy is now its own row, as the ingest keeps them.
 */
class SidechainCopiesTests extends OwnRootWebTest {

	private static final String PROJECT = "-tmp-sidechain-copies";

	private static final String SESSION = "bbbbbbbb-0000-4000-8000-000000000008";

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("sidechain-copies");
			Path project = Files.createDirectories(ROOT.resolve("claude/projects/" + PROJECT));
			// msg_sc1: the sidechain's copy first, with more output; msg_sc2: the main
			// transcript's first, the sidechain's copy after it with more output
			Files.writeString(project.resolve(SESSION + ".jsonl"),
					user(id("c1"), false, "2026-11-04T10:02:00.000Z")
							+ response(id("a1"), id("c1"), true, "msg_sc1", 10, 500, "2026-11-04T10:02:01.000Z")
							+ response(id("a2"), id("c1"), false, "msg_sc1", 10, 100, "2026-11-04T10:02:30.000Z")
							+ user(id("c2"), false, "2026-11-04T10:03:00.000Z")
							+ response(id("a3"), id("c2"), false, "msg_sc2", 20, 200, "2026-11-04T10:03:01.000Z")
							+ response(id("a4"), id("c2"), true, "msg_sc2", 20, 900, "2026-11-04T10:03:30.000Z"));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		TestRoots.scansOnlyWhenAsked(registry);
	}

	@Test
	void shouldShowTheSidechainsCopyOfACountedResponseAsACopy() throws Exception {
		this.indexer.scanAndIngest();
		String api = "/api/sessions/" + PROJECT + "/" + SESSION;
		JsonNode session = TestHttp.json(this.port, api);
		// by hand, Sonnet 4.6 at $3 / $15 per million input / output tokens: the main
		// copies, 10·3 + 100·15 and 20·3 + 200·15 millionths of a dollar
		double counted = 0.00153 + 0.00306;
		assertThat(session.get("message_count").asLong()).isEqualTo(2);
		assertThat(session.get("cost").get("total_cost").asDouble()).isCloseTo(counted, within(1e-12));
		List<JsonNode> rows = new ArrayList<>();
		TestHttp.json(this.port, api + "/messages?limit=200").get("messages").forEach(rows::add);
		List<JsonNode> responses = rows.stream().filter((m) -> m.has("counted")).toList();
		assertThat(responses).extracting((m) -> m.get("uuid").asText())
			.containsExactly(id("a1"), id("a2"), id("a3"), id("a4"));
		assertThat(responses).extracting((m) -> m.get("counted").asBoolean()).containsExactly(false, true, true, false);
		assertThat(responses).extracting((m) -> m.get("tokens").get("output_tokens").asLong())
			.containsExactly(500L, 100L, 200L, 900L);
		assertThat(responses.stream().filter((m) -> !m.get("counted").asBoolean()))
			.allSatisfy((m) -> assertThat(m.get("cost").isNull()).isTrue());
		assertThat(responses.stream().mapToDouble((m) -> m.path("cost").asDouble(0)).sum()).isCloseTo(counted,
				within(1e-12));
		// a message in full says what its row says
		for (JsonNode row : responses) {
			JsonNode detail = TestHttp.json(this.port, api + "/messages/" + row.get("uuid").asText());
			assertThat(detail.get("counted")).as(row.get("uuid").asText()).isEqualTo(row.get("counted"));
			assertThat(detail.get("cost")).as(row.get("uuid").asText()).isEqualTo(row.get("cost"));
		}
	}

	/** A line's uuid: {@code 00000000-0000-4000-8000-0000000000} and two hex digits. */
	private static String id(String last) {
		return "00000000-0000-4000-8000-0000000000" + last;
	}

	private static String user(String uuid, boolean sidechain, String at) {
		return "{\"type\":\"user\",\"uuid\":\"" + uuid + "\",\"parentUuid\":null,\"isSidechain\":" + sidechain
				+ ",\"sessionId\":\"" + SESSION + "\",\"cwd\":\"/tmp/sidechain-copies\",\"version\":\"2.0.10\","
				+ "\"timestamp\":\"" + at + "\",\"message\":{\"role\":\"user\",\"content\":\"go\"}}\n";
	}

	private static String response(String uuid, String parent, boolean sidechain, String id, long input, long output,
			String at) {
		return "{\"type\":\"assistant\",\"uuid\":\"" + uuid + "\",\"parentUuid\":\"" + parent + "\",\"isSidechain\":"
				+ sidechain + ",\"sessionId\":\"" + SESSION + "\",\"cwd\":\"/tmp/sidechain-copies\","
				+ "\"version\":\"2.0.10\",\"requestId\":\"req_" + id + "\",\"timestamp\":\"" + at + "\","
				+ "\"message\":{\"id\":\"" + id + "\",\"type\":\"message\",\"role\":\"assistant\","
				+ "\"model\":\"claude-sonnet-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"answer\"}],"
				+ "\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":" + output
				+ ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}\n";
	}

}
