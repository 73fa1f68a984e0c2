package dev.cctracer.web.api;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The original Python tracer's field names, beside ours, on the real transcripts (a
 * client of the original reads them): a message row's {@code content}, {@code tool_names}
 * and {@code has_tool_result}, a message's {@code is_error}, a session's {@code slug} and
 * {@code skills_used}, a tool's {@code count} and {@code error_count}, a prompt's
 * {@code estimated_tokens} ({@code shared/reference/original-python-tracer.md}).
 */
class OriginalTracerFieldsTests extends RealDataWebTest {

	private static final String SHORT = "/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.SHORT_SESSION;

	private static final String MAIN = "/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION;

	@Test
	void shouldAnswerTheOriginalTracersFieldsBesideOurs() throws Exception {
		indexed();
		// the streamed response of the short session that called Bash and Glob, and the
		// result of its Bash call
		JsonNode rows = get(SHORT + "/messages").body().get("messages");
		JsonNode call = null;
		JsonNode result = null;
		for (JsonNode m : rows) {
			assertThat(m.get("content").asText()).isEqualTo(m.get("preview").asText());
			if (m.get("uuid").asText().equals("1b7d717f-d6a2-46a6-8575-fa4f937450ea")) {
				call = m;
			}
			if (m.get("type").asText().equals("tool_result") && result == null) {
				result = m;
			}
		}
		assertThat(call.get("tool_names").asText()).isEqualTo("Bash,Glob");
		assertThat(call.get("has_tool_result").asBoolean()).isFalse();
		assertThat(result.get("tool_names").asText()).isEmpty();
		assertThat(result.get("has_tool_result").asBoolean()).isTrue();
		// a failed tool result (12 in the main session, messages.py) is an error as a
		// message too; a prompt is not
		JsonNode failed = get(MAIN + "/messages?error_only=true&limit=1").body().get("messages").get(0);
		assertThat(get(MAIN + "/messages/" + failed.get("uuid").asText()).body().get("is_error").asBoolean()).isTrue();
		JsonNode prompt = get(MAIN + "/messages?type=user&limit=1").body().get("messages").get(0);
		assertThat(get(MAIN + "/messages/" + prompt.get("uuid").asText()).body().get("is_error").asBoolean()).isFalse();
		// a page size out of range is said by the name it was given
		assertThat(get(SHORT + "/messages?page=1&per_page=0").body().get("detail").asText())
			.isEqualTo("per_page must be between 1 and 200");
		assertThat(get(SHORT + "/messages?limit=201").body().get("detail").asText())
			.isEqualTo("limit must be between 1 and 200");
		// the session summary
		JsonNode session = get("/api/projects/" + RealDataLayout.SPOTTER + "/sessions").body().get("sessions").get(0);
		assertThat(session.has("slug")).isTrue();
		assertThat(session.get("slug").isNull()).isTrue();
		assertThat(session.get("skills_used").isArray()).isTrue();
		assertThat(session.get("skills_used")).isEmpty();
		// tools and prompts
		JsonNode tools = get(MAIN + "/tools").body().get("tools");
		assertThat(tools.size()).isPositive();
		long errors = 0;
		for (JsonNode t : tools) {
			assertThat(t.get("count").asLong()).as(t.get("name").asText()).isEqualTo(t.get("calls").asLong());
			assertThat(t.get("error_count").asLong()).isEqualTo(t.get("errors").asLong());
			errors += t.get("error_count").asLong();
		}
		assertThat(errors).isEqualTo(12);
		JsonNode projectTools = resultOf(get("/api/projects/" + RealDataLayout.SPOTTER + "/tools"));
		for (JsonNode t : projectTools.get("tools")) {
			assertThat(t.get("count").asLong()).as(t.get("name").asText()).isEqualTo(t.get("calls").asLong());
			assertThat(t.get("error_count").asLong()).isEqualTo(t.get("errors").asLong());
		}
		for (JsonNode c : get(MAIN + "/commands").body().get("commands")) {
			assertThat(c.get("estimated_tokens").asLong()).isEqualTo(c.get("tokens").asLong());
		}
	}

	/**
	 * A project's metrics (the original tracer's, summed over its sessions) cost what the
	 * projects list says, an exact sum, and each part is whole pico-USD (at most 12
	 * decimals as printed): adding the sessions' dollars as doubles gave
	 * {@code "input_cost":0.016232999999999997} (a trial, on the spotter project).
	 */
	@Test
	void aProjectsMetricsCostWhatTheProjectsListSays() throws Exception {
		indexed();
		JsonNode projects = get("/api/projects").body().get("projects");
		assertThat(projects).hasSizeGreaterThan(2);
		for (JsonNode project : projects) {
			String dir = project.get("path_hash").asText();
			JsonNode metrics = get("/api/projects/" + dir + "/metrics").body();
			assertThat(metrics.get("cost").get("total_cost").asDouble()).as(dir)
				.isEqualTo(project.get("total_cost").asDouble());
			metrics.get("cost")
				.fields()
				.forEachRemaining(
						(cost) -> assertThat(new BigDecimal(cost.getValue().asText()).scale()).as(dir + " " + cost)
							.isLessThanOrEqualTo(12));
		}
	}

	/**
	 * A project's days take the original's {@code start_date}, {@code end_date} and
	 * {@code days} as {@code from} and {@code to}.
	 */
	@Test
	void shouldTakeTheOriginalTracersDailyRange() throws Exception {
		indexed();
		String daily = "/api/metrics/daily/" + RealDataLayout.SNIFFLY + "?tz=UTC";
		JsonNode all = get(daily).body().get("metrics");
		assertThat(all.size()).isPositive();
		String day = all.get(0).get("date").asText();
		JsonNode one = get(daily + "&start_date=" + day + "&end_date=" + day).body();
		assertThat(one.get("metrics").findValuesAsText("date")).isNotEmpty().allMatch(day::equals);
		assertThat(sum(one, "message_count"))
			.isEqualTo(sum(get(daily + "&from=" + day + "&to=" + day).body(), "message_count"));
		assertThat(sum(one, "message_count")).isLessThanOrEqualTo(62).isPositive();
		// sniffly's days are long past: the last 3 days have none; 400 days is refused
		assertThat(get(daily + "&days=3").body().get("metrics")).isEmpty();
		assertThat(get(daily + "&days=400").status()).isEqualTo(400);
		assertThat(get(daily + "&days=0").status()).isEqualTo(400);
		// a malformed start is said by the name it was given
		Response bad = get(daily + "&start_date=2026-13-01");
		assertThat(bad.status()).isEqualTo(400);
		assertThat(bad.body().get("detail").asText()).startsWith("start_date ");
	}

	/**
	 * The global days filtered by {@code project_hash} are the project's own days; the
	 * project filter by the other endpoints' name is a 400 naming the right one, not
	 * every project's numbers (a trial's script got those).
	 */
	@Test
	void shouldFilterTheGlobalDaysByProjectAndRefuseAProjectFilterTheEndpointDoesNotTake() throws Exception {
		indexed();
		String project = RealDataLayout.SNIFFLY;
		JsonNode own = get("/api/metrics/daily/" + project + "?tz=UTC").body();
		JsonNode filtered = get("/api/metrics/daily?tz=UTC&project_hash=" + project).body();
		assertThat(sum(filtered, "message_count")).isPositive()
			.isEqualTo(sum(own, "message_count"))
			.isLessThan(sum(get("/api/metrics/daily?tz=UTC").body(), "message_count"));
		assertThat(filtered.get("metrics").findValuesAsText("date"))
			.isEqualTo(own.get("metrics").findValuesAsText("date"));
		for (String path : new String[] { "/api/metrics/daily?project=", "/api/metrics/aggregate?project=",
				"/api/metrics/blocks?project=" }) {
			Response wrong = get(path + project);
			assertThat(wrong.status()).as(path).isEqualTo(400);
			assertThat(wrong.body().get("detail").asText()).contains("project_hash");
		}
		Response export = get("/api/exports/daily?project_hash=" + project);
		assertThat(export.status()).isEqualTo(400);
		assertThat(export.body().get("detail").asText()).contains("the project filter here is project");
		assertThat(get("/api/exports/daily?format=json&project=" + project).status()).isEqualTo(200);
		// an encoded path maps to the same handler, and is judged by it
		Response encoded = get("/api/%6Detrics/daily?project=" + project);
		assertThat(encoded.status()).isEqualTo(400);
		assertThat(encoded.body().get("detail").asText()).contains("the project filter here is project_hash");
		// an endpoint without a project filter says so, for either name
		for (String name : new String[] { "project", "project_hash" }) {
			Response none = get("/api/metrics/pricing?" + name + "=" + project);
			assertThat(none.status()).isEqualTo(400);
			assertThat(none.body().get("detail").asText()).contains("this endpoint has no project filter");
		}
	}

}
