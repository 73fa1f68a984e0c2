package dev.cctracer.web.usage;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;

/**
 * The most expensive subagents across every session, on the real transcripts: the same
 * costs and messages as each session's own breakdown ({@code /api/sessions/{p}/{s}}'s
 * agents), the most expensive first.
 */
class TopSubagentsTests extends RealDataWebTest {

	@Autowired
	TopSessionsService top;

	@Test
	void theMostExpensiveSubagentsAreEachSessionsOwnSubagentsRankedByCost() throws Exception {
		indexed();
		// every subagent of every session, as the session API breaks it down
		List<double[]> fromSessions = new ArrayList<>();
		List<String> ids = new ArrayList<>();
		for (JsonNode project : get("/api/projects").body().get("projects")) {
			String p = project.get("path_hash").asText();
			for (JsonNode s : get("/api/projects/" + p + "/sessions?limit=500").body().get("sessions")) {
				JsonNode session = get("/api/sessions/" + p + "/" + s.get("session_id").asText()).body();
				for (JsonNode agent : session.get("agents")) {
					if (agent.hasNonNull("agent_id")) {
						fromSessions.add(new double[] { agent.get("cost").get("total_cost").asDouble(),
								agent.get("message_count").asDouble() });
						ids.add(p + "/" + s.get("session_id").asText() + "/" + agent.get("agent_id").asText());
					}
				}
			}
		}
		assertThat(fromSessions).hasSizeGreaterThan(3);
		List<TopSessionsService.RankedSubagentDto> ranked = this.top.mostExpensiveSubagents(null, Period.all(), 1000,
				CostMode.CALCULATE);
		assertThat(ranked).hasSize(fromSessions.size());
		for (int i = 1; i < ranked.size(); i++) {
			assertThat(ranked.get(i).cost()).isLessThanOrEqualTo(ranked.get(i - 1).cost());
		}
		for (TopSessionsService.RankedSubagentDto a : ranked) {
			int at = ids.indexOf(a.project() + "/" + a.sessionId() + "/" + a.agentId());
			assertThat(at).as("%s in its session's breakdown", a).isNotNegative();
			assertThat(a.cost()).isCloseTo(fromSessions.get(at)[0], offset(1e-9));
			assertThat((double) a.messages()).isEqualTo(fromSessions.get(at)[1]);
		}
		assertThat(this.top.mostExpensiveSubagents(null, Period.all(), 2, CostMode.CALCULATE))
			.containsExactlyElementsOf(ranked.subList(0, 2));
		// the same list in the API, in the same order
		JsonNode api = get("/api/subagents?limit=500").body().get("subagents");
		assertThat(api).hasSize(ranked.size());
		for (int i = 0; i < ranked.size(); i++) {
			TopSessionsService.RankedSubagentDto a = ranked.get(i);
			assertThat(api.get(i).get("path_hash").asText() + "/" + api.get(i).get("session_id").asText() + "/"
					+ api.get(i).get("agent_id").asText())
				.isEqualTo(a.project() + "/" + a.sessionId() + "/" + a.agentId());
			assertThat(api.get(i).get("cost").asDouble()).isEqualTo(a.cost());
			assertThat(api.get(i).get("message_count").asLong()).isEqualTo(a.messages());
			assertThat(api.get(i).get("name").asText()).isEqualTo(a.name());
		}
		// a compaction's transcript logs no type: named by its id's prefix, as on its
		// session's page (the list had shown the bare id)
		assertThat(ranked).filteredOn((a) -> a.agentId().startsWith("acompact"))
			.isNotEmpty()
			.allSatisfy((a) -> assertThat(a.name()).isEqualTo("compaction " + a.agentId()));
		assertThat(get("/api/subagents?limit=2").body().get("subagents")).hasSize(2);
		assertThat(get("/api/subagents?limit=0").status()).isEqualTo(400);
		assertThat(get("/api/subagents?limit=501").body().get("detail").asText()).contains("limit must be 1 to 500");
		// its OpenAPI description gives the bounds
		JsonNode limit = null;
		for (JsonNode p : get("/api/docs/openapi.json").body().at("/paths/~1api~1subagents/get/parameters")) {
			limit = p.get("name").asText().equals("limit") ? p : limit;
		}
		assertThat(limit).isNotNull();
		assertThat(limit.at("/schema/minimum").asInt()).isEqualTo(1);
		assertThat(limit.at("/schema/maximum").asInt()).isEqualTo(500);
		assertThat(get("/api/subagents?origin=no-such-machine").status()).isEqualTo(404);
	}

	/**
	 * The overview's top projects are ranked by their usage in its range: over all time
	 * each project's own totals, and split at a day each project's cost falls on one side
	 * or the other, none lost nor counted twice; a project with no usage in a range is
	 * not listed (the panel was every project's all-time cost under a 30-day range).
	 */
	@Test
	void theMostExpensiveProjectsAreRankedByTheirUsageInTheRange() throws Exception {
		indexed();
		ZoneId utc = ZoneId.of("UTC");
		JsonNode projects = get("/api/projects").body().get("projects");
		List<TopSessionsService.RankedProjectDto> all = this.top.mostExpensiveProjects(null, Period.all(), 1000,
				CostMode.CALCULATE);
		assertThat(all).hasSize(projects.size());
		for (int i = 1; i < all.size(); i++) {
			assertThat(all.get(i).cost()).isLessThanOrEqualTo(all.get(i - 1).cost());
		}
		for (JsonNode p : projects) {
			TopSessionsService.RankedProjectDto ranked = all.stream()
				.filter((r) -> r.project().pathHash().equals(p.get("path_hash").asText()))
				.findFirst()
				.orElseThrow();
			assertThat(ranked.cost()).isCloseTo(p.get("total_cost").asDouble(), offset(1e-9));
			assertThat(ranked.totalTokens()).isEqualTo(p.get("total_tokens").asLong());
			// its sessions with usage: at least one, at most every session it has
			assertThat(ranked.sessions()).isPositive().isLessThanOrEqualTo(p.get("session_count").asLong());
		}
		// split the history at the day of the latest first activity of a project: the
		// projects before it and after it
		LocalDate split = LocalDate.ofInstant(Instant
			.parse(all.stream().map((r) -> r.project().firstActivity()).max(Comparator.naturalOrder()).orElseThrow()),
				utc);
		List<TopSessionsService.RankedProjectDto> before = this.top.mostExpensiveProjects(null,
				Period.days(null, split.minusDays(1), utc), 1000, CostMode.CALCULATE);
		List<TopSessionsService.RankedProjectDto> after = this.top.mostExpensiveProjects(null,
				Period.days(split, null, utc), 1000, CostMode.CALCULATE);
		assertThat(before).as("a project that started on the split day has no usage before it")
			.hasSizeLessThan(all.size());
		for (TopSessionsService.RankedProjectDto p : all) {
			double parts = before.stream()
				.filter((r) -> r.project().pathHash().equals(p.project().pathHash()))
				.mapToDouble(TopSessionsService.RankedProjectDto::cost)
				.sum()
					+ after.stream()
						.filter((r) -> r.project().pathHash().equals(p.project().pathHash()))
						.mapToDouble(TopSessionsService.RankedProjectDto::cost)
						.sum();
			assertThat(parts).as(p.project().pathHash()).isCloseTo(p.cost(), offset(1e-9));
		}
		assertThat(this.top.mostExpensiveProjects(null, Period.all(), 1, CostMode.CALCULATE))
			.containsExactly(all.get(0));
	}

	/**
	 * The overview's top sessions are ranked by their usage in its range, as its top
	 * projects: over all time each session's own totals (those of its session list), and
	 * split at the middle of the longest session, each side holds its share, none lost
	 * nor counted twice (the list had ranked sessions active in a "today" range by their
	 * whole cost).
	 */
	@Test
	void theMostExpensiveSessionsAreRankedByTheirUsageInTheRange() throws Exception {
		indexed();
		ZoneId utc = ZoneId.of("UTC");
		List<TopSessionsService.RankedSessionDto> all = this.top.mostExpensive(null, Period.all(), 1000,
				CostMode.CALCULATE);
		int listed = 0;
		long longest = 0;
		Long split = null;
		for (JsonNode project : get("/api/projects").body().get("projects")) {
			String p = project.get("path_hash").asText();
			for (JsonNode s : get("/api/projects/" + p + "/sessions?limit=500").body().get("sessions")) {
				if (s.get("message_count").asLong() == 0) {
					continue;
				}
				listed++;
				TopSessionsService.RankedSessionDto ranked = all.stream()
					.filter((r) -> r.project().equals(p)
							&& r.session().sessionId().equals(s.get("session_id").asText()))
					.findFirst()
					.orElseThrow();
				assertThat(ranked.cost()).isCloseTo(s.get("cost").get("total_cost").asDouble(), offset(1e-9));
				assertThat(ranked.totalTokens()).isEqualTo(s.get("total_tokens").asLong());
				long first = Instant.parse(s.get("start_time").asText()).toEpochMilli();
				long last = Instant.parse(s.get("end_time").asText()).toEpochMilli();
				if (last - first > longest) {
					longest = last - first;
					split = first + (last - first) / 2;
				}
			}
		}
		assertThat(all).hasSize(listed);
		for (int i = 1; i < all.size(); i++) {
			assertThat(all.get(i).cost()).isLessThanOrEqualTo(all.get(i - 1).cost());
		}
		assertThat(split).isNotNull();
		List<TopSessionsService.RankedSessionDto> before = this.top.mostExpensive(null, new Period(utc, null, split),
				1000, CostMode.CALCULATE);
		List<TopSessionsService.RankedSessionDto> after = this.top.mostExpensive(null, new Period(utc, split, null),
				1000, CostMode.CALCULATE);
		int onBothSides = 0;
		for (TopSessionsService.RankedSessionDto s : all) {
			String key = s.project() + "/" + s.session().sessionId();
			List<TopSessionsService.RankedSessionDto> parts = new ArrayList<>(before);
			parts.addAll(after);
			parts.removeIf((r) -> !(r.project() + "/" + r.session().sessionId()).equals(key));
			assertThat(parts.stream().mapToDouble(TopSessionsService.RankedSessionDto::cost).sum()).as(key)
				.isCloseTo(s.cost(), offset(1e-9));
			assertThat(parts.stream().mapToLong(TopSessionsService.RankedSessionDto::totalTokens).sum()).as(key)
				.isEqualTo(s.totalTokens());
			// each side lists the session as a whole, beside its share
			assertThat(parts)
				.allSatisfy((r) -> assertThat(r.session().cost().totalCost()).isCloseTo(s.cost(), offset(1e-9)));
			onBothSides += (parts.size() == 2) ? 1 : 0;
		}
		assertThat(onBothSides).as("sessions with usage on both sides of " + Instant.ofEpochMilli(split)).isPositive();
		for (List<TopSessionsService.RankedSessionDto> side : List.of(before, after)) {
			assertThat(side).hasSizeLessThan(all.size());
			for (int i = 1; i < side.size(); i++) {
				assertThat(side.get(i).cost()).isLessThanOrEqualTo(side.get(i - 1).cost());
			}
		}
	}

}
