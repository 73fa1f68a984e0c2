package dev.cctracer.web.usage;

import java.util.ArrayList;
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
		List<TopSessionsService.RankedSubagentDto> ranked = this.top.mostExpensiveSubagents(Period.all(), 1000,
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
		assertThat(this.top.mostExpensiveSubagents(Period.all(), 2, CostMode.CALCULATE))
			.containsExactlyElementsOf(ranked.subList(0, 2));
	}

}
