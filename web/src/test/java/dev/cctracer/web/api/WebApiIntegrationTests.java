package dev.cctracer.web.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.api.Assertions;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole app over HTTP on the real transcripts (see {@link RealDataLayout}). Expected
 * numbers are the hand-checked ones of {@code RealDataCountingTests}, summed.
 */
class WebApiIntegrationTests extends RealDataWebTest {

	@Test
	void shouldServeExactProjectTotals() throws Exception {
		indexed();
		JsonNode projects = get("/api/projects").body().get("projects");
		JsonNode spotter = find(projects, "path_hash", RealDataLayout.SPOTTER);
		assertThat(spotter.get("project_path").asText()).isEqualTo("/home/marco/projects/spotter");
		assertThat(spotter.get("session_count").asLong()).isEqualTo(5);
		// 217+3+1+18+1+12+4 responses; input 242+2408+3+219+3+1576+54
		assertThat(spotter.get("message_count").asLong()).isEqualTo(256);
		JsonNode t = spotter.get("tokens");
		assertThat(t.get("input_tokens").asLong()).isEqualTo(4505);
		assertThat(t.get("output_tokens").asLong()).isEqualTo(49467 + 7 + 8 + 28 + 13 + 1586 + 212);
		assertThat(t.get("cache_creation_5m_input_tokens").asLong()).isEqualTo(237121 + 18814 + 121689);
		assertThat(t.get("cache_creation_1h_input_tokens").asLong()).isEqualTo(39438 + 13835 + 25842 + 17696);
		assertThat(t.get("cache_creation_input_tokens").asLong()).isEqualTo(
				t.get("cache_creation_5m_input_tokens").asLong() + t.get("cache_creation_1h_input_tokens").asLong());
		assertThat(t.get("cache_read_input_tokens").asLong())
			.isEqualTo(16553628 + 29274 + 17842 + 457858 + 11515 + 427286 + 88231);
		assertThat(spotter.get("total_tokens").asLong())
			.isEqualTo(t.get("input_tokens").asLong() + t.get("output_tokens").asLong()
					+ t.get("cache_creation_input_tokens").asLong() + t.get("cache_read_input_tokens").asLong());
		// newest activity first
		List<String> last = new ArrayList<>();
		projects.forEach((p) -> last.add(p.get("last_activity").asText()));
		assertThat(last).isSortedAccordingTo(Comparator.reverseOrder());
		// with cctracer.ingest.follow-links=false links out of the root are not followed,
		// and each is reported, never skipped in silence
		assertThat(projects.findValuesAsText("path_hash")).doesNotContain("-linked-dir", "-linked-file");
		assertThat(get("/api/metrics/aggregate").body().get("tokens").get("output_tokens").asLong()).isLessThan(424242);
		JsonNode unreadable = get("/api/index/status").body().get("unreadable_paths");
		assertThat(unreadable.findValuesAsText("path")).anyMatch((p) -> p.endsWith("-linked-dir"))
			.anyMatch((p) -> p.endsWith("99999999-9999-4999-8999-999999999999.jsonl"));
		assertThat(unreadable.findValuesAsText("reason")).allMatch((r) -> r.contains("follow-links=false"));
	}

	@Test
	void shouldBreakUsageDownByOriginWithItsConfigDir() throws Exception {
		indexed();
		JsonNode aggregate = get("/api/metrics/aggregate").body();
		JsonNode origins = get("/api/origins").body().get("origins");
		// one machine: its host name, this test's config dir, every token and every cent
		assertThat(origins).hasSize(1);
		JsonNode self = origins.get(0);
		assertThat(self.get("origin").asText()).isNotBlank();
		assertThat(self.get("roots").get(0).asText()).endsWith("claude/projects");
		assertThat(self.get("tokens")).isEqualTo(aggregate.get("tokens"));
		assertThat(self.get("total_cost").asDouble()).isEqualTo(aggregate.get("total_cost").asDouble());
		assertThat(self.get("message_count").asLong()).isEqualTo(aggregate.get("message_count").asLong());
	}

	@Test
	void shouldBreakASessionDownIntoMainAndSubagents() throws Exception {
		indexed();
		JsonNode s = get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION).body();
		assertThat(s.get("message_count").asLong()).isEqualTo(217 + 3 + 1);
		assertThat(s.get("subagent_count").asLong()).isEqualTo(2);
		assertThat(s.get("models_used").findValuesAsText("")).isEmpty();
		List<String> models = new ArrayList<>();
		s.get("models_used").forEach((m) -> models.add(m.asText()));
		assertThat(models).containsExactly("claude-haiku-4-5-20251001", "claude-opus-4-6",
				"claude-sonnet-4-5-20250929");
		JsonNode agents = s.get("agents");
		assertThat(find(agents, "kind", "main").get("message_count").asLong()).isEqualTo(217);
		assertThat(find(agents, "agent_id", "aac57f5").get("tokens").get("input_tokens").asLong()).isEqualTo(2408);
		assertThat(find(agents, "agent_id", "acompact-946d2b").get("message_count").asLong()).isEqualTo(1);
		double parts = 0;
		for (JsonNode a : agents) {
			parts += a.get("cost").get("total_cost").asDouble();
		}
		assertThat(s.get("cost").get("total_cost").asDouble()).isCloseTo(parts, Offset.offset(1e-9));
		// the orphan subagent makes a session of its own
		JsonNode orphan = get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.ORPHAN_SESSION).body();
		assertThat(orphan.get("message_count").asLong()).isEqualTo(18);
		// its subagent's status is read from its own transcript, which ends with its
		// answer: no main transcript holds the call that launched it
		assertThat(get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.ORPHAN_SESSION + "/subagents")
			.body()
			.get("subagents")
			.get(0)
			.get("status")
			.asText()).isEqualTo("completed");
		// its main transcript is empty in the origin repo: its timeline says where to
		// look, not that the session it just summarised was not found
		Response orphanTimeline = get(
				"/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.ORPHAN_SESSION + "/messages");
		assertThat(orphanTimeline.status()).isEqualTo(404);
		assertThat(orphanTimeline.body().get("detail").asText()).contains("has no main transcript, only its subagents'")
			// where to look, spelled out for this session
			.contains(
					"/api/subagents/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.ORPHAN_SESSION
							+ "/{agent}/messages",
					"/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.ORPHAN_SESSION + "/subagents");
		// its prompts are the main transcript's too: the same answer, not "session not
		// found" for a session the line above summarised
		Response orphanCommands = get(
				"/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.ORPHAN_SESSION + "/commands");
		assertThat(orphanCommands.status()).isEqualTo(404);
		assertThat(orphanCommands.body().get("detail").asText())
			.isEqualTo(orphanTimeline.body().get("detail").asText());
		// inline sidechains (old layout) are subagent work of the session
		JsonNode viewer = get("/api/sessions/" + RealDataLayout.VIEWER + "/" + RealDataLayout.VIEWER_SESSION).body();
		assertThat(viewer.get("message_count").asLong()).isEqualTo(170);
		assertThat(viewer.get("subagent_count").asLong()).isPositive();
		assertThat(find(viewer.get("agents"), "kind", "sidechain")).isNotNull();
		// an inline sidechain listed among its subagents has no transcript of its own:
		// the
		// 404 says where its lines are
		Response inline = get("/api/subagents/" + RealDataLayout.VIEWER + "/" + RealDataLayout.VIEWER_SESSION
				+ "/sidechain/messages");
		assertThat(inline.status()).isEqualTo(404);
		assertThat(inline.body().get("detail").asText())
			.contains("its lines are in the session's timeline, type=subagent");
		// its first line is a slash command typed with arguments, its only prompt of the
		// main conversation: the session list calls it by that command (it had no name)
		JsonNode listed = get("/api/sessions?project=" + RealDataLayout.VIEWER).body().get("sessions");
		assertThat(find(listed, "session_id", RealDataLayout.VIEWER_SESSION).get("first_prompt").asText())
			.isEqualTo("/orchestrator create TODO app by Next.js");
	}

	@Test
	void shouldPageThroughSessionsExactlyOnce() throws Exception {
		indexed();
		List<String> seen = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = get("/api/projects/" + RealDataLayout.SPOTTER + "/sessions?limit=2&sort=cost"
					+ ((cursor != null) ? "&cursor=" + cursor : ""))
				.body();
			assertThat(page.get("total").asLong()).isEqualTo(5);
			page.get("sessions").forEach((s) -> seen.add(s.get("session_id").asText()));
			cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
		}
		while (cursor != null);
		assertThat(seen).hasSize(5).doesNotHaveDuplicates();
		assertThat(seen.get(0)).isEqualTo(RealDataLayout.MAIN_SESSION);
	}

	@Test
	void shouldBucketDaysInTheRequestedZone() throws Exception {
		indexed();
		// sniffly's responses: all on 2025-06-?? UTC; Tokyo is 9 hours ahead
		JsonNode utc = get("/api/metrics/daily/" + RealDataLayout.SNIFFLY + "?tz=UTC").body();
		JsonNode tokyo = get("/api/metrics/daily/" + RealDataLayout.SNIFFLY + "?tz=Asia/Tokyo").body();
		assertThat(sum(utc, "message_count")).isEqualTo(62);
		assertThat(sum(tokyo, "message_count")).isEqualTo(62);
		assertThat(utc.get("timezone").asText()).isEqualTo("UTC");
		assertThat(get("/api/metrics/daily?tz=Mars/Olympus").status()).isEqualTo(400);
		JsonNode agg = get("/api/metrics/aggregate?project_hash=" + RealDataLayout.SNIFFLY).body();
		assertThat(agg.get("message_count").asLong()).isEqualTo(62);
		assertThat(agg.get("session_count").asLong()).isEqualTo(1);
	}

	@Test
	void shouldReportDataQualityAndPrices() throws Exception {
		indexed();
		JsonNode status = get("/api/index/status").body();
		assertThat(status.get("invalid_lines").asLong()).isEqualTo(3);
		assertThat(status.get("unknown_type_lines").asLong()).isEqualTo(1);
		// the console names the file they are in (edge_cases.jsonl: 3 lines that are no
		// JSON object, by an independent parse), where the overview's banner sends the
		// user
		String admin = getAsAdmin("/admin").text();
		String skipped = admin.substring(admin.indexOf("id=\"skipped-files\""));
		skipped = skipped.substring(0, skipped.indexOf("</table>"));
		assertThat(skipped).containsPattern(RealDataLayout.EDGE + "/" + RealDataLayout.EDGE_SESSION
				+ ".jsonl</code>\\s*</td>\\s*<td class=\"num\">[0-9,]+</td>\\s*<td class=\"num\">3</td>");
		assertThat(skipped).doesNotContain("not a transcript");
		assertThat(status.get("files_known").asLong()).isGreaterThanOrEqualTo(10);
		JsonNode pricing = get("/api/metrics/pricing").body();
		assertThat(pricing.get("claude-opus-4-6").get("cache_write_1h").decimalValue()).isEqualByComparingTo("10");
		JsonNode models = get("/api/metrics/models").body().get("models");
		// Claude 3 Sonnet (retired) has its own card: priced, not estimated
		assertThat(find(models, "model", "claude-3-sonnet-20240229").get("priced").asBoolean()).isTrue();
		assertThat(find(models, "model", "claude-3-sonnet-20240229").get("estimated").asBoolean()).isFalse();
		// over a range: split at a day with usage, each model's messages fall on one side
		// or the other, and the day before the first has none
		JsonNode days = get("/api/metrics/daily?tz=UTC").body().get("metrics");
		String split = days.get(days.size() / 2).get("date").asText();
		String first = days.get(0).get("date").asText();
		JsonNode before = get("/api/metrics/models?tz=UTC&to=" + LocalDate.parse(split).minusDays(1)).body()
			.get("models");
		JsonNode after = get("/api/metrics/models?tz=UTC&from=" + split).body().get("models");
		for (JsonNode m : models) {
			String model = m.get("model").asText();
			assertThat(messagesOf(before, model) + messagesOf(after, model)).as(model)
				.isEqualTo(m.get("message_count").asLong());
		}
		assertThat(before.size()).isPositive();
		assertThat(get("/api/metrics/models?tz=UTC&to=" + LocalDate.parse(first).minusDays(1)).body().get("models"))
			.isEmpty();
		JsonNode health = get("/health").body();
		assertThat(health.get("status").asText()).isEqualTo("healthy");
		// the number open pages poll for new data, the index status's own
		assertThat(health.get("data_version").asLong()).isPositive()
			.isEqualTo(get("/api/index/status").body().get("data_version").asLong());
	}

	/** A model's messages in a list of {@code /api/metrics/models}, 0 when not listed. */
	private static long messagesOf(JsonNode models, String model) {
		long n = 0;
		for (JsonNode m : models) {
			n += m.get("model").asText().equals(model) ? m.get("message_count").asLong() : 0;
		}
		return n;
	}

	@Test
	void shouldAnswerProblemDetailsForBadAndUnknownIds() throws Exception {
		Response unknown = get("/api/projects/-no-such-project/sessions");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.body().get("title").asText()).isEqualTo("Not found");
		assertThat(get("/api/sessions/" + RealDataLayout.SPOTTER + "/aaaaaaaa-0000-4000-8000-000000000000").status())
			.isEqualTo(404);
		Response malformed = get("/api/sessions/" + RealDataLayout.SPOTTER + "/not-a-uuid");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.body().get("status").asInt()).isEqualTo(400);
		assertThat(get("/api/projects/" + RealDataLayout.SPOTTER + "/sessions?limit=0").status()).isEqualTo(400);
		assertThat(get("/api/projects/" + RealDataLayout.SPOTTER + "/sessions?cursor=bm90LWEtY3Vyc29y").status())
			.isEqualTo(400);
		for (String path : List.of("/api/projects/../sessions", "/api/projects/%2e%2e/sessions",
				"/api/sessions/%2e%2e/%2e%2e", "/api/projects/..%2F..%2Fetc/sessions",
				"/api/projects/-linked-dir/sessions",
				"/api/sessions/-linked-file/99999999-9999-4999-8999-999999999999")) {
			Response r = raw("GET", path, "localhost");
			assertThat(r.status()).as(path).isIn(400, 404);
			assertThat(r.text()).as(path).doesNotContain("424242");
		}
		// what the firewall refuses answers as every API error does: problem details
		for (String path : List.of("/api/projects/%2e%2e/sessions", "/api/projects/..;/sessions",
				"/api/jobs//result")) {
			Response r = raw("GET", path, "localhost");
			assertThat(r.status()).as(path).isEqualTo(400);
			assertThat(r.body().get("status").asInt()).as(path).isEqualTo(400);
			assertThat(r.body().get("title").asText()).as(path).isEqualTo("Bad request");
			assertThat(r.text()).as(path).doesNotContain("\"timestamp\"");
		}
		// a URL past Tomcat's 8 KB: the same answer, which names the length as a cause
		Response longUrl = raw("GET", "/api/projects?q=" + "a".repeat(9000), "localhost");
		assertThat(longUrl.status()).isEqualTo(400);
		assertThat(longUrl.body().get("detail").asText()).contains("longer than the 8 KB");
		// a key pasted into a URL is not echoed back, in the detail nor in the instance
		String key = "sk-ant-api03-" + "A1b2C3d4E5f6G7h8".repeat(4);
		for (String path : List.of("/api/projects/" + key + "/sessions", "/api/sessions/-p/" + key,
				"/api/admin/prices/" + key)) {
			Response r = raw("GET", path, "localhost");
			assertThat(r.status()).as(path).isIn(400, 401, 404);
			assertThat(r.text()).as(path).doesNotContain("A1b2C3d4E5f6");
			assertThat(r.body().get("instance").asText()).as(path).contains("REDACTED");
		}
		// also in the answers of Spring's own handlers (a method the path does not take)
		Response wrongMethod = raw("DELETE", "/api/projects/" + key + "/sessions", "localhost",
				"application/json\r\nX-Requested-By: test");
		assertThat(wrongMethod.status()).isEqualTo(405);
		assertThat(wrongMethod.text()).doesNotContain("A1b2C3d4E5f6");
		// a browser's link the firewall refuses: the error page, with a way back
		Response page = raw("GET", "/projects/%2e%2e/sessions/x", "localhost", "text/html,*/*;q=0.8");
		assertThat(page.status()).isEqualTo(400);
		assertThat(page.text()).contains("id=\"error-detail\"", "The request was malformed.", "href=\"/\"")
			.doesNotContain("%2e%2e");
		// the admin console asked for by a script (curl's */*, or no Accept): the
		// Basic challenge with problem details, not Spring Boot's default error JSON
		for (String accept : new String[] { "*/*", null }) {
			Response admin = raw("GET", "/admin", "localhost", accept);
			assertThat(admin.status()).as(accept).isEqualTo(401);
			assertThat(admin.body().get("title").asText()).as(accept).isEqualTo("Unauthorized");
			assertThat(admin.text()).as(accept).doesNotContain("\"timestamp\"");
		}
		// a form posted by a script without its CSRF token
		Response refused = postJson("/admin/rescan", "{}");
		assertThat(refused.status()).isEqualTo(403);
		assertThat(refused.body().get("status").asInt()).isEqualTo(403);
		assertThat(refused.body().get("title").asText()).isEqualTo("Forbidden");
		assertThat(refused.text()).doesNotContain("\"timestamp\"");
	}

	@Test
	void shouldRefuseForeignHostHeaders() throws Exception {
		assertThat(raw("GET", "/api/projects", "evil.example.com").status()).isEqualTo(403);
		// a name that starts like a loopback address is still a name (DNS rebinding)
		assertThat(raw("GET", "/api/projects", "127.evil.example").status()).isEqualTo(403);
		assertThat(raw("GET", "/api/projects", "127.0.0.2:" + this.port).status()).isEqualTo(200);
		assertThat(raw("GET", "/api/projects", "127.0.0.1:" + this.port).status()).isEqualTo(200);
	}

	@Test
	void shouldShowAnAppendedLineWithinTwoSecondsWithoutATrigger() throws Exception {
		indexed();
		long before = outputOf(RealDataLayout.EDGE);
		Path file = ROOT
			.resolve("claude/projects/" + RealDataLayout.EDGE + "/" + RealDataLayout.EDGE_SESSION + ".jsonl");
		// edge_cases.jsonl ends without a newline: finish that line first, as a writer
		// would
		Files.writeString(file,
				"\n{\"type\":\"assistant\",\"timestamp\":\"2025-06-14T12:00:00Z\",\"requestId\":\"req_new\","
						+ "\"message\":{\"id\":\"msg_appended\",\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1000}}}\n",
				StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(2))
			.pollInterval(Duration.ofMillis(50))
			.untilAsserted(() -> assertThat(outputOf(RealDataLayout.EDGE)).isEqualTo(before + 1000));
	}

	@Test
	void everyEndpointOfTheOriginalTracerAnswersOnRealData() throws Exception {
		indexed();
		String p = RealDataLayout.SPOTTER;
		String s = RealDataLayout.MAIN_SESSION;
		String a = "aac57f5";
		String session = "/api/sessions/" + p + "/" + s;
		String subagent = "/api/subagents/" + p + "/" + s + "/" + a;
		String uuid = get(session + "/messages").body().get("messages").get(0).get("uuid").asText();
		String agentUuid = get(subagent + "/messages").body().get("messages").get(0).get("uuid").asText();
		List<String> paths = List.of("/health", "/", "/api/projects", "/api/projects/" + p + "/sessions",
				"/api/projects/" + p + "/metrics", "/api/projects/" + p + "/tools", session, session + "/messages",
				session + "/messages/filters", session + "/messages/" + uuid, session + "/messages/by-index/1",
				session + "/metrics", session + "/tools", session + "/subagents", session + "/skills",
				session + "/code-changes", session + "/errors", session + "/commands", "/api/subagents/" + p + "/" + a,
				"/api/subagents/" + p + "/" + a + "/tools", subagent, subagent + "/messages",
				subagent + "/messages/" + agentUuid, subagent + "/messages/by-index/1", "/api/metrics/pricing",
				"/api/metrics/daily/" + p, "/api/metrics/aggregate");
		assertThat(paths).hasSize(27).doesNotHaveDuplicates();
		for (String path : paths) {
			Response r = get(path);
			assertThat(r.status()).as(path + ": " + r.text()).isIn(200, 202);
			if (r.status() == 202) {
				assertThat(resultOf(r)).as(path).isNotNull();
			}
		}
		// the metrics shape of the original, from the same rollups as the session
		JsonNode metrics = get(session + "/metrics").body();
		JsonNode summary = get(session).body();
		assertThat(metrics.get("message_count").asLong()).isEqualTo(summary.get("message_count").asLong());
		assertThat(metrics.get("cost").get("total_cost").asDouble())
			.isEqualTo(summary.get("cost").get("total_cost").asDouble());
		JsonNode t = metrics.get("tokens");
		double read = t.get("cache_read_input_tokens").asDouble();
		assertThat(metrics.get("cache_hit_rate").asDouble()).isCloseTo(
				read * 100
						/ (read + t.get("cache_creation_input_tokens").asDouble() + t.get("input_tokens").asDouble()),
				Assertions.within(1e-9));
		assertThat(metrics.get("models_used").toString()).contains("claude-opus-4-6");
		// a project's metrics sum its sessions
		long projectMessages = 0;
		for (JsonNode one : get("/api/projects/" + p + "/sessions?limit=500").body().get("sessions")) {
			projectMessages += one.get("message_count").asLong();
		}
		assertThat(get("/api/projects/" + p + "/metrics").body().get("message_count").asLong())
			.isEqualTo(projectMessages);
		// a subagent found by its id alone, and within its session: the same answer
		JsonNode byProject = get("/api/subagents/" + p + "/" + a).body();
		assertThat(byProject.get("agent_id").asText()).isEqualTo(a);
		assertThat(byProject).isEqualTo(get(subagent).body());
		assertThat(get("/api/subagents/" + p + "/" + a + "/tools").body())
			.isEqualTo(get("/api/subagents/" + p + "/" + s + "/" + a + "/tools").body());
		assertThat(get("/api/subagents/" + p + "/nope-agent").status()).isEqualTo(404);
		assertThat(get("/api/subagents/" + p + "/bad%2Fagent").status()).isIn(400, 404);
		assertThat(get("/api/projects/-no-such-project/metrics").status()).isEqualTo(404);
	}

}
