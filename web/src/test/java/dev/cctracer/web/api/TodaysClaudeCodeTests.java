package dev.cctracer.web.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Period;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.within;

/**
 * Today's Claude Code through the whole app: the handed-over cases of
 * {@code ../shared/cases} (each checked against its own {@code expected.json}) and the
 * real 2026 transcripts of {@code ../shared/realdata/cc-2026} (Claude Code
 * 2.1.81–2.1.150), pinned against {@code shared/src/test/python/recount2026.py}, an
 * independent recount at the list prices of {@code ../shared/reference/prices-2026-11.md}
 * ({@code json.loads} per line, nothing shared with the Java code). Every config dir is
 * indexed by one app.
 */
class TodaysClaudeCodeTests extends OwnRootWebTest {

	private static final Path SHARED = RealDataWebTest.realData().getParent();

	private static final Path ROOT;

	/** Config dirs per case (case 11 has two: a dir and a link to one). */
	private static final Map<String, List<Path>> CASES = new TreeMap<>();

	private static final String FUTURE_LINES = """
			{"type":"assistant","sessionId":"ffffffff-0000-4000-8000-000000000001","cwd":"/srv/ghp_Q7xY9pL2mK4nR8sT1vW3zB6cD0eF5gH7jJ2k/future","timestamp":"2026-11-29T10:00:00Z","requestId":"req_f1","message":{"id":"msg_f1","model":"claude-opus-6-20270101","usage":{"input_tokens":1000000,"output_tokens":1000000,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}}
			{"type":"assistant","sessionId":"ffffffff-0000-4000-8000-000000000001","cwd":"/srv/future","timestamp":"2026-11-29T10:01:00Z","requestId":"req_f2","message":{"id":"msg_f2","model":"mistral-large","usage":{"input_tokens":10,"output_tokens":10}}}
			""";

	static {
		try {
			Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
			ROOT = Files.createTempDirectory("todays-cc");
			try (Stream<Path> cases = Files.list(SHARED.resolve("cases"))) {
				for (Path c : cases.filter(Files::isDirectory).sorted().toList()) {
					Path copy = ROOT.resolve("cases").resolve(c.getFileName().toString());
					copyTree(c, copy);
					if (Files.isDirectory(copy.resolve("projects"))) {
						CASES.put(c.getFileName().toString(), List.of(copy));
					}
					else {
						// 11-symlinked-dirs: a config dir and a link to one
						CASES.put(c.getFileName().toString(),
								List.of(copy.resolve("config"), copy.resolve("home-claude")));
					}
				}
			}
			// a model released after the table (estimated) and one of no known family
			Path future = Files.createDirectories(ROOT.resolve("future/projects/-home-user-future"));
			Files.writeString(future.resolve("ffffffff-0000-4000-8000-000000000001.jsonl"), FUTURE_LINES);
			sideQuestionReplay();
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** The session of case 04 (an API error) with a side question that replays it. */
	private static final String REPLAY_SESSION = "44444444-0000-4000-8000-0000000000aa";

	/**
	 * Case 04's transcript as another session, and its side question's transcript as
	 * Claude Code 2.1 writes one ({@code cc-2026/omarchy-backup}): every line of the
	 * session again, same uuids, as a sidechain of the {@code aside_question} agent, then
	 * the question's own lines, here an API error of its own.
	 */
	private static void sideQuestionReplay() throws IOException {
		String main = Files
			.readString(SHARED.resolve("cases/04-synthetic-api-error/projects/-home-user-proj4/"
					+ "44444444-0000-4000-8000-000000000001.jsonl"), StandardCharsets.UTF_8)
			.replace("44444444-0000-4000-8000-000000000001", REPLAY_SESSION)
			// its own response, not a copy of case 04's
			.replace("msg_04_real", "msg_04_replay")
			.replace("req_04_real", "req_04_replay");
		// and a tool call that failed
		main += "{\"parentUuid\": null, \"isSidechain\": false, \"sessionId\": \"" + REPLAY_SESSION
				+ "\", \"type\": \"assistant\", \"uuid\": \"10000000-0000-4000-8000-0000000000b1\", \"timestamp\": "
				+ "\"2026-04-12T12:06:00.000Z\", \"requestId\": \"req_04_tool\", \"message\": {\"id\": \"msg_04_tool\", "
				+ "\"role\": \"assistant\", \"model\": \"claude-sonnet-4-5-20250929\", \"content\": [{\"type\": \"tool_use\", "
				+ "\"id\": \"toolu_replayed\", \"name\": \"Bash\", \"input\": {\"command\": \"make\"}}], \"usage\": "
				+ "{\"input_tokens\": 10, \"output_tokens\": 20}}}\n"
				+ "{\"parentUuid\": \"10000000-0000-4000-8000-0000000000b1\", \"isSidechain\": false, \"sessionId\": \""
				+ REPLAY_SESSION + "\", \"type\": \"user\", \"uuid\": \"10000000-0000-4000-8000-0000000000b2\", "
				+ "\"timestamp\": \"2026-04-12T12:06:05.000Z\", \"message\": {\"role\": \"user\", \"content\": "
				+ "[{\"type\": \"tool_result\", \"tool_use_id\": \"toolu_replayed\", \"is_error\": true, "
				+ "\"content\": \"make: *** [all] Error 2\"}]}}\n";
		Path project = Files.createDirectories(ROOT.resolve("replay/projects/-home-user-replay"));
		Files.writeString(project.resolve(REPLAY_SESSION + ".jsonl"), main);
		String replayed = main.replace("\"isSidechain\": false",
				"\"isSidechain\": true, \"agentId\": \"aside_question-0a1b2c\"");
		String own = main.lines()
			.filter((l) -> l.contains("\"isApiErrorMessage\": true"))
			.findFirst()
			.orElseThrow()
			.replace("\"isSidechain\": false", "\"isSidechain\": true, \"agentId\": \"aside_question-0a1b2c\"")
			.replace("10000000-0000-4000-8000-000000000011", "10000000-0000-4000-8000-0000000000a1")
			.replace("00000000-0000-0000-0000-000000000abc", "00000000-0000-0000-0000-000000000abd")
			.replace("2026-04-12T12:05:01.000Z", "2026-04-12T12:10:00.000Z")
			.replace("API Error: Request was aborted.", "API Error: 529 overloaded");
		// and a failed call of the question's own
		String ownTool = main.lines()
			.filter((l) -> l.contains("toolu_replayed\", \"is_error\""))
			.findFirst()
			.orElseThrow()
			.replace("\"isSidechain\": false", "\"isSidechain\": true, \"agentId\": \"aside_question-0a1b2c\"")
			.replace("10000000-0000-4000-8000-0000000000b2", "10000000-0000-4000-8000-0000000000b3")
			.replace("toolu_replayed", "toolu_own")
			.replace("2026-04-12T12:06:05.000Z", "2026-04-12T12:11:00.000Z");
		Path subagents = Files.createDirectories(project.resolve(REPLAY_SESSION + "/subagents"));
		Files.writeString(subagents.resolve("agent-aside_question-0a1b2c.jsonl"),
				replayed + own + "\n" + ownTool + "\n");
	}

	/**
	 * Copies a case; a file that git wrote in place of a symlink (one line naming an
	 * existing relative target, as a checkout with {@code core.symlinks=false} leaves it)
	 * becomes the symlink again.
	 */
	private static void copyTree(Path from, Path to) throws IOException {
		List<Path[]> links = new ArrayList<>();
		try (Stream<Path> all = Files.walk(from)) {
			for (Path p : all.toList()) {
				Path target = to.resolve(from.relativize(p).toString());
				if (Files.isSymbolicLink(p)) {
					links.add(new Path[] { target, Files.readSymbolicLink(p) });
				}
				else if (Files.isDirectory(p)) {
					Files.createDirectories(target);
				}
				else if (isLinkStandIn(p)) {
					links.add(new Path[] { target, Path.of(Files.readString(p, StandardCharsets.UTF_8).strip()) });
				}
				else {
					Files.copy(p, target);
				}
			}
		}
		for (Path[] link : links) {
			Files.createDirectories(link[0].getParent());
			Files.createSymbolicLink(link[0], link[1]);
		}
	}

	private static boolean isLinkStandIn(Path p) throws IOException {
		if (Files.size(p) > 512 || p.getFileName().toString().endsWith(".json")
				|| p.getFileName().toString().endsWith(".md")) {
			return false;
		}
		String text = Files.readString(p, StandardCharsets.UTF_8).strip();
		return !text.isEmpty() && !text.contains("\n") && !text.startsWith("{")
				&& Files.exists(p.getParent().resolve(text));
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		List<String> dirs = new ArrayList<>();
		CASES.values().forEach((list) -> list.forEach((p) -> dirs.add(p.toString())));
		dirs.add(SHARED.resolve("realdata/cc-2026/dotsv2").toString());
		dirs.add(SHARED.resolve("realdata/cc-2026/omarchy-backup").toString());
		dirs.add(ROOT.resolve("future").toString());
		dirs.add(ROOT.resolve("replay").toString());
		registry.add("cctracer.claude-dirs", () -> String.join(",", dirs));
		registry.add("cctracer.data-dir", () -> ROOT.resolve("data").toString());
		registry.add("cctracer.demo", () -> "off");
		registry.add("cctracer.web.admin-password", () -> "test-admin-password");
	}

	private RestClient http;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void index() throws InterruptedException {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.indexer.scanAndIngest();
	}

	private JsonNode get(String path) {
		try {
			return this.json.readTree(this.http.get().uri(path).retrieve().body(String.class));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static JsonNode expected(String caseName) throws IOException {
		return new ObjectMapper().readTree(SHARED.resolve("cases").resolve(caseName).resolve("expected.json").toFile());
	}

	/** The project dirs of a case's config dirs (links followed). */
	private static List<String> projectDirs(String caseName) throws IOException {
		List<String> dirs = new ArrayList<>();
		for (Path config : CASES.get(caseName)) {
			try (Stream<Path> list = Files.list(config.resolve("projects"))) {
				list.forEach((p) -> dirs.add(p.getFileName().toString()));
			}
		}
		return dirs;
	}

	private List<JsonNode> projectsOf(String caseName) throws IOException {
		List<String> dirs = projectDirs(caseName);
		List<JsonNode> result = new ArrayList<>();
		for (JsonNode p : get("/api/projects").get("projects")) {
			if (dirs.contains(p.get("path_hash").asText())) {
				result.add(p);
			}
		}
		return result;
	}

	@Test
	void everyCaseEqualsItsExpectedTotals() throws IOException {
		assertThat(CASES).containsKeys("01-nonascii-dir-collision", "04-synthetic-api-error", "05-new-models-pricing",
				"11-symlinked-dirs", "12-web-search-cost", "13-timestamp-no-zone");
		for (String name : CASES.keySet()) {
			JsonNode expected = expected(name);
			List<JsonNode> projects = projectsOf(name);
			double cost = 0;
			long messages = 0;
			long sessions = 0;
			long[] tokens = new long[4];
			String[] fields = { "input_tokens", "output_tokens", "cache_creation_input_tokens",
					"cache_read_input_tokens" };
			for (JsonNode p : projects) {
				cost += p.get("total_cost").asDouble();
				messages += p.get("message_count").asLong();
				sessions += p.get("session_count").asLong();
				for (int i = 0; i < 4; i++) {
					tokens[i] += p.get("tokens").get(fields[i]).asLong();
				}
				assertThat(p.get("unpriced_messages").asLong()).as(name).isZero();
				assertThat(p.get("estimated_messages").asLong()).as(name).isZero();
			}
			assertThat(cost).as(name + " cost").isCloseTo(expected.get("total_cost_usd").asDouble(), within(1e-9));
			JsonNode t = expected.get("tokens");
			String[] keys = { "input", "output", "cache_creation", "cache_read" };
			for (int i = 0; i < 4; i++) {
				if (t.has(keys[i])) {
					assertThat(tokens[i]).as(name + " " + keys[i]).isEqualTo(t.get(keys[i]).asLong());
				}
			}
			if (expected.get("message_count").isNumber()) {
				assertThat(messages).as(name + " messages").isEqualTo(expected.get("message_count").asLong());
			}
			if (expected.has("session_count")) {
				assertThat(sessions).as(name + " sessions").isEqualTo(expected.get("session_count").asLong());
			}
			if (expected.has("project_count")) {
				assertThat(projects).as(name + " projects").hasSize(expected.get("project_count").asInt());
			}
		}
	}

	@Test
	void case01EachSessionShowsItsOwnFolder() throws IOException {
		// the cwd each of the case's two sessions logged
		List<String> cwds = new ArrayList<>();
		try (Stream<Path> files = Files
			.list(CASES.get("01-nonascii-dir-collision").get(0).resolve("projects/-home-user-work----app"))) {
			for (Path f : files.sorted().toList()) {
				String first = Files.readAllLines(f, StandardCharsets.UTF_8).get(0);
				cwds.add(new ObjectMapper().readTree(first).get("cwd").asText());
			}
		}
		assertThat(cwds).hasSize(2).doesNotHaveDuplicates();
		JsonNode sessions = get("/api/projects/-home-user-work----app/sessions").get("sessions");
		assertThat(sessions.findValuesAsText("project_path")).containsExactlyInAnyOrderElementsOf(cwds);
		assertThat(get("/api/projects").get("projects").findValuesAsText("project_path")).containsAnyElementsOf(cwds);
	}

	@Test
	void case04AnApiErrorIsAnErrorNotAMessageOrAModel() {
		JsonNode session = get("/api/sessions/-home-user-proj4/44444444-0000-4000-8000-000000000001");
		assertThat(session.get("message_count").asLong()).isEqualTo(1);
		assertThat(session.get("api_errors").asLong()).isEqualTo(1);
		assertThat(session.get("models_used").findValuesAsText("model")).doesNotContain("<synthetic>");
		assertThat(session.get("models_used").toString()).doesNotContain("synthetic");
		assertThat(get("/api/metrics/models?project_hash=-home-user-proj4").get("models").findValuesAsText("model"))
			.containsExactly("claude-sonnet-4-5-20250929");
		// in the timeline, as an API error
		JsonNode messages = get("/api/sessions/-home-user-proj4/44444444-0000-4000-8000-000000000001/messages");
		JsonNode apiError = find(messages.get("messages"), "type", "api_error");
		assertThat(apiError.get("is_error").asBoolean()).isTrue();
		// never billed, so never "a copy" of something counted elsewhere
		assertThat(apiError.has("counted")).isFalse();
		assertThat(apiError.get("cost").isNull()).isTrue();
		assertThat(this.http.get()
			.uri("/projects/-home-user-proj4/sessions/44444444-0000-4000-8000-000000000001")
			.retrieve()
			.body(String.class)).doesNotContain("a copy");
		assertThat(get("/api/sessions/-home-user-proj4/44444444-0000-4000-8000-000000000001/messages?error_only=true")
			.get("messages")
			.findValuesAsText("type")).containsExactly("api_error");
		JsonNode day = find(get("/api/metrics/daily/-home-user-proj4").get("metrics"), "date", "2026-04-12");
		assertThat(day.get("api_errors").asLong()).isEqualTo(1);
		assertThat(day.get("message_count").asLong()).isEqualTo(1);
	}

	/**
	 * A side question's page shows what the question added, not the session it replays
	 * (its transcript starts with a copy of the session, the lines' uuids kept): in
	 * cc-2026's omarchy-backup, its transcript holds 10 prompts, 9 of them the main
	 * transcript's by uuid, and 5 Edit calls, all the main transcript's (counted with
	 * Python); its page had listed the 10 prompts and the 5 edits as its own.
	 */
	@Test
	void aSideQuestionsPageShowsItsOwnPromptsAndNoReplayedEdits() throws Exception {
		String page = "/projects/-home-devuser2-Claude/sessions/8fd119a6-9ab8-407b-810f-329cfb6153e0";
		String question = TestHttp.page(this.port, page + "?agent=aside_question-ac9ee4804d56a951", null).body();
		assertThat(question).contains("<h2>Prompts of this subagent</h2>", "1 prompt ·")
			.doesNotContain("id=\"changes-panel\"");
		// the session's own page keeps its edits
		assertThat(TestHttp.page(this.port, page, null).body()).contains("id=\"changes-panel\"");
	}

	/**
	 * A side question's transcript replays the session's API error notice and failed tool
	 * call: each counted once, in the session's own transcript, beside the question's own
	 * (by hand: the session's one API error and the question's one, on the same day; the
	 * session's failed call and the question's; two responses, one tool call).
	 */
	@Test
	void anApiErrorOrAFailedToolCallASideQuestionReplaysCountsOnce() {
		String session = "/api/sessions/-home-user-replay/" + REPLAY_SESSION;
		JsonNode totals = get(session);
		// the answer and the tool call's response, each counted once
		assertThat(totals.get("message_count").asLong()).isEqualTo(2);
		assertThat(totals.get("api_errors").asLong()).isEqualTo(2);
		// the session's failed call and the question's own, not the replay
		assertThat(totals.get("tool_calls").asLong()).isEqualTo(1);
		assertThat(totals.get("errors").asLong()).isEqualTo(2);
		assertThat(find(get("/api/projects/-home-user-replay/sessions").get("sessions"), "session_id", REPLAY_SESSION)
			.get("errors")
			.asLong()).isEqualTo(2);
		JsonNode errors = get(session + "/api-errors");
		assertThat(errors.get("total").asLong()).isEqualTo(2);
		assertThat(errors.get("errors").findValuesAsText("text")).containsExactly("API Error: Request was aborted.",
				"API Error: 529 overloaded");
		// the replayed one in the session's own transcript (no agent), the other the
		// question's
		assertThat(errors.get("errors").get(0).get("agent_id").isNull()).isTrue();
		assertThat(errors.get("errors").get(1).get("agent_id").asText()).isEqualTo("aside_question-0a1b2c");
		// the failed calls listed as counted: the replayed one the session's own, once
		JsonNode failed = get(session + "/errors");
		assertThat(failed.get("total").asLong()).isEqualTo(2);
		assertThat(failed.get("errors").findValuesAsText("timestamp")).containsExactly("2026-04-12T12:06:05Z",
				"2026-04-12T12:11:00Z");
		assertThat(failed.get("errors").get(0).get("agent_id").isNull()).isTrue();
		assertThat(failed.get("errors").get(1).get("agent_id").asText()).isEqualTo("aside_question-0a1b2c");
		JsonNode day = find(get("/api/metrics/daily/-home-user-replay").get("metrics"), "date", "2026-04-12");
		assertThat(day.get("api_errors").asLong()).isEqualTo(2);
		assertThat(day.get("message_count").asLong()).isEqualTo(2);
	}

	@Autowired
	BlocksService blocks;

	/**
	 * Case 04's block holds one response: no burn rate and no projection (a rate needs a
	 * span of time; a minute's floor made its $0.00303 a burn of $0.18 an hour), as
	 * ccusage shows none.
	 */
	@Test
	void aBlockOfOneResponseHasNoBurnRateOrProjection() {
		Period day = Period.days(LocalDate.of(2026, 4, 12), LocalDate.of(2026, 4, 12), ZoneOffset.UTC);
		BlocksService.BlocksDto report = this.blocks.blocks("-home-user-proj4", day, CostMode.CALCULATE,
				Instant.parse("2026-04-12T12:30:00Z").toEpochMilli());
		assertThat(report.activeBlock()).isNotNull();
		assertThat(report.blocks()).singleElement().satisfies((b) -> {
			assertThat(b.messageCount()).isEqualTo(1);
			assertThat(b.isActive()).isTrue();
			assertThat(b.tokensPerMinute()).isNull();
			assertThat(b.costPerHour()).isNull();
			assertThat(b.projectedCost()).isNull();
			assertThat(b.projectedTotalTokens()).isNull();
		});
	}

	@Test
	void case05TodaysModelsArePricedAtTheirListPrices() throws IOException {
		JsonNode expected = expected("05-new-models-pricing").get("cost_per_model_usd");
		JsonNode models = get("/api/metrics/models?project_hash=-home-user-proj5").get("models");
		assertThat(models).hasSize(expected.size());
		expected.fields().forEachRemaining((e) -> {
			JsonNode m = find(models, "model", e.getKey());
			assertThat(m.get("priced").asBoolean()).as(e.getKey()).isTrue();
			assertThat(m.get("estimated").asBoolean()).as(e.getKey()).isFalse();
			assertThat(m.get("cost").get("total_cost").asDouble()).as(e.getKey())
				.isCloseTo(e.getValue().asDouble(), within(1e-9));
		});
	}

	@Test
	void case11LinkedDirsAndFilesAreFollowedAndNothingIsUnreadable() {
		JsonNode status = get("/api/index/status");
		assertThat(status.get("unreadable_paths")).isEmpty();
	}

	@Test
	void case12WebSearchesAreBilledOnTopOfTokens() {
		JsonNode session = get("/api/sessions/-home-user-proj12/cccccccc-0000-4000-8000-000000000001");
		assertThat(session.get("web_search_requests").asLong()).isEqualTo(4);
		assertThat(session.get("cost").get("web_search_cost").asDouble()).isCloseTo(0.04, within(1e-12));
		assertThat(session.get("cost").get("total_cost").asDouble()).isCloseTo(0.0463, within(1e-12));
		JsonNode aggregate = get("/api/metrics/aggregate?project_hash=-home-user-proj12");
		assertThat(aggregate.get("web_search_requests").asLong()).isEqualTo(4);
		assertThat(aggregate.get("web_search_cost").asDouble()).isCloseTo(0.04, within(1e-12));
	}

	@Test
	void case13AZonelessTimestampIsUtcAndEveryViewAgrees() throws IOException {
		JsonNode expected = expected("13-timestamp-no-zone");
		JsonNode daily = get("/api/metrics/daily/-home-user-proj13?tz=UTC").get("metrics");
		assertThat(daily).hasSize(1);
		assertThat(daily.get(0).get("date").asText()).isEqualTo("2025-07-24");
		assertThat(daily.get(0).get("output_tokens").asLong())
			.isEqualTo(expected.get("daily_output_tokens_UTC").get("2025-07-24").asLong());
		JsonNode aggregate = get("/api/metrics/aggregate?project_hash=-home-user-proj13");
		long blocks = 0;
		for (JsonNode b : get("/api/metrics/blocks?project_hash=-home-user-proj13&from=2025-07-01&to=2025-08-01")
			.get("blocks")) {
			blocks += b.get("tokens").get("output_tokens").asLong();
		}
		assertThat(aggregate.get("tokens").get("output_tokens").asLong()).isEqualTo(700).isEqualTo(blocks);
		// kept on the message, read once by the same parser as the ingest's
		JsonNode messages = get("/api/sessions/-home-user-proj13/dddddddd-0000-4000-8000-000000000001/messages")
			.get("messages");
		assertThat(messages.findValuesAsText("timestamp")).containsExactly("2025-07-24T18:20:00Z",
				"2025-07-24T18:25:00Z", "2025-07-24T18:30:00.123Z");
	}

	// ---- cc-2026: numbers from recount2026.py over dotsv2 and omarchy-backup together

	private static final String[] CC_2026_PROJECTS = { "-Users-devuser", "-Users-devuser-uw-kubernetes-manifests",
			"-Users-devuser-uw-telecom-mobile", "-home-devuser2-Claude" };

	@Test
	void realTranscriptsOf2026EqualTheIndependentRecount() {
		long messages = 0;
		double cost = 0;
		long[] tokens = new long[4];
		String[] fields = { "input_tokens", "output_tokens", "cache_read_input_tokens" };
		long write5m = 0;
		long write1h = 0;
		for (JsonNode p : get("/api/projects").get("projects")) {
			if (!List.of(CC_2026_PROJECTS).contains(p.get("path_hash").asText())) {
				continue;
			}
			messages += p.get("message_count").asLong();
			cost += p.get("total_cost").asDouble();
			for (int i = 0; i < 3; i++) {
				tokens[i] += p.get("tokens").get(fields[i]).asLong();
			}
			write5m += p.get("tokens").get("cache_creation_5m_input_tokens").asLong();
			write1h += p.get("tokens").get("cache_creation_1h_input_tokens").asLong();
			assertThat(p.get("unpriced_messages").asLong()).isZero();
			assertThat(p.get("estimated_messages").asLong()).isZero();
		}
		assertThat(messages).isEqualTo(719);
		assertThat(tokens[0]).isEqualTo(8_048);
		assertThat(tokens[1]).isEqualTo(265_113);
		assertThat(tokens[2]).isEqualTo(47_434_415);
		assertThat(write5m).isEqualTo(531_674);
		assertThat(write1h).isEqualTo(979_674);
		assertThat(cost).isCloseTo(23.7923146, within(23.7923146 * 1e-6));
	}

	@Test
	void realSessionsOf2026HaveTheirTitlesNamesSubagentsAndCosts() {
		// session id → project, title, agent name, messages, cost (USD), subagent files
		Object[][] sessions = {
				{ "44ef5cbf-9cc3-4f7b-ac40-337a4d39713b", "-home-devuser2-Claude", "add-teams-keybinding",
						"add-teams-keybinding", 28, 0.40675665, 1 },
				{ "4bb63645-c6ef-443f-aec1-53d354b98a7a", "-Users-devuser",
						"Make Claude config notifications portable across machines", null, 18, 0.4887972, 0 },
				{ "512f6c74-f82f-4adb-9719-4ae90076677c", "-home-devuser2-Claude", null, null, 149, 3.2483219, 9 },
				{ "74f505ae-fa88-4fed-8eea-2a85cb5d4c3e", "-Users-devuser-uw-kubernetes-manifests", null, null, 3,
						0.3343675, 0 },
				{ "801ea086-c461-45be-aac3-f4b46d4a1c1a", "-Users-devuser-uw-telecom-mobile",
						"Explore new ticket with repository discovery", null, 248, 10.17671565, 2 },
				{ "8fd119a6-9ab8-407b-810f-329cfb6153e0", "-home-devuser2-Claude", null, null, 74, 2.5921863, 2 },
				{ "bbcc8ddc-b6cc-49f8-9a69-2da4f470d270", "-Users-devuser",
						"Find open source macOS middle click alternative", null, 7, 0.1173779, 1 },
				{ "c0dddd8d-6c0f-4a12-8927-28271848cfc7", "-Users-devuser-uw-telecom-mobile",
						"fix-contract-expiry-atomicity", "fix-contract-expiry-atomicity", 192, 6.4277915, 10 } };
		for (Object[] s : sessions) {
			JsonNode session = get("/api/sessions/" + s[1] + "/" + s[0]);
			String id = (String) s[0];
			assertThat(session.path("title").isNull() ? null : session.path("title").asText(null)).as(id)
				.isEqualTo(s[2]);
			assertThat(session.path("agent_name").asText(null)).as(id).isEqualTo(s[3]);
			assertThat(session.get("message_count").asLong()).as(id).isEqualTo(((Integer) s[4]).longValue());
			assertThat(session.get("cost").get("total_cost").asDouble()).as(id)
				.isCloseTo((Double) s[5], within((Double) s[5] * 1e-6));
			assertThat(session.get("subagent_count").asLong()).as(id).isEqualTo(((Integer) s[6]).longValue());
			assertThat(session.get("api_errors").asLong()).as(id).isZero();
		}
		// subagents named by their meta files; the side question has none
		JsonNode agents = get("/api/sessions/-Users-devuser-uw-telecom-mobile/c0dddd8d-6c0f-4a12-8927-28271848cfc7")
			.get("agents");
		assertThat(find(agents, "agent_id", "a499355576927c350").get("agent_type").asText())
			.isEqualTo("general-purpose");
		assertThat(find(agents, "agent_id", "a053164633009a275").get("agent_type").asText()).isEqualTo("Explore");
		assertThat(find(agents, "agent_id", "a053164633009a275").get("description").asText()).isNotBlank();
		// and the subagents API of the original tracer says the same
		assertThat(
				get("/api/subagents/-Users-devuser-uw-telecom-mobile/a499355576927c350").get("subagent_type").asText())
			.isEqualTo("general-purpose");
		JsonNode aside = find(
				get("/api/sessions/-home-devuser2-Claude/8fd119a6-9ab8-407b-810f-329cfb6153e0").get("agents"),
				"agent_id", "aside_question-ac9ee4804d56a951");
		assertThat(aside.get("message_count").asLong()).isEqualTo(1);
		assertThat(aside.get("agent_type").isNull()).isTrue();
		// the side question's transcript starts with a copy of the main conversation: its
		// 14 tool calls are the main's, counted once (recounted by tool_use id over the
		// session's three files: 46 distinct of 60 blocks)
		String omarchy = "/api/sessions/-home-devuser2-Claude/8fd119a6-9ab8-407b-810f-329cfb6153e0";
		assertThat(get(omarchy).get("tool_calls").asLong()).isEqualTo(46);
		assertThat(find(get("/api/projects/-home-devuser2-Claude/sessions").get("sessions"), "session_id",
				"8fd119a6-9ab8-407b-810f-329cfb6153e0")
			.get("tool_calls")
			.asLong()).isEqualTo(46);
		// and per subagent, as its messages and tokens: the side question made none of
		// its own, the Explore subagent 8
		JsonNode subagents = get(omarchy + "/subagents").get("subagents");
		assertThat(find(subagents, "agent_id", "aside_question-ac9ee4804d56a951").get("tool_calls").asLong()).isZero();
		// the question is its own part, after the replay: asked 14:39:10.702 (its line
		// that opens with Claude Code's side-question reminder), its answer's response
		// at 14:39:17.770 (a span ends at its last response's first line, as every
		// subagent's), an image pasted as the question — not 1h 11m from the session's
		// first prompt
		JsonNode question = find(subagents, "agent_id", "aside_question-ac9ee4804d56a951");
		assertThat(question.get("start_time").asText()).isEqualTo("2026-04-27T14:39:10.702Z");
		assertThat(question.get("end_time").asText()).isEqualTo("2026-04-27T14:39:17.770Z");
		assertThat(question.get("prompt_preview").asText()).isEqualTo("[Image #1]");
		// answered: its transcript ends with the answer (it read "unknown", as no Task
		// call launched it)
		assertThat(question.get("status").asText()).isEqualTo("completed");
		// and its card on the session page: 7 s
		assertThat(this.http.get()
			.uri("/projects/-home-devuser2-Claude/sessions/8fd119a6-9ab8-407b-810f-329cfb6153e0"
					+ "?agent=aside_question-ac9ee4804d56a951")
			.retrieve()
			.body(String.class)).contains("<span class=\"value small\">7s</span>");
		assertThat(find(subagents, "agent_id", "a520480fc0182e0d7").get("tool_calls").asLong()).isEqualTo(8);
		JsonNode tools = get(omarchy + "/tools");
		assertThat(tools.get("total_calls").asLong()).isEqualTo(46);
		assertThat(find(tools.get("tools"), "name", "Bash").get("calls").asLong()).isEqualTo(28);
		assertThat(find(tools.get("tools"), "name", "Edit").get("calls").asLong()).isEqualTo(9);
		assertThat(find(tools.get("tools"), "name", "Write").get("calls").asLong()).isEqualTo(3);
		// and each applied edit once: 5 and 7 distinct calls with a result, none failed
		JsonNode changes = get(omarchy + "/code-changes").get("changes_by_file");
		assertThat(find(changes, "file_path", "/home/devuser2/.config/windows/docker-compose.yml").get("edits").asInt())
			.isEqualTo(5);
		assertThat(find(changes, "file_path", "/home/devuser2/.local/share/omarchy/bin/omarchy-windows-vm").get("edits")
			.asInt()).isEqualTo(7);
	}

	@Test
	void aLargeToolOutputSavedBesideTheSessionIsLinkedFromItsMessage() throws IOException {
		String session = "/api/sessions/-Users-devuser-uw-telecom-mobile/c0dddd8d-6c0f-4a12-8927-28271848cfc7";
		JsonNode message = get(session + "/messages/8090dd0a-8325-4657-b530-fcccb631beb3");
		assertThat(message.get("tool_results").findValuesAsText("persisted_output")).containsExactly("bqqz4fdms.txt");
		String output = this.http.get().uri(session + "/tool-results/bqqz4fdms.txt").retrieve().body(String.class);
		Path file = SHARED.resolve("realdata/cc-2026/dotsv2/projects/-Users-devuser-uw-telecom-mobile"
				+ "/c0dddd8d-6c0f-4a12-8927-28271848cfc7/tool-results/bqqz4fdms.txt");
		assertThat(output).startsWith("diff --git a/pkg/generated/protos").hasSize(Files.readString(file).length());
		// only a plain name inside that folder
		assertThat(status(session + "/tool-results/..%2F..%2Fc0dddd8d-6c0f-4a12-8927-28271848cfc7.jsonl")).isIn(400,
				404);
		assertThat(status(session + "/tool-results/nope.txt")).isEqualTo(404);
		// a client that accepts JSON gets the text, and a missing one's 404 (was a 406)
		assertThat(this.http.get()
			.uri(session + "/tool-results/bqqz4fdms.txt")
			.accept(MediaType.APPLICATION_JSON)
			.retrieve()
			.body(String.class)).isEqualTo(output);
		Integer missing = this.http.get()
			.uri(session + "/tool-results/nope.txt")
			.accept(MediaType.APPLICATION_JSON)
			.exchange((req, res) -> res.getStatusCode().value());
		assertThat(missing).isEqualTo(404);
	}

	/**
	 * A message's edit is shown as Claude Code applied it: its own patch's hunks, with
	 * the file's line numbers (the hunk at line 370, 6 lines become 25, in the
	 * transcript's toolUseResult.structuredPatch), not a diff of the call's strings from
	 * line 1.
	 */
	@Test
	void anEditOnItsMessagePageIsClaudeCodesOwnPatch() {
		String page = this.http.get()
			.uri("/projects/-Users-devuser-uw-telecom-mobile/sessions/801ea086-c461-45be-aac3-f4b46d4a1c1a"
					+ "/messages/b661e28c-1515-4811-87f5-bdd67f3bae8b")
			.retrieve()
			.body(String.class);
		assertThat(page).contains("@@ -370,6 +370,25 @@").doesNotContain("@@ -1,");
	}

	/**
	 * A stop hook that failed at every turn (a notification command missing on the
	 * machine): the session's hooks say it with its exit code, time and error, as
	 * {@code shared/src/test/python/hooks_recount.py} counts the transcript (one run,
	 * failed, exit code 127, 43 ms), and so does its page.
	 */
	@Test
	void aSessionsFailingStopHookIsShownWithItsError() {
		String session = "-Users-devuser-uw-kubernetes-manifests/74f505ae-fa88-4fed-8eea-2a85cb5d4c3e";
		JsonNode hooks = get("/api/sessions/" + session + "/hooks");
		assertThat(hooks.get("runs").asLong()).isEqualTo(1);
		assertThat(hooks.get("failures").asLong()).isEqualTo(1);
		assertThat(hooks.get("blocks").asLong()).isZero();
		assertThat(hooks.get("transcripts_not_read").asInt()).isZero();
		JsonNode stop = hooks.get("hooks").get(0);
		assertThat(stop.get("event").asText()).isEqualTo("Stop");
		assertThat(stop.get("command").asText()).startsWith("p=$(pgrep -x dunst").contains("notify-send");
		assertThat(stop.get("exit_codes").toString()).isEqualTo("[127]");
		assertThat(stop.get("duration_ms").asLong()).isEqualTo(43);
		assertThat(stop.get("last_error").asText())
			.isEqualTo("Failed with non-blocking status code: /bin/sh: notify-send: command not found");
		assertThat(stop.get("last_error_at").asText()).isEqualTo("2026-05-28T13:45:32.282Z");
		// the timeline's hook filter finds the turn's stop hook summary, which says the
		// error (a user trial found the filter empty: it was a system entry)
		JsonNode hookEntries = get("/api/sessions/" + session + "/messages?type=hook").get("messages");
		assertThat(hookEntries).hasSize(1);
		assertThat(hookEntries.get(0).get("uuid").asText()).isEqualTo("ac3fd73b-7bc9-481d-990f-edeef57e9db0");
		assertThat(hookEntries.get(0).get("preview").asText()).contains("1 hook ran")
			.contains("notify-send: command not found");
		assertThat(get("/api/sessions/" + session + "/messages/ac3fd73b-7bc9-481d-990f-edeef57e9db0").get("content")
			.asText()).contains("notify-send: command not found");
		String page = this.http.get()
			.uri("/projects/" + session.replace("/", "/sessions/"))
			.retrieve()
			.body(String.class);
		assertThat(page).contains("id=\"hooks-panel\"", "Hooks (1 run, 1 failed, 0 blocked)",
				"notify-send: command not found", "43 ms");
		// a session without hooks has no panel, and an unknown one is a 404
		String none = "-home-devuser2-Claude/512f6c74-f82f-4adb-9719-4ae90076677c";
		assertThat(get("/api/sessions/" + none + "/hooks").get("hooks")).isEmpty();
		assertThat(this.http.get().uri("/projects/" + none.replace("/", "/sessions/")).retrieve().body(String.class))
			.doesNotContain("hooks-panel");
		assertThat(status("/api/sessions/" + session.replace("74f505ae", "00000000") + "/hooks")).isEqualTo(404);
	}

	/**
	 * The same stop hook failed in five sessions of three projects: the hook statistics
	 * of all projects (a job reading the transcripts) say it once, with the sessions and
	 * the latest failure's session, and the overview lists it. Recount
	 * ({@code hooks_recount.py} over {@code dotsv2} and {@code omarchy-backup}; the cases
	 * log no hooks): 124 runs of 2 commands, 118 failed; the failures' sessions and
	 * latest one counted with grep.
	 */
	@Test
	void aStopHookFailingAcrossProjectsIsOneRowOfTheHookStatistics() {
		int first = this.http.get().uri("/api/hooks").exchange((req, res) -> {
			if (res.getStatusCode().value() == 202) {
				String status = this.json.readTree(res.getBody()).get("status_url").asText();
				await().atMost(Duration.ofSeconds(60))
					.until(() -> get(status).get("state").asText().matches("succeeded|failed"));
				assertThat(get(status).get("state").asText()).isEqualTo("succeeded");
			}
			return res.getStatusCode().value();
		});
		assertThat(first).isIn(200, 202);
		JsonNode all = get("/api/hooks");
		assertThat(all.get("scope").asText()).isEqualTo("all");
		assertThat(all.get("origin").asText()).isNotBlank();
		assertThat(all.get("elsewhere").asLong()).isZero();
		assertThat(all.get("runs").asLong()).isEqualTo(124);
		assertThat(all.get("failures").asLong()).isEqualTo(118);
		assertThat(all.get("hooks")).hasSize(2);
		JsonNode stop = all.get("hooks").get(0);
		assertThat(stop.get("command").asText()).contains("notify-send");
		assertThat(stop.get("runs").asLong()).isEqualTo(118);
		assertThat(stop.get("sessions").asLong()).isEqualTo(5);
		assertThat(stop.get("failed_sessions").asLong()).isEqualTo(5);
		assertThat(stop.get("duration_ms").asLong()).isEqualTo(4324);
		assertThat(stop.get("last_error_at").asText()).isEqualTo("2026-06-03T16:10:00.220Z");
		assertThat(stop.get("last_error_project").asText()).isEqualTo("-Users-devuser");
		assertThat(stop.get("last_error_session").asText()).isEqualTo("bbcc8ddc-b6cc-49f8-9a69-2da4f470d270");
		JsonNode callback = all.get("hooks").get(1);
		assertThat(callback.get("command").asText()).isEqualTo("callback");
		assertThat(callback.get("runs").asLong()).isEqualTo(6);
		assertThat(callback.get("failures").asLong()).isZero();
		assertThat(this.http.get().uri("/").retrieve().body(String.class)).contains("id=\"failing-hooks\"",
				"124 runs of 2 hook commands: 118 failed, 0 blocked.",
				"/projects/-Users-devuser/sessions/bbcc8ddc-b6cc-49f8-9a69-2da4f470d270#hooks-panel");
		// a project's own: only its sessions; an unknown project is a 404
		assertThat(status("/api/projects/-Users-devuser-nope/hooks")).isEqualTo(404);
	}

	private int status(String uri) {
		Integer status = this.http.get().uri(uri).exchange((req, res) -> res.getStatusCode().value());
		return status;
	}

	@Test
	void everyEntryTypeOfTodaysClaudeCodeIsKnown() {
		JsonNode status = get("/api/index/status");
		assertThat(status.get("unknown_type_lines").asLong()).isZero();
		assertThat(status.get("unknown_entry_types")).isEmpty();
		assertThat(status.get("invalid_lines").asLong()).isZero();
		// case 04's one API error, and the side question's session's two (one replayed)
		assertThat(status.get("api_errors").asLong()).isEqualTo(3);
	}

	/** The timeline of the future-model session. */
	private static final String FUTURE_MESSAGES = "/api/sessions/-home-user-future/ffffffff-0000-4000-8000-000000000001/messages";

	@Test
	void aModelNotInTheTableIsEstimatedByItsFamilyAndNeverSilentlyFree() {
		JsonNode models = get("/api/metrics/models?project_hash=-home-user-future").get("models");
		JsonNode opus6 = find(models, "model", "claude-opus-6-20270101");
		assertThat(find(get(FUTURE_MESSAGES).get("messages"), "model", "claude-opus-6-20270101").get("cost").asDouble())
			.isEqualTo(24.0);
		assertThat(opus6.get("estimated").asBoolean()).isTrue();
		assertThat(opus6.get("priced_as").asText()).isEqualTo("claude-opus-5-5");
		// Opus 5.5's card: 1M input · $4 + 1M output · $20
		assertThat(opus6.get("cost").get("total_cost").asDouble()).isEqualTo(24.0);
		JsonNode other = find(models, "model", "mistral-large");
		assertThat(other.get("priced").asBoolean()).isFalse();
		assertThat(other.get("estimated").asBoolean()).isFalse();
		JsonNode project = find(get("/api/projects").get("projects"), "path_hash", "-home-user-future");
		assertThat(project.get("estimated_messages").asLong()).isEqualTo(1);
		// a cwd is transcript text: redacted in the project and its sessions
		assertThat(project.get("project_path").asText()).isEqualTo("/srv/[REDACTED]/future");
		assertThat(get("/api/projects/-home-user-future/sessions").toString()).doesNotContain("Q7xY9pL2")
			.contains("[REDACTED]");
		assertThat(project.get("unpriced_messages").asLong()).isEqualTo(1);
		// the admin console lists both, with the card used
		String admin = this.http.get()
			.uri("/admin")
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8)))
			.retrieve()
			.body(String.class);
		assertThat(admin).contains("claude-opus-6-20270101", "estimated: claude-opus-5-5", "mistral-large", "unpriced");
		// a card added through the admin API prices it from then on, every stored cost
		// re-priced; removed, it is estimated again
		String basic = "Basic "
				+ Base64.getEncoder().encodeToString("admin:test-admin-password".getBytes(StandardCharsets.UTF_8));
		this.http.put()
			.uri("/api/admin/prices/claude-opus-6")
			.header("Authorization", basic)
			.header("X-Requested-By", "test")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"prices\": [{\"effective_from\": \"2026-01-01\", \"input\": 7, \"output\": 35}]}")
			.retrieve()
			.toBodilessEntity();
		JsonNode priced = find(get("/api/metrics/models?project_hash=-home-user-future").get("models"), "model",
				"claude-opus-6-20270101");
		// the session's timeline too (its page was cached before the change)
		assertThat(find(get(FUTURE_MESSAGES).get("messages"), "model", "claude-opus-6-20270101").get("cost").asDouble())
			.isEqualTo(42.0);
		assertThat(priced.get("estimated").asBoolean()).isFalse();
		assertThat(priced.get("priced_as").asText()).isEqualTo("claude-opus-6");
		// 1M input · $7 + 1M output · $35
		assertThat(priced.get("cost").get("total_cost").asDouble()).isEqualTo(42.0);
		this.http.delete()
			.uri("/api/admin/prices/claude-opus-6")
			.header("Authorization", basic)
			.header("X-Requested-By", "test")
			.retrieve()
			.toBodilessEntity();
		assertThat(find(get("/api/metrics/models?project_hash=-home-user-future").get("models"), "model",
				"claude-opus-6-20270101")
			.get("estimated")
			.asBoolean()).isTrue();
		// removed twice: a 404 that says so (it was an empty body); a body naming another
		// card than the path: refused (it was stored under the path's)
		var again = this.http.delete()
			.uri("/api/admin/prices/claude-opus-6")
			.header("Authorization", basic)
			.header("X-Requested-By", "test")
			.exchange((request, response) -> Map.entry(response.getStatusCode().value(),
					new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
		assertThat(again.getKey()).isEqualTo(404);
		assertThat(again.getValue()).contains("no price card 'claude-opus-6'");
		var renamed = this.http.put()
			.uri("/api/admin/prices/claude-opus-6")
			.header("Authorization", basic)
			.header("X-Requested-By", "test")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"id\": \"claude-other\", \"prices\": [{\"input\": 7, \"output\": 35}]}")
			.exchange((request, response) -> Map.entry(response.getStatusCode().value(),
					new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
		assertThat(renamed.getKey()).isEqualTo(400);
		assertThat(renamed.getValue()).contains("the card's id must be the path's (claude-opus-6)");
		// a price below a millionth of a dollar is refused as written (read as a double,
		// 1e-999999999 was a price of 0 and was stored), and a body that is not JSON is a
		// 400 that says what it must be
		// a date past year 9999 (taken, and compared as text it priced the whole history:
		// a trial) and a long-context band below one token are refused too
		for (String body : new String[] { "{\"prices\": [{\"input\": 1e-999999999, \"output\": 35}]}",
				"{\"prices\": [{\"input\": 0.0000001, \"output\": 35}]}", "{\"prices\": [",
				"{\"prices\": [{\"effective_from\": \"+10000-01-01\", \"input\": 7, \"output\": 35}]}",
				"{\"prices\": [{\"input\": 7, \"output\": 35, \"long_context\": {\"above_input_tokens\": -5, "
						+ "\"input\": 14, \"output\": 52.5}}]}",
				// no body at all: said so, not "could not be read as JSON" nor Spring's
				// text
				"" }) {
			var refused = this.http.put()
				.uri("/api/admin/prices/claude-opus-6")
				.header("Authorization", basic)
				.header("X-Requested-By", "test")
				.contentType(MediaType.APPLICATION_JSON)
				.body(body)
				.exchange((request, response) -> Map.entry(response.getStatusCode().value(),
						new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8)));
			assertThat(refused.getKey()).as(body).isEqualTo(400);
			assertThat(refused.getValue()).as(body)
				.containsAnyOf("with at most 6 decimals", "the body must be a price card",
						"the request body is missing",
						"effective_from of claude-opus-6 must be a date (yyyy-MM-dd): +10000-01-01",
						"above_input_tokens of claude-opus-6 must be a whole number of tokens above 0: -5");
		}
		assertThat(find(get("/api/metrics/models?project_hash=-home-user-future").get("models"), "model",
				"claude-opus-6-20270101")
			.get("estimated")
			.asBoolean()).isTrue();
	}

	/**
	 * The entry export says how each counted line is priced, as the models' totals do:
	 * the unlisted Opus at the family's newest card and flagged estimated, the model of
	 * no known family unpriced (cost 0 and {@code priced} false, never a silent 0).
	 */
	@Test
	void theEntryExportSaysWhichLinesAreEstimatedOrUnpriced() throws IOException {
		JsonNode job = this.json.readTree(this.http.post()
			.uri("/api/exports")
			.header("X-Requested-By", "test")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"format\": \"json\", \"project\": \"-home-user-future\"}")
			.retrieve()
			.body(String.class));
		String status = job.get("status_url").asText();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get(status).get("state").asText().matches("succeeded|failed"));
		assertThat(get(status).get("state").asText()).isEqualTo("succeeded");
		JsonNode rows = this.json.readTree(this.http.get()
			.uri("/api/jobs/" + job.get("job_id").asText() + "/download")
			.retrieve()
			.body(String.class));
		assertThat(rows).hasSize(2);
		JsonNode opus6 = find(rows, "model", "claude-opus-6-20270101");
		assertThat(opus6.get("counted").asBoolean()).isTrue();
		assertThat(opus6.get("priced").asBoolean()).isTrue();
		assertThat(opus6.get("estimated").asBoolean()).isTrue();
		assertThat(opus6.get("priced_as").asText()).isEqualTo("claude-opus-5-5");
		// Opus 5.5's card: 1M input · $4 + 1M output · $20
		assertThat(opus6.get("cost").asDouble()).isEqualTo(24.0);
		JsonNode mistral = find(rows, "model", "mistral-large");
		assertThat(mistral.get("counted").asBoolean()).isTrue();
		assertThat(mistral.get("priced").asBoolean()).isFalse();
		assertThat(mistral.get("estimated").asBoolean()).isFalse();
		assertThat(mistral.get("priced_as").isNull()).isTrue();
		assertThat(mistral.get("cost").asDouble()).isZero();
	}

	/**
	 * A subagent file none of whose responses counts there (a side question's replay of
	 * the session, its own line an API error) is among the session's agents, with no
	 * message, as {@code subagent_count} counts it (a trial: count 2, one listed).
	 */
	@Test
	void everySubagentFileTheCountCountsIsAmongTheAgents() {
		JsonNode session = get("/api/sessions/-home-user-replay/" + REPLAY_SESSION);
		assertThat(session.get("subagent_count").asLong()).isOne();
		List<JsonNode> subagents = new ArrayList<>();
		session.get("agents").forEach((a) -> {
			if (!"main".equals(a.get("kind").asText())) {
				subagents.add(a);
			}
		});
		assertThat(subagents).singleElement().satisfies((a) -> {
			assertThat(a.get("agent_id").asText()).isEqualTo("aside_question-0a1b2c");
			assertThat(a.get("kind").asText()).isEqualTo("subagent");
			assertThat(a.get("message_count").asLong()).isZero();
			assertThat(a.get("cost").get("total_cost").asDouble()).isZero();
		});
	}

	/**
	 * A session's timeline and a message's page say of each counted response whether its
	 * model is priced, as the session's totals do: the model of no known family had read
	 * "$0.00" there with no word (a drift trial), the unlisted Opus at its family's card
	 * likewise.
	 */
	@Test
	void theTimelineAndAMessageSayWhichResponsesAreUnpricedOrEstimated() {
		String session = "/api/sessions/-home-user-future/ffffffff-0000-4000-8000-000000000001";
		JsonNode rows = get(session + "/messages?limit=200").get("messages");
		JsonNode mistral = find(rows, "model", "mistral-large");
		assertThat(mistral.get("counted").asBoolean()).isTrue();
		assertThat(mistral.get("priced").asBoolean()).isFalse();
		assertThat(mistral.get("estimated").asBoolean()).isFalse();
		assertThat(mistral.get("cost").asDouble()).isZero();
		JsonNode opus6 = find(rows, "model", "claude-opus-6-20270101");
		assertThat(opus6.get("priced").asBoolean()).isTrue();
		assertThat(opus6.get("estimated").asBoolean()).isTrue();
		JsonNode message = get(session + "/messages/by-index/" + mistral.get("index").asInt());
		assertThat(message.get("priced").asBoolean()).isFalse();
		String page = this.http.get()
			.uri("/projects/-home-user-future/sessions/ffffffff-0000-4000-8000-000000000001")
			.retrieve()
			.body(String.class);
		assertThat(page).contains(">1 unpriced</span>").contains(">1 estimated</span>");
		String messagePage = this.http.get()
			.uri("/projects/-home-user-future/sessions/ffffffff-0000-4000-8000-000000000001/messages/by-index/"
					+ mistral.get("index").asInt())
			.retrieve()
			.body(String.class);
		assertThat(messagePage).contains(">1 unpriced</span>");
		// a row without usage says neither
		for (JsonNode row : get("/api/sessions/" + "-home-user-replay/" + REPLAY_SESSION + "/messages?limit=200")
			.get("messages")) {
			if (!row.has("counted")) {
				assertThat(row.has("priced")).as(row.toString()).isFalse();
			}
		}
	}

	/**
	 * The ad-hoc analytics say of each row how much of its cost is not a list price, as
	 * the models' totals do: grouped by model the unlisted Opus is one estimated message
	 * and the model of no known family one unpriced message (its cost 0, never a silent
	 * 0); grouped by day, the day holds both.
	 */
	@Test
	void theAnalyticsRowsSayWhichMessagesAreEstimatedOrUnpriced() throws IOException {
		JsonNode byModel = query("{\"group_by\": [\"model\"], \"project\": \"-home-user-future\"}");
		assertThat(byModel.get("columns").toString()).contains("\"unpriced_messages\"", "\"estimated_messages\"");
		JsonNode opus6 = find(byModel.get("rows"), "model", "claude-opus-6-20270101");
		assertThat(opus6.get("estimated_messages").asLong()).isEqualTo(1);
		assertThat(opus6.get("unpriced_messages").asLong()).isZero();
		assertThat(opus6.get("cost").asDouble()).isEqualTo(24.0);
		JsonNode mistral = find(byModel.get("rows"), "model", "mistral-large");
		assertThat(mistral.get("unpriced_messages").asLong()).isEqualTo(1);
		assertThat(mistral.get("estimated_messages").asLong()).isZero();
		assertThat(mistral.get("cost").asDouble()).isZero();
		JsonNode byDay = query("{\"group_by\": [\"day\"], \"project\": \"-home-user-future\"}").get("rows");
		assertThat(byDay).hasSize(1);
		assertThat(byDay.get(0).get("messages").asLong()).isEqualTo(2);
		assertThat(byDay.get(0).get("unpriced_messages").asLong()).isEqualTo(1);
		assertThat(byDay.get(0).get("estimated_messages").asLong()).isEqualTo(1);
		// a real 2026 project priced at list prices says neither
		JsonNode listed = query("{\"group_by\": [\"model\"], \"project\": \"-home-devuser2-Claude\"}").get("rows");
		assertThat(listed).isNotEmpty();
		for (JsonNode row : listed) {
			assertThat(row.get("unpriced_messages").asLong()).as(row.toString()).isZero();
			assertThat(row.get("estimated_messages").asLong()).as(row.toString()).isZero();
		}
	}

	/**
	 * The daily, weekly and monthly series, their export and the Reports page say which
	 * responses are unpriced or estimated, per model and per period (a trial found the
	 * model of no known family at a silent $0.00 there): the future project's day holds
	 * one of each.
	 */
	@Test
	void theReportsSayWhichMessagesAreEstimatedOrUnpriced() {
		JsonNode day = get("/api/metrics/daily/-home-user-future").get("metrics").get(0);
		assertThat(day.get("date").asText()).isEqualTo("2026-11-29");
		assertThat(day.get("message_count").asLong()).isEqualTo(2);
		assertThat(day.get("unpriced_messages").asLong()).isEqualTo(1);
		assertThat(day.get("estimated_messages").asLong()).isEqualTo(1);
		JsonNode mistral = find(day.get("models"), "model", "mistral-large");
		assertThat(mistral.get("unpriced_messages").asLong()).isEqualTo(1);
		assertThat(mistral.get("estimated_messages").asLong()).isZero();
		assertThat(mistral.get("cost").asDouble()).isZero();
		JsonNode opus6 = find(day.get("models"), "model", "claude-opus-6-20270101");
		assertThat(opus6.get("estimated_messages").asLong()).isEqualTo(1);
		assertThat(opus6.get("unpriced_messages").asLong()).isZero();
		for (String series : List.of("weekly", "monthly")) {
			JsonNode period = get("/api/metrics/" + series + "?project_hash=-home-user-future").get("metrics").get(0);
			assertThat(period.get("unpriced_messages").asLong()).as(series).isEqualTo(1);
			assertThat(period.get("estimated_messages").asLong()).as(series).isEqualTo(1);
		}
		String csv = this.http.get().uri("/api/exports/daily?project=-home-user-future").retrieve().body(String.class);
		assertThat(csv.lines().findFirst().orElseThrow()).endsWith(",unpriced_messages,estimated_messages");
		assertThat(csv.lines().filter((l) -> l.contains("mistral-large"))).singleElement()
			.satisfies((l) -> assertThat(l).endsWith(",1,0"));
		assertThat(csv.lines().filter((l) -> l.contains("claude-opus-6-20270101"))).singleElement()
			.satisfies((l) -> assertThat(l).endsWith(",0,1"));
		String page = this.http.get().uri("/reports?from=2026-11-29&to=2026-11-29").retrieve().body(String.class);
		assertThat(page).contains(">1 unpriced</span>").contains(">1 estimated</span>");
		// the 5-hour blocks and their weeks too (a drift trial's block read "$3.84"
		// alone)
		JsonNode blocks = get(
				"/api/metrics/blocks?project_hash=-home-user-future&from=2026-11-29&to=2026-11-29&tz=UTC");
		assertThat(blocks.get("blocks")).singleElement().satisfies((b) -> {
			assertThat(b.get("unpriced_messages").asLong()).isEqualTo(1);
			assertThat(b.get("estimated_messages").asLong()).isEqualTo(1);
		});
		assertThat(blocks.get("weeks")).singleElement().satisfies((w) -> {
			assertThat(w.get("unpriced_messages").asLong()).isEqualTo(1);
			assertThat(w.get("estimated_messages").asLong()).isEqualTo(1);
		});
	}

	/** An ad-hoc query's result, polled to its end when it runs as a job. */
	private JsonNode query(String body) throws IOException {
		var answer = this.http.post()
			.uri("/api/queries")
			.header("X-Requested-By", "test")
			.contentType(MediaType.APPLICATION_JSON)
			.body(body)
			.retrieve()
			.toEntity(String.class);
		if (answer.getStatusCode().value() == 200) {
			return this.json.readTree(answer.getBody());
		}
		String status = this.json.readTree(answer.getBody()).get("status_url").asText();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get(status).get("state").asText().matches("succeeded|failed"));
		assertThat(get(status).get("state").asText()).isEqualTo("succeeded");
		return this.json
			.readTree(this.http.get().uri(get(status).get("result_url").asText()).retrieve().body(String.class));
	}

	@Test
	void theSessionsOfEveryProjectAreListedByTitleElseFirstPromptFilteredAndSorted() {
		JsonNode all = get("/api/sessions?limit=500");
		// session id → title, first prompt (only for a session without a title)
		Object[][] titles = { { "44ef5cbf-9cc3-4f7b-ac40-337a4d39713b", "add-teams-keybinding", null },
				{ "4bb63645-c6ef-443f-aec1-53d354b98a7a", "Make Claude config notifications portable across machines",
						null },
				{ "512f6c74-f82f-4adb-9719-4ae90076677c", null, "--history" },
				{ "74f505ae-fa88-4fed-8eea-2a85cb5d4c3e", null,
						"look in ../.llm and in the test if the ../* and analyse everything u see" },
				{ "8fd119a6-9ab8-407b-810f-329cfb6153e0", null,
						"Okay I am running Omarchy and it has a built in Windows VM through winboat I be\u2026" },
				{ "c0dddd8d-6c0f-4a12-8927-28271848cfc7", "fix-contract-expiry-atomicity", null } };
		for (Object[] t : titles) {
			JsonNode s = find(all.get("sessions"), "session_id", (String) t[0]);
			assertThat(s.path("title").asText(null)).as((String) t[0]).isEqualTo(t[1]);
			assertThat(s.path("first_prompt").asText(null)).as((String) t[0]).isEqualTo(t[2]);
		}
		assertThat(all.get("total").asLong()).isEqualTo(all.get("sessions").size());
		// one project, the most expensive first
		JsonNode telecom = get("/api/sessions?project=-Users-devuser-uw-telecom-mobile&sort=cost");
		assertThat(telecom.get("sessions").findValuesAsText("session_id"))
			.containsExactly("801ea086-c461-45be-aac3-f4b46d4a1c1a", "c0dddd8d-6c0f-4a12-8927-28271848cfc7");
		assertThat(telecom.get("sessions").get(0).get("path_hash").asText())
			.isEqualTo("-Users-devuser-uw-telecom-mobile");
		// the title search reads the first prompt of a session without a title
		assertThat(get("/api/sessions?q=WINBOAT").get("sessions").findValuesAsText("session_id"))
			.containsExactly("8fd119a6-9ab8-407b-810f-329cfb6153e0");
		assertThat(get("/api/sessions?q=portable").get("sessions").findValuesAsText("session_id"))
			.containsExactly("4bb63645-c6ef-443f-aec1-53d354b98a7a");
		// pages of two by duration, every session once
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = get("/api/sessions?project=-home-devuser2-Claude&sort=duration&order=asc&limit=2"
					+ ((cursor != null) ? "&cursor=" + cursor : ""));
			seen.addAll(page.get("sessions").findValuesAsText("session_id"));
			cursor = page.path("next_cursor").asText(null);
		}
		while (cursor != null);
		assertThat(seen).containsExactlyInAnyOrder("44ef5cbf-9cc3-4f7b-ac40-337a4d39713b",
				"512f6c74-f82f-4adb-9719-4ae90076677c", "8fd119a6-9ab8-407b-810f-329cfb6153e0");
		List<Long> durations = new ArrayList<>();
		for (String id : seen) {
			durations.add(find(all.get("sessions"), "session_id", id).get("duration_seconds").asLong());
		}
		assertThat(durations).isSorted();
		// a model and a date range narrow the list; a bad sort is a 400
		String model = find(all.get("sessions"), "session_id", "44ef5cbf-9cc3-4f7b-ac40-337a4d39713b")
			.get("models_used")
			.get(0)
			.asText();
		JsonNode byModel = get("/api/sessions?limit=500&model=" + model).get("sessions");
		assertThat(byModel.findValuesAsText("session_id")).contains("44ef5cbf-9cc3-4f7b-ac40-337a4d39713b");
		for (JsonNode s : byModel) {
			assertThat(s.get("models_used").toString()).contains("\"" + model + "\"");
		}
		assertThat(get("/api/sessions?from=2000-01-01&to=2000-01-02").get("total").asLong()).isZero();
		assertThat(status("/api/sessions?sort=evil")).isEqualTo(400);
		assertThat(status("/api/sessions?project=..%2Fetc")).isEqualTo(400);
		assertThat(status("/api/sessions?project=-no-such-project")).isEqualTo(404);
		assertThat(status("/sessions?project=-no-such-project")).isEqualTo(404);
		// a malformed request is a 400 whatever the project
		assertThat(status("/api/sessions?project=-no-such-project&sort=evil")).isEqualTo(400);
	}

	@Test
	void eachMessageOfARealSessionCarriesItsCostAndTheyAddUpToTheSessions() {
		// sessions without subagents: their timeline holds every counted message
		String[][] sessions = { { "-Users-devuser", "4bb63645-c6ef-443f-aec1-53d354b98a7a" },
				{ "-Users-devuser-uw-kubernetes-manifests", "74f505ae-fa88-4fed-8eea-2a85cb5d4c3e" } };
		for (String[] s : sessions) {
			String base = "/api/sessions/" + s[0] + "/" + s[1];
			double total = get(base).get("cost").get("total_cost").asDouble();
			double sum = 0;
			for (JsonNode m : get(base + "/messages?limit=200").get("messages")) {
				if (m.has("cost") && !m.get("cost").isNull()) {
					assertThat(m.get("type").asText()).as(s[1]).isEqualTo("assistant");
					sum += m.get("cost").asDouble();
				}
			}
			assertThat(sum).as(s[1]).isCloseTo(total, within(total * 1e-6));
			// the prompts' costs are those of the steps they led to
			double prompts = 0;
			for (JsonNode c : get(base + "/commands").get("commands")) {
				prompts += c.get("cost").asDouble();
			}
			assertThat(prompts).as(s[1]).isPositive().isLessThanOrEqualTo(total * (1 + 1e-9));
		}
	}

	/**
	 * A session's prompts, as an independent recount with {@code json.loads} lists them
	 * (user lines that are not tool results, meta lines, hook or command output, shell
	 * mode's {@code <bash-input>}/{@code <bash-stdout>} or a compaction's summary): 45 in
	 * {@code 512f6c74}, the second followed by "[Request interrupted by user for tool
	 * use]" before the next prompt; 27 in {@code c0dddd8d}, which was compacted.
	 */
	@Test
	void thePromptsOfASessionAreTheUsersOwnAndKnowWhichWereInterrupted() {
		JsonNode omarchy = get("/api/sessions/-home-devuser2-Claude/512f6c74-f82f-4adb-9719-4ae90076677c/commands");
		assertThat(omarchy.get("summary").get("total_commands").asInt()).isEqualTo(45);
		JsonNode commands = omarchy.get("commands");
		assertThat(commands).filteredOn((c) -> c.get("followed_by_interruption").asBoolean())
			.singleElement()
			.satisfies((c) -> assertThat(c.get("timestamp").asText()).isEqualTo("2026-04-29T20:55:02.887Z"));
		assertThat(commands.findValuesAsText("user_message")).noneMatch((t) -> t.startsWith("<bash-"));
		JsonNode compacted = get(
				"/api/sessions/-Users-devuser-uw-telecom-mobile/c0dddd8d-6c0f-4a12-8927-28271848cfc7/commands");
		assertThat(compacted.get("summary").get("total_commands").asInt()).isEqualTo(27);
		assertThat(compacted.get("commands").findValuesAsText("user_message"))
			.noneMatch((t) -> t.startsWith("This session is being continued"));
	}

	private static JsonNode find(JsonNode array, String field, String value) {
		for (JsonNode n : array) {
			if (n.hasNonNull(field) && n.get(field).asText().equals(value)) {
				return n;
			}
		}
		throw new AssertionError("no element with " + field + "=" + value + " in " + array);
	}

}
