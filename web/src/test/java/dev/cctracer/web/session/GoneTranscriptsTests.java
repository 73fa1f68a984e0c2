package dev.cctracer.web.session;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A session whose transcripts are removed from the disk (Claude Code removes transcripts
 * older than its {@code cleanupPeriodDays}, 30 days by default): its totals stay, the
 * page says which of its panels cover only the transcripts still here, and the API's
 * transcript analyses say why they cannot answer rather than "session not found".
 */
class GoneTranscriptsTests extends RealDataWebTest {

	private static final String SESSION = "9a9e0000-0000-4000-8000-000000000001";

	@Test
	void shouldKeepTheTotalsAndSayWhatTheGoneTranscriptsTakeAway() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-gone"));
		Path main = dir.resolve(SESSION + ".jsonl");
		Path subagent = Files.createDirectories(dir.resolve(SESSION + "/subagents")).resolve("agent-a9e1.jsonl");
		Files.writeString(main,
				"{\"type\":\"user\",\"uuid\":\"g-u1\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"sessionId\":\"" + SESSION
						+ "\",\"message\":{\"role\":\"user\",\"content\":\"list the files\"}}\n"
						+ response("g-a1", "m1") + "{\"type\":\"user\",\"uuid\":\"g-r1\",\"timestamp\":"
						+ "\"2026-03-01T10:00:07Z\",\"sessionId\":\"" + SESSION + "\",\"message\":{\"role\":\"user\","
						+ "\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_m1\",\"is_error\":true,"
						+ "\"content\":\"ls: cannot open directory: Permission denied\"}]}}\n");
		Files.writeString(subagent,
				response("g-s1", "m2").replace("\"sessionId\"", "\"isSidechain\":true,\"sessionId\""));
		indexed();
		String tools = "/api/sessions/-gone/" + SESSION + "/tools";
		assertThat(get(tools).body().get("total_calls").asLong()).isEqualTo(2);
		JsonNode before = session();
		JsonNode errorsBefore = get("/api/sessions/-gone/" + SESSION + "/errors").body();
		assertThat(errorsBefore.get("total").asInt()).isEqualTo(1);
		// the facts are written while the files are here (as a project's statistics,
		// which bring them up to date, show): Claude Code removes a transcript weeks
		// later
		JsonNode projectTools = resultOf(get("/api/projects/-gone/tools"));
		assertThat(find(projectTools.get("tools"), "name", "Bash").get("calls").asLong()).isEqualTo(2);
		// the page opened while the files are here (its transcript index and answers
		// cached), then the main transcript goes (a subagent's file may outlive it, or
		// the other way round): its calls and errors still count, from the facts, and
		// the page says what is gone
		assertThat(get("/projects/-gone/sessions/" + SESSION).status()).isEqualTo(200);
		Files.delete(main);
		indexed();
		assertThat(session().get("cost").get("total_cost").asDouble())
			.isEqualTo(before.get("cost").get("total_cost").asDouble())
			.isPositive();
		assertThat(session().get("message_count").asLong()).isEqualTo(2);
		assertThat(get("/projects/-gone/sessions/" + SESSION).text())
			.contains("data-job-start=\"/api/sessions/-gone/" + SESSION + "/tools\"");
		JsonNode someFromFacts = resultOf(get(tools));
		assertThat(someFromFacts.get("total_calls").asLong()).isEqualTo(2);
		assertThat(find(someFromFacts.get("tools"), "name", "Bash").get("errors").asLong()).isOne();
		JsonNode errorsOfSome = get("/api/sessions/-gone/" + SESSION + "/errors").body();
		assertThat(errorsOfSome.get("total").asInt()).isEqualTo(1);
		assertThat(errorsOfSome.get("errors").get(0).get("uuid").asText()).isEqualTo("g-r1");
		// a message of the gone transcript (where a search hit in it links): its
		// session's page, whose timeline comes from the facts
		HttpResponse<String> hit = TestHttp.page(this.port, "/projects/-gone/sessions/" + SESSION + "/messages/g-r1",
				null);
		assertThat(hit.statusCode()).isEqualTo(302);
		assertThat(hit.headers().firstValue("Location"))
			.hasValueSatisfying((l) -> assertThat(l).endsWith("/projects/-gone/sessions/" + SESSION));
		// the prompts are the main transcript's: a 404 that says it is gone
		Response prompts = get("/api/sessions/-gone/" + SESSION + "/commands");
		assertThat(prompts.status()).isEqualTo(404);
		assertThat(prompts.body().get("detail").asText()).contains("main transcript")
			.contains("not on this machine's disk");
		String page = get("/projects/-gone/sessions/" + SESSION).text();
		assertThat(page).contains("id=\"transcripts-gone\"")
			.contains("One of this session&#39;s transcripts is")
			.contains("cleanupPeriodDays")
			.contains("tools and errors too, from the facts")
			.contains("prompts and code changes below cover only the transcripts still");
		// every transcript gone: the tools come from the facts (a job), what else reads
		// transcripts is a clear 404, not "session not found"; the totals stay
		Files.delete(subagent);
		indexed();
		assertThat(get("/projects/-gone/sessions/" + SESSION).text())
			.contains("data-job-start=\"/api/sessions/-gone/" + SESSION + "/tools\"");
		JsonNode fromFacts = resultOf(get(tools));
		assertThat(fromFacts.get("total_calls").asLong()).isEqualTo(2);
		JsonNode bash = find(fromFacts.get("tools"), "name", "Bash");
		assertThat(bash.get("calls").asLong()).isEqualTo(2);
		assertThat(bash.get("errors").asLong()).isEqualTo(1);
		assertThat(bash.get("cost").asDouble()).isEqualTo(before.get("cost").get("total_cost").asDouble());
		// once computed, the page shows them (no job left to wait for)
		String computed = get("/projects/-gone/sessions/" + SESSION).text();
		assertThat(computed).doesNotContain("data-job-start=\"/api/sessions/-gone/").contains("from the facts");
		Response gone = get("/api/sessions/-gone/" + SESSION + "/commands");
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.body().get("detail").asText()).contains("not on this machine's disk")
			.doesNotContain("session not found");
		// the removed subagent is listed by its totals, as the summary counts it
		JsonNode subagents = get("/api/sessions/-gone/" + SESSION + "/subagents").body();
		assertThat(subagents.get("total_count").asInt()).isEqualTo(session().get("subagent_count").asInt()).isOne();
		JsonNode removed = subagents.get("subagents").get(0);
		assertThat(removed.get("agent_id").asText()).isEqualTo("a9e1");
		assertThat(removed.get("status").asText()).isEqualTo("transcript removed");
		assertThat(removed.get("message_count").asLong()).isOne();
		assertThat(removed.get("tool_calls").asLong()).isOne();
		assertThat(removed.get("cost").get("total_cost").asDouble()).isPositive();
		// the errors too, as the transcripts gave them
		JsonNode errorsAfter = get("/api/sessions/-gone/" + SESSION + "/errors").body();
		assertThat(errorsAfter.get("total").asInt()).isEqualTo(1);
		JsonNode error = errorsAfter.get("errors").get(0);
		JsonNode expected = errorsBefore.get("errors").get(0);
		for (String field : new String[] { "timestamp", "tool_name", "error_message", "uuid" }) {
			assertThat(error.get(field).asText()).as(field).isEqualTo(expected.get(field).asText());
		}
		assertThat(error.get("tool_name").asText()).isEqualTo("Bash");
		assertThat(session().get("message_count").asLong()).isEqualTo(2);
		assertThat(get("/projects/-gone/sessions/" + SESSION).text())
			.contains("2 of this session&#39;s transcripts are")
			.contains("tools and errors too, from the facts");
		assertThat(
				get("/api/sessions/-gone/9a9e0000-0000-4000-8000-000000000002/commands").body().get("detail").asText())
			.contains("session not found");
	}

	/**
	 * A project dir renamed on disk (or copied under a new name and the old one removed):
	 * the projects list, the sessions lists and the totals show its history under the new
	 * name, counted once, and leave the old name out (its deleted transcripts count
	 * nothing any more); the old session's own page still answers. Hand-set: two Sonnet
	 * 4.5 responses of 100 input and 20 output tokens, $0.0006 each.
	 */
	@Test
	void shouldShowARenamedProjectDirUnderItsNewNameOnly() throws Exception {
		String session = "9a9e0000-0000-4000-8000-000000000003";
		Path old = Files.createDirectories(ROOT.resolve("claude/projects/-renamed-a"));
		Files.writeString(old.resolve(session + ".jsonl"), response("r-a1", "rn1") + response("r-a2", "rn2"));
		indexed();
		double total = get("/api/metrics/aggregate").body().get("total_cost").asDouble();
		assertThat(projectHashes()).contains("-renamed-a").doesNotContain("-renamed-b");
		assertThat(get("/api/projects/-renamed-a/sessions").body()
			.get("sessions")
			.get(0)
			.get("cost")
			.get("total_cost")
			.asDouble()).isCloseTo(0.0012, within(1e-9));
		Files.move(old, ROOT.resolve("claude/projects/-renamed-b"));
		indexed();
		assertThat(projectHashes()).contains("-renamed-b").doesNotContain("-renamed-a");
		JsonNode project = get("/api/projects").body().get("projects");
		for (JsonNode p : project) {
			if (p.get("path_hash").asText().equals("-renamed-b")) {
				assertThat(p.get("session_count").asLong()).isOne();
				assertThat(p.get("total_cost").asDouble()).isCloseTo(0.0012, within(1e-9));
			}
		}
		// a status line finds the session where it is now
		JsonNode line = get("/api/statusline?format=json&session=" + session).body();
		assertThat(line.get("project").asText()).isEqualTo("-renamed-b");
		assertThat(line.get("session_cost").asDouble()).isCloseTo(0.0012, within(1e-9));
		JsonNode moved = get("/api/projects/-renamed-b/sessions").body().get("sessions");
		assertThat(moved).hasSize(1);
		assertThat(moved.get(0).get("message_count").asLong()).isEqualTo(2);
		assertThat(moved.get(0).get("cost").get("total_cost").asDouble()).isCloseTo(0.0012, within(1e-9));
		assertThat(get("/api/projects/-renamed-a/sessions").body().get("sessions")).isEmpty();
		assertThat(get("/api/sessions?limit=500").body().get("sessions").findValuesAsText("path_hash"))
			.contains("-renamed-b")
			.doesNotContain("-renamed-a");
		assertThat(get("/api/metrics/aggregate").body().get("total_cost").asDouble()).isCloseTo(total, within(1e-9));
		// the old name's page says where the session is now, and links there
		assertThat(get("/projects/-renamed-a/sessions/" + session).text()).contains("id=\"session-moved\"")
			.contains("href=\"/projects/-renamed-b/sessions/" + session + "\"");
		assertThat(get("/projects/-renamed-b/sessions/" + session).text()).doesNotContain("id=\"session-moved\"");
		// the old name's project page (a bookmark) leads to the new one; a name never
		// indexed is still a 404
		HttpResponse<String> page = TestHttp.send(this.port, "/projects/-renamed-a?sort=cost&from=2026-01-01");
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location")).hasValueSatisfying((location) -> {
			assertThat(URI.create(location).getPath()).isEqualTo("/projects/-renamed-b");
			assertThat(URI.create(location).getQuery()).isEqualTo("sort=cost&order=desc&from=2026-01-01");
		});
		assertThat(get("/projects/-renamed-c").status()).isEqualTo(404);
		Response left = get("/api/sessions/-renamed-a/" + session);
		assertThat(left.status()).isEqualTo(200);
		assertThat(left.body().get("message_count").asLong()).isZero();
	}

	private List<String> projectHashes() throws Exception {
		return get("/api/projects").body().get("projects").findValuesAsText("path_hash");
	}

	private JsonNode session() throws Exception {
		return get("/api/projects/-gone/sessions").body().get("sessions").get(0);
	}

	/** An assistant response with one Bash call and its usage. */
	private static String response(String uuid, String id) {
		return "{\"type\":\"assistant\",\"uuid\":\"" + uuid + "\",\"requestId\":\"req_" + id + "\",\"timestamp\":"
				+ "\"2026-03-01T10:00:05Z\",\"sessionId\":\"" + SESSION + "\",\"message\":{\"id\":\"msg_" + id
				+ "\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"tool_use\","
				+ "\"id\":\"toolu_" + id + "\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}}],\"usage\":"
				+ "{\"input_tokens\":100,\"output_tokens\":20}}}\n";
	}

}
