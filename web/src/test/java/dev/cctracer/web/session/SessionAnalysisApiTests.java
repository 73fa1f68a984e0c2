package dev.cctracer.web.session;

import java.util.List;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The session analysis endpoints on the real transcripts. Expected numbers were computed
 * with a short Python script over the same three files (tool_use blocks by name,
 * tool_result errors by the name of their call, Skill inputs, and for code changes the
 * +/- lines of {@code toolUseResult.structuredPatch}, or the content lines of created
 * files that have no patch).
 */
class SessionAnalysisApiTests extends RealDataWebTest {

	@Autowired
	SessionNames names;

	private static final String MAIN = "/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION;

	@Test
	void shouldCountToolCallsErrorsAndDurationsAcrossMainAndSubagents() throws Exception {
		indexed();
		JsonNode tools = get(MAIN + "/tools").body();
		Map<String, Long> calls = new HashMap<>();
		tools.get("tools").forEach((t) -> calls.put(t.get("name").asText(), t.get("calls").asLong()));
		assertThat(calls).containsExactlyInAnyOrderEntriesOf(Map.of("Bash", 120L, "Read", 37L, "Task", 1L, "Skill", 1L,
				"WebFetch", 10L, "Edit", 67L, "Write", 6L, "Glob", 5L, "Grep", 1L, "WebSearch", 6L));
		assertThat(tools.get("total_calls").asLong()).isEqualTo(254);
		JsonNode bash = find(tools.get("tools"), "name", "Bash");
		assertThat(bash.get("errors").asLong()).isEqualTo(9);
		assertThat(bash.get("error_rate").asDouble()).isEqualTo(9.0 / 120);
		assertThat(bash.get("avg_duration_seconds").asDouble()).isPositive();
		assertThat(bash.get("p95_duration_seconds").asDouble())
			.isGreaterThanOrEqualTo(bash.get("avg_duration_seconds").asDouble() * 0.5);
		assertThat(find(tools.get("tools"), "name", "Edit").get("errors").asLong()).isEqualTo(2);
		assertThat(bash.get("cost").asDouble()).isPositive();
		JsonNode sub = get(
				"/api/subagents/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/aac57f5/tools")
			.body();
		assertThat(sub.get("total_calls").asLong()).isEqualTo(12);
	}

	/**
	 * A subagent's page shows the code changes of its own transcript: aac57f5 only
	 * searched and fetched (6 WebSearch and 6 WebFetch calls, counted with Python), and
	 * its page had shown the session's edits as its own; the session's page keeps them.
	 */
	@Test
	void aSubagentsPageShowsTheCodeChangesOfItsOwnTranscript() throws Exception {
		indexed();
		String page = "/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.MAIN_SESSION;
		Response session = raw("GET", page, "localhost:" + this.port, "text/html");
		assertThat(session.status()).isEqualTo(200);
		assertThat(session.text()).contains("id=\"changes-panel\"", "<h2>Code changes</h2>");
		Response subagent = raw("GET", page + "?agent=aac57f5", "localhost:" + this.port, "text/html");
		assertThat(subagent.status()).isEqualTo(200);
		assertThat(subagent.text()).doesNotContain("id=\"changes-panel\"");
	}

	@Test
	void aSessionsWebSearchCallsWithoutLoggedSearchesAreNotShownAsFree() throws Exception {
		indexed();
		// the 6 WebSearch calls of the Python recount above, none with a logged search
		assertThat(get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION).body()
			.get("web_search_requests")
			.asLong()).isZero();
		String page = get("/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.MAIN_SESSION).text();
		assertThat(page).contains("id=\"web-search-unlogged\">6 WebSearch calls, but the transcript logs no search")
			.doesNotContain("$10.00 per 1,000 searches, in the cost above.");
		// a session without the tool keeps the plain note
		String other = get("/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.SHORT_SESSION).text();
		assertThat(other).contains("$10.00 per 1,000 searches, in the cost above.")
			.doesNotContain("web-search-unlogged");
	}

	@Test
	void shouldListSubagentsLinkedToTheirTaskCall() throws Exception {
		indexed();
		JsonNode list = get(MAIN + "/subagents").body();
		assertThat(list.get("total_count").asInt()).isEqualTo(2);
		JsonNode agent = find(list.get("subagents"), "agent_id", "aac57f5");
		assertThat(agent.get("parent_tool_use_id").asText()).isEqualTo("toolu_01Hf8v1Za7y4af8VUwSR4CXU");
		assertThat(agent.get("description").asText()).isEqualTo("Check OTEL hex package versions");
		assertThat(agent.get("prompt_preview").asText()).startsWith("Search hex.pm for the latest versions");
		assertThat(agent.get("status").asText()).isEqualTo("completed");
		// counted API responses, as in the session's totals (its timeline has 16 entries)
		assertThat(agent.get("message_count").asLong()).isEqualTo(3);
		assertThat(agent.get("tool_calls").asLong()).isEqualTo(12);
		assertThat(agent.get("tokens").get("input_tokens").asLong()).isEqualTo(2408);
		assertThat(agent.get("layout").asText()).isEqualTo("subagents");
		JsonNode compaction = find(list.get("subagents"), "agent_id", "acompact-946d2b");
		assertThat(compaction.get("compaction").asBoolean()).isTrue();
		assertThat(compaction.get("subagent_type").asText()).isEqualTo("compaction");
		// no Task call launched it: its own transcript ends with its summary
		assertThat(compaction.get("status").asText()).isEqualTo("completed");
		// the page names it once: "compaction acompact-946d2b", not its id again beside
		String page = get("/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.MAIN_SESSION).text();
		assertThat(page).contains(">compaction acompact-946d2b</a>")
			.doesNotContain("<code class=\"muted\">acompact-946d2b</code>");
		String scoped = get("/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.MAIN_SESSION
				+ "?agent=acompact-946d2b")
			.text();
		assertThat(scoped).contains("<strong>compaction acompact-946d2b</strong>")
			.doesNotContain("<code>acompact-946d2b</code>");
		// search hits name them as the page does, by the task Claude Code gave them
		String key = RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/";
		assertThat(this.names.agentsOf(List.of(key + "aac57f5", key + "acompact-946d2b")))
			.containsEntry(key + "acompact-946d2b", "compaction acompact-946d2b")
			.hasEntrySatisfying(key + "aac57f5",
					(name) -> assertThat(name).endsWith("Check OTEL hex package versions"));
		// inline sidechains of the old layout
		JsonNode viewer = get(
				"/api/sessions/" + RealDataLayout.VIEWER + "/" + RealDataLayout.VIEWER_SESSION + "/subagents")
			.body();
		assertThat(viewer.get("subagents").findValuesAsText("layout")).isNotEmpty().containsOnly("inline");
		long inline = 0;
		for (JsonNode s : viewer.get("subagents")) {
			inline += s.get("message_count").asLong();
		}
		// 161 counted responses among 322 timeline entries
		assertThat(inline).isEqualTo(161);
	}

	/**
	 * Hand-checked in {@code ../shared/realdata/spotter}: {@code short.jsonl}'s two
	 * failed results are the user declining the call ("The user doesn't want to
	 * proceed…"), {@code subagent.jsonl}'s three are one tool failure (EISDIR) and two
	 * calls Claude Code cancelled ("Sibling tool call errored"). The session's tools and
	 * errors say so.
	 */
	@Test
	void failedCallsSayWhetherTheyWereDeclinedCancelledOrFailedInTheTool() throws Exception {
		indexed();
		String p = "/api/sessions/" + RealDataLayout.SPOTTER + "/";
		Map<String, long[]> kinds = new HashMap<>();
		for (String session : List.of(RealDataLayout.SHORT_SESSION, RealDataLayout.MAIN_SESSION)) {
			long[] k = new long[5];
			for (JsonNode t : get(p + session + "/tools").body().get("tools")) {
				k[0] += t.get("errors").asLong();
				k[1] += t.get("declined").asLong();
				k[2] += t.get("cancelled").asLong();
			}
			for (JsonNode e : get(p + session + "/errors").body().get("errors")) {
				k[3] += e.get("kind").asText().equals("declined") ? 1 : 0;
				k[4] += e.get("kind").asText().equals("cancelled") ? 1 : 0;
			}
			kinds.put(session, k);
		}
		assertThat(kinds.get(RealDataLayout.SHORT_SESSION)).containsExactly(2, 2, 0, 2, 0);
		assertThat(kinds.get(RealDataLayout.MAIN_SESSION)).containsExactly(12, 0, 0, 0, 0);
	}

	/**
	 * Hand-checked in {@code ../shared/realdata/spotter}: the main session's one
	 * {@code compact_boundary} line (a manual {@code /compact} at 14:48:36.922 UTC with
	 * 142,431 tokens before it, no after logged); {@code short.jsonl} has none.
	 */
	@Test
	void shouldListCompactions() throws Exception {
		indexed();
		JsonNode compactions = get(MAIN + "/compactions").body();
		assertThat(compactions.get("total").asInt()).isEqualTo(1);
		JsonNode c = compactions.get("compactions").get(0);
		assertThat(c.get("timestamp").asText()).isEqualTo("2026-02-12T14:48:36.922Z");
		assertThat(c.get("trigger").asText()).isEqualTo("manual");
		assertThat(c.get("pre_tokens").asLong()).isEqualTo(142_431);
		assertThat(c.get("post_tokens").isNull()).isTrue();
		assertThat(c.get("uuid").asText()).isEqualTo("434dc859-6299-4713-8613-d28662692f06");
		assertThat(c.get("agent_id").isNull()).isTrue();
		assertThat(get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.SHORT_SESSION + "/compactions")
			.body()
			.get("total")
			.asInt()).isZero();
		assertThat(get("/api/sessions/" + RealDataLayout.SPOTTER + "/bad/compactions").status()).isEqualTo(400);
	}

	@Test
	void shouldListErrorsCommandsAndSkills() throws Exception {
		indexed();
		JsonNode errors = get(MAIN + "/errors").body();
		assertThat(errors.get("total").asInt()).isEqualTo(12);
		Map<String, Long> byTool = new HashMap<>();
		errors.get("errors").forEach((e) -> byTool.merge(e.get("tool_name").asText(), 1L, Long::sum));
		assertThat(byTool).containsExactlyInAnyOrderEntriesOf(Map.of("Edit", 2L, "Bash", 9L, "Read", 1L));
		assertThat(errors.get("errors").get(0).get("error_message").asText().length()).isBetween(1, 500);
		JsonNode commands = get(MAIN + "/commands").body();
		// the user's two prompts: the third user line is the compaction's summary
		assertThat(commands.get("summary").get("total_commands").asInt()).isEqualTo(2);
		int steps = 0;
		for (JsonNode c : commands.get("commands")) {
			steps += c.get("assistant_steps").asInt();
		}
		assertThat(steps).isEqualTo(217);
		JsonNode skills = get(MAIN + "/skills").body();
		assertThat(skills.get("total_invocations").asLong()).isEqualTo(1);
		assertThat(skills.get("skills").get(0).get("skill_name").asText()).isEqualTo("elixir:hex-docs-search");
	}

	@Test
	void shouldCountRealLineChangesWithoutFailedEdits() throws Exception {
		indexed();
		JsonNode changes = get(MAIN + "/code-changes").body();
		assertThat(changes.get("changes_by_file")).hasSize(21);
		assertThat(changes.get("files_created").asInt()).isEqualTo(6);
		assertThat(changes.get("files_modified").asInt()).isEqualTo(15);
		assertThat(changes.get("lines_added").asLong()).isEqualTo(757 + 396);
		assertThat(changes.get("lines_removed").asLong()).isEqualTo(325);
		assertThat(changes.get("net_lines").asLong()).isEqualTo(757 + 396 - 325);
	}

	@Test
	void shouldAnswer404And400ForUnknownAndBadIds() throws Exception {
		assertThat(
				get("/api/sessions/" + RealDataLayout.SPOTTER + "/aaaaaaaa-0000-4000-8000-000000000009/tools").status())
			.isEqualTo(404);
		assertThat(get("/api/sessions/" + RealDataLayout.SPOTTER + "/bad/errors").status()).isEqualTo(400);
		assertThat(get("/api/subagents/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/nope/tools")
			.status()).isEqualTo(404);
	}

}
