package dev.cctracer.web.analytics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestTranscripts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST /api/queries}: a DuckDB job whose result equals the incremental rollups
 * (two implementations), shared by identical requests, cached per data version, and
 * closed to injection.
 */
class QueryApiTests extends RealDataWebTest {

	private static final String DAY_MODEL = "{\"group_by\": [\"day\", \"model\"], \"tz\": \"UTC\", \"project\": \""
			+ RealDataLayout.SPOTTER + "\"}";

	@Test
	void shouldAnswerAQueryThroughAJobWithTheRollupTotals() throws Exception {
		indexed();
		JsonNode result = run(DAY_MODEL);
		// the same per day and model from the H2 rollups
		Map<String, JsonNode> expected = new HashMap<>();
		for (JsonNode day : get("/api/metrics/daily/" + RealDataLayout.SPOTTER + "?tz=UTC").body().get("metrics")) {
			for (JsonNode m : day.get("models")) {
				expected.put(day.get("date").asText() + "|" + m.get("model").asText(), m);
			}
		}
		assertThat(result.get("rows")).hasSize(expected.size());
		for (JsonNode row : result.get("rows")) {
			JsonNode want = expected.get(row.get("day").asText() + "|" + row.get("model").asText());
			assertThat(want).as("%s", row).isNotNull();
			assertThat(row.get("messages").asLong()).isEqualTo(want.get("message_count").asLong());
			assertThat(row.get("output_tokens").asLong()).isEqualTo(want.get("tokens").get("output_tokens").asLong());
			assertThat(row.get("cache_read_input_tokens").asLong())
				.isEqualTo(want.get("tokens").get("cache_read_input_tokens").asLong());
			assertThat(row.get("cache_creation_1h_input_tokens").asLong())
				.isEqualTo(want.get("tokens").get("cache_creation_1h_input_tokens").asLong());
			assertThat(row.get("cost").asDouble()).isEqualTo(want.get("cost").asDouble());
		}
		// asked again: answered at once from the cached result
		assertThat(postJson("/api/queries", DAY_MODEL).status()).isEqualTo(200);
	}

	/**
	 * The autumn night New York's clocks go back has two hours labelled 01:00: a response
	 * in each (05:30Z is 01:30 EDT, 06:30Z 01:30 EST) gives two rows told apart by their
	 * offsets, in time order (a trial saw one row of both); India's half-hour offset
	 * labels its hour with it.
	 */
	@Test
	void shouldTellTheTwoHoursOfAnAutumnNightApart() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-home-dev-dst"));
		String session = "d5700000-0000-4000-8000-000000000001";
		Files.writeString(dir.resolve(session + ".jsonl"),
				TestTranscripts.sonnetResponse(session, "msg_dst1", Instant.parse("2026-11-01T05:30:00Z"), 1, 1000)
						+ TestTranscripts.sonnetResponse(session, "msg_dst2", Instant.parse("2026-11-01T06:30:00Z"), 1,
								2000)
						// Berlin's autumn night, a week before: 02:30 CEST, then 02:30
						// CET
						+ TestTranscripts.sonnetResponse(session, "msg_dst3", Instant.parse("2026-10-25T00:30:00Z"), 1,
								3000)
						+ TestTranscripts.sonnetResponse(session, "msg_dst4", Instant.parse("2026-10-25T01:30:00Z"), 1,
								4000));
		indexed();
		JsonNode rows = run("{\"group_by\": [\"hour\"], \"tz\": \"America/New_York\", \"project\": \"-home-dev-dst\", "
				+ "\"from\": \"2026-10-31\", \"to\": \"2026-11-02\"}")
			.get("rows");
		assertThat(rows).extracting((r) -> r.get("hour").asText() + " " + r.get("output_tokens").asLong())
			.containsExactly("2026-11-01T01:00-04:00 1000", "2026-11-01T01:00-05:00 2000");
		JsonNode india = run("{\"group_by\": [\"hour\"], \"tz\": \"Asia/Kolkata\", \"project\": \"-home-dev-dst\"}")
			.get("rows");
		assertThat(india).extracting((r) -> r.get("hour").asText())
			.containsExactly("2026-10-25T06:00+05:30", "2026-10-25T07:00+05:30", "2026-11-01T11:00+05:30",
					"2026-11-01T12:00+05:30");
		// east of UTC the later hour's offset is the smaller: in time order all the same,
		// also with the sessions' own order (most expensive first within an hour)
		JsonNode berlin = run("{\"group_by\": [\"hour\", \"session\"], \"tz\": \"Europe/Berlin\", "
				+ "\"project\": \"-home-dev-dst\", \"from\": \"2026-10-24\", \"to\": \"2026-10-26\"}")
			.get("rows");
		assertThat(berlin).extracting((r) -> r.get("hour").asText() + " " + r.get("output_tokens").asLong())
			.containsExactly("2026-10-25T02:00+02:00 3000", "2026-10-25T02:00+01:00 4000");
	}

	/**
	 * One response of 1 input and 3 output tokens that calls Bash and Read: each kind's
	 * halves made whole together, ties to the first name, counted by hand — input 1 to
	 * Bash; output 1.5 each, the third token to Bash: Bash 3, Read 1. The same in the
	 * session's tool statistics (read from its transcript), the project's (from the
	 * facts) and the query job's rows (rounded tool by tool, the session's had said 2 and
	 * 2).
	 */
	@Test
	void shouldSplitATiedResponseBetweenItsToolsTheSameWayEverywhere() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-home-dev-ties"));
		String session = "71e50000-0000-4000-8000-000000000001";
		Files.writeString(dir.resolve(session + ".jsonl"),
				"{\"type\":\"assistant\",\"uuid\":\"71e50000-0000-4000-8000-0000000000a1\"," + "\"sessionId\":\""
						+ session + "\",\"requestId\":\"req_tie\",\"timestamp\":\"2026-11-10T10:00:00.000Z\","
						+ "\"message\":{\"id\":\"msg_tie\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
						+ "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_tieA\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}},"
						+ "{\"type\":\"tool_use\",\"id\":\"toolu_tieB\",\"name\":\"Read\",\"input\":{\"file_path\":\"/x\"}}],"
						+ "\"usage\":{\"input_tokens\":1,\"output_tokens\":3}}}\n");
		indexed();
		Map<String, Long> expected = Map.of("Bash", 3L, "Read", 1L);
		Map<String, Long> fromFacts = new HashMap<>();
		run(null, "/api/projects/-home-dev-ties/tools").get("tools")
			.forEach((t) -> fromFacts.put(t.get("name").asText(), t.get("tokens").asLong()));
		assertThat(fromFacts).isEqualTo(expected);
		Map<String, Long> fromTranscript = new HashMap<>();
		get("/api/sessions/-home-dev-ties/" + session + "/tools").body()
			.get("tools")
			.forEach((t) -> fromTranscript.put(t.get("name").asText(), t.get("tokens").asLong()));
		assertThat(fromTranscript).isEqualTo(expected);
		Map<String, Long> fromQuery = new HashMap<>();
		run("{\"group_by\": [\"tool\"], \"project\": \"-home-dev-ties\"}").get("rows")
			.forEach((r) -> fromQuery.put(r.get("tool").asText(), r.get("total_tokens").asLong()));
		assertThat(fromQuery).isEqualTo(expected);
	}

	@Test
	void shouldGroupByToolAndAgent() throws Exception {
		indexed();
		JsonNode byTool = run("{\"group_by\": [\"tool\"], \"project\": \"" + RealDataLayout.SPOTTER + "\"}");
		long calls = 0;
		Map<String, Long> failedByTool = new HashMap<>();
		for (JsonNode row : byTool.get("rows")) {
			calls += row.get("tool_calls").asLong();
			failedByTool.merge(row.get("tool").asText(), row.get("failed_calls").asLong(), Long::sum);
		}
		JsonNode tools = run(null, "/api/projects/" + RealDataLayout.SPOTTER + "/tools");
		assertThat(calls).isEqualTo(tools.get("total_calls").asLong());
		// failed calls by tool: what the project's tool statistics count
		Map<String, Long> errorsByTool = new HashMap<>();
		for (JsonNode t : tools.get("tools")) {
			errorsByTool.merge(t.get("name").asText(), t.get("errors").asLong(), Long::sum);
		}
		// the messages without a tool call: their own row, "(none)", failing nothing
		assertThat(failedByTool.remove("(none)")).isZero();
		assertThat(failedByTool).isEqualTo(errorsByTool);
		// each tool's tokens the same in both answers (a message's split over its calls
		// made whole the same way; a trial saw Bash 14,133,305 against 14,133,306)
		Map<String, Long> tokensByTool = new HashMap<>();
		byTool.get("rows")
			.forEach((row) -> tokensByTool.put(row.get("tool").asText(), row.get("total_tokens").asLong()));
		tokensByTool.remove("(none)");
		Map<String, Long> statsTokens = new HashMap<>();
		tools.get("tools").forEach((t) -> statsTokens.put(t.get("name").asText(), t.get("tokens").asLong()));
		assertThat(statsTokens).hasSizeGreaterThan(3).isEqualTo(tokensByTool);
		ToolIds ids = toolIds(ROOT.resolve("claude/projects/" + RealDataLayout.SPOTTER));
		assertThat(ids.failed()).hasSizeGreaterThan(3);
		assertThat(failedByTool.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(ids.failed().size());
		// every grouping counts tool calls, not only the tool grouping: against an
		// independent count of the distinct tool_use ids in the project's transcripts
		long independent = distinctToolUseIds(ROOT.resolve("claude/projects/" + RealDataLayout.SPOTTER));
		assertThat(independent).isGreaterThan(100);
		for (String groupBy : new String[] { "project", "day", "model" }) {
			JsonNode result = run(
					"{\"group_by\": [\"" + groupBy + "\"], \"project\": \"" + RealDataLayout.SPOTTER + "\"}");
			long sum = 0;
			long failed = 0;
			for (JsonNode row : result.get("rows")) {
				sum += row.get("tool_calls").asLong();
				failed += row.get("failed_calls").asLong();
			}
			assertThat(sum).as("tool_calls grouped by %s", groupBy).isEqualTo(independent).isEqualTo(calls);
			assertThat(failed).as("failed_calls grouped by %s", groupBy).isEqualTo(ids.failed().size());
		}
		JsonNode byAgent = run("{\"group_by\": [\"session\", \"agent\"], \"project\": \"" + RealDataLayout.SPOTTER
				+ "\", \"session\": \"" + RealDataLayout.MAIN_SESSION + "\"}");
		Map<String, Long> messages = new HashMap<>();
		byAgent.get("rows").forEach((r) -> messages.put(r.get("agent").asText(), r.get("messages").asLong()));
		assertThat(messages).containsExactlyInAnyOrderEntriesOf(Map.of("", 217L, "aac57f5", 3L, "acompact-946d2b", 1L));
	}

	@Test
	void shouldListSessionsMostExpensiveFirstWithTheirProjects() throws Exception {
		indexed();
		JsonNode result = run("{\"group_by\": [\"session\"]}");
		JsonNode rows = result.get("rows");
		assertThat(rows.size()).isGreaterThan(3);
		// every session of every project, each linked to its project, most expensive
		// first
		Map<String, String> projectOf = new HashMap<>();
		Map<String, Double> costOf = new HashMap<>();
		for (JsonNode p : get("/api/projects").body().get("projects")) {
			String dir = p.get("path_hash").asText();
			for (JsonNode s : get("/api/projects/" + dir + "/sessions?limit=500").body().get("sessions")) {
				projectOf.put(s.get("session_id").asText(), dir);
				costOf.put(s.get("session_id").asText(), s.get("cost").get("total_cost").asDouble());
			}
		}
		double previous = Double.MAX_VALUE;
		for (JsonNode row : rows) {
			String session = row.get("session").asText();
			assertThat(row.get("cost").asDouble()).as(session).isLessThanOrEqualTo(previous);
			previous = row.get("cost").asDouble();
			if (session.isEmpty()) {
				continue;
			}
			assertThat(result.get("session_projects").get(session).asText()).as(session)
				.isEqualTo(projectOf.get(session));
		}
		assertThat(rows.get(0).get("session").asText())
			.isEqualTo(costOf.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
		// asked again once computed (200): each session as the pages call it, its title
		// else its first prompt, as GET /api/sessions says
		Map<String, String> named = new HashMap<>();
		for (JsonNode s : get("/api/sessions?limit=500").body().get("sessions")) {
			JsonNode name = s.get("title").isNull() ? s.path("first_prompt") : s.get("title");
			if (!name.isMissingNode() && !name.isNull()) {
				named.put(s.get("session_id").asText(), name.asText());
			}
		}
		Response again = postJson("/api/queries", "{\"group_by\": [\"session\"]}");
		assertThat(again.status()).isEqualTo(200);
		JsonNode titles = again.body().get("session_titles");
		assertThat(titles.size()).isPositive();
		titles.fields()
			.forEachRemaining((e) -> assertThat(e.getValue().asText()).as(e.getKey()).isEqualTo(named.get(e.getKey())));
		Set<String> inRows = new HashSet<>(rows.findValuesAsText("session"));
		named.keySet().retainAll(inRows);
		assertThat(titles.size()).isEqualTo(named.size());
		// grouped by day too: days in order, the day's most expensive session first
		JsonNode byDay = run("{\"group_by\": [\"day\", \"session\"], \"tz\": \"UTC\"}").get("rows");
		for (int i = 1; i < byDay.size(); i++) {
			JsonNode a = byDay.get(i - 1);
			JsonNode b = byDay.get(i);
			assertThat(a.get("day").asText()).isLessThanOrEqualTo(b.get("day").asText());
			if (a.get("day").asText().equals(b.get("day").asText())) {
				assertThat(a.get("cost").asDouble()).isGreaterThanOrEqualTo(b.get("cost").asDouble());
			}
		}
		// not grouped by session: no session projects, rows in dimension order
		JsonNode byModel = run("{\"group_by\": [\"model\"]}");
		assertThat(byModel.get("session_projects")).isEmpty();
	}

	@Test
	void shouldShareOneJobAndRefuseBadOrInjectedQueries() throws Exception {
		String q = "{\"group_by\": [\"month\"], \"tz\": \"Asia/Tokyo\"}";
		Response a = postJson("/api/queries", q);
		Response b = postJson("/api/queries", q);
		if (a.status() == 202 && b.status() == 202) {
			assertThat(b.body().get("job_id").asText()).isEqualTo(a.body().get("job_id").asText());
		}
		for (String bad : new String[] { "{\"group_by\": [\"day; DROP TABLE source_file\"]}",
				"{\"group_by\": [\"model\"], \"model\": \"x' OR '1'='1\"}",
				"{\"group_by\": [\"model\"], \"project\": \"../../etc\"}", "{\"group_by\": \"day\"}",
				"{\"group_by\": [\"day\", \"week\"]}", "{\"group_by\": [\"day\"], \"tz\": \"Mars/Base\"}",
				"{\"group_by\": [\"day\"], \"from\": \"2026-02-10\", \"to\": \"2026-02-01\"}",
				"{\"group_by\": [\"day\"], \"sql\": \"SELECT 1\"}", "{\"group_by\": [\"day\"], \"session\": \"x\"}",
				"not json",
				// a number where a model name is asked (Jackson coerced it to the name
				// "7")
				"{\"group_by\": [\"model\"], \"model\": 7}" }) {
			Response r = postJson("/api/queries", bad);
			assertThat(r.status()).as(bad).isEqualTo(400);
		}
		// a project that is not indexed: 404, as everywhere, not an empty result
		assertThat(postJson("/api/queries", "{\"group_by\": [\"day\"], \"project\": \"-no-such-project\"}").status())
			.isEqualTo(404);
		// and a session that is not indexed in a project that is (as the entry export)
		assertThat(
				postJson("/api/queries",
						"{\"group_by\": [\"day\"], \"project\": \"" + RealDataLayout.SPOTTER
								+ "\", \"session\": \"00000000-0000-4000-8000-000000000000\"}")
					.status())
			.isEqualTo(404);
		// and a session of no project (a trial's answered 200 with empty rows, read as no
		// usage); one that is indexed answers without its project
		Response nowhere = postJson("/api/queries",
				"{\"group_by\": [\"tool\"], \"session\": \"00000000-0000-4000-8000-000000000000\"}");
		assertThat(nowhere.status()).isEqualTo(404);
		assertThat(nowhere.text()).contains("session not found: 00000000-0000-4000-8000-000000000000");
		String known = get("/api/projects/" + RealDataLayout.SPOTTER + "/sessions").body()
			.get("sessions")
			.get(0)
			.get("session_id")
			.asText();
		assertThat(postJson("/api/queries", "{\"group_by\": [\"tool\"], \"session\": \"" + known + "\"}").status())
			.isIn(200, 202);
		// the same date rule as the query parameters, the field named: an extended year
		// is refused before the job, not by the job's overflow
		Response far = postJson("/api/queries", "{\"group_by\": [\"day\"], \"from\": \"+999999999-12-31\"}");
		assertThat(far.status()).isEqualTo(400);
		assertThat(far.text()).contains("from must be a date yyyy-MM-dd from 1970 to 9999");
		assertThat(get("/api/metrics/daily?from=%2B999999999-12-31T00:00:00Z").status()).isEqualTo(400);
		assertThat(get("/api/metrics/daily?to=20261-01-01").text()).contains("to must be");
		// a range that ends before it starts is a mistake, not an empty answer
		Response backwards = get("/api/metrics/daily?from=2026-02-10&to=2026-02-01");
		assertThat(backwards.status()).isEqualTo(400);
		assertThat(backwards.body().get("detail").asText()).isEqualTo("from must not be after to");
		// instants: the end is exclusive, so the same instant is no range
		Response empty = get("/api/metrics/daily?from=2026-02-10T00:00:00Z&to=2026-02-10T00:00:00Z");
		assertThat(empty.status()).isEqualTo(400);
		assertThat(empty.body().get("detail").asText()).isEqualTo("from must be before to");
		assertThat(get("/api/metrics/daily?from=2026-02-10&to=2026-02-10").status()).isEqualTo(200);
	}

	private JsonNode run(String query) throws Exception {
		return run(query, null);
	}

	/** Posts a query (or GETs a job-backed URL) and follows the job to its result. */
	private JsonNode run(String query, String getUrl) throws Exception {
		return resultOf((query != null) ? postJson("/api/queries", query) : get(getUrl));
	}

	/**
	 * Distinct ids of tool_use blocks in assistant lines, read line by line with Jackson.
	 */
	private long distinctToolUseIds(Path dir) throws IOException {
		return toolIds(dir).uses().size();
	}

	/**
	 * The ids of tool_use blocks in assistant lines, and of those a tool_result block
	 * with {@code is_error: true} names (in any line), read line by line with Jackson.
	 */
	private ToolIds toolIds(Path dir) throws IOException {
		Set<String> ids = new HashSet<>();
		Set<String> failed = new HashSet<>();
		try (Stream<Path> files = Files.walk(dir)) {
			for (Path file : files.filter((f) -> f.toString().endsWith(".jsonl")).toList()) {
				for (String line : Files.readAllLines(file)) {
					JsonNode entry;
					try {
						entry = this.json.readTree(line);
					}
					catch (IOException ex) {
						continue;
					}
					if (entry == null) {
						continue;
					}
					boolean assistant = "assistant".equals(entry.path("type").asText());
					for (JsonNode block : entry.path("message").path("content")) {
						if (assistant && "tool_use".equals(block.path("type").asText()) && block.hasNonNull("id")) {
							ids.add(block.get("id").asText());
						}
						if ("tool_result".equals(block.path("type").asText()) && block.path("is_error").asBoolean()
								&& block.hasNonNull("tool_use_id")) {
							failed.add(block.get("tool_use_id").asText());
						}
					}
				}
			}
		}
		failed.retainAll(ids);
		return new ToolIds(ids, failed);
	}

	/** Tool call ids, and the ids among them whose result failed. */
	private record ToolIds(Set<String> uses, Set<String> failed) {

	}

}
