package dev.cctracer.web.analytics;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tool statistics per project and globally (a DuckDB job) equal the per-session
 * statistics (the Java transcript indexes) summed: two independent implementations of the
 * same counts.
 */
class ToolStatsApiTests extends RealDataWebTest {

	@Test
	void shouldComputeProjectToolsAsAJobThatMatchesTheSessions() throws Exception {
		indexed();
		String url = "/api/projects/" + RealDataLayout.SPOTTER + "/tools";
		Response first = get(url);
		JsonNode stats;
		if (first.status() == 202) {
			String status = first.body().get("status_url").asText();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> get(status).body().get("state").asText().matches("succeeded|failed"));
			assertThat(get(status).body().get("state").asText()).as("%s", get(status).body()).isEqualTo("succeeded");
			stats = get(url).body();
		}
		else {
			stats = first.body();
		}
		// answered from the cache now
		assertThat(get(url).status()).isEqualTo(200);
		Map<String, long[]> fromSessions = new HashMap<>();
		for (JsonNode s : get("/api/projects/" + RealDataLayout.SPOTTER + "/sessions?limit=500").body()
			.get("sessions")) {
			for (JsonNode t : get(
					"/api/sessions/" + RealDataLayout.SPOTTER + "/" + s.get("session_id").asText() + "/tools")
				.body()
				.get("tools")) {
				long[] acc = fromSessions.computeIfAbsent(t.get("name").asText(), (k) -> new long[2]);
				acc[0] += t.get("calls").asLong();
				acc[1] += t.get("errors").asLong();
			}
		}
		Map<String, long[]> fromJob = new HashMap<>();
		for (JsonNode t : stats.get("tools")) {
			fromJob.put(t.get("name").asText(), new long[] { t.get("calls").asLong(), t.get("errors").asLong() });
			assertThat(t.get("cost").asDouble()).isGreaterThanOrEqualTo(0);
		}
		assertThat(fromJob.keySet()).isEqualTo(fromSessions.keySet());
		fromSessions.forEach((name, v) -> assertThat(fromJob.get(name)).as(name).containsExactly(v));
		assertThat(find(stats.get("tools"), "name", "Bash").get("calls").asLong()).isGreaterThanOrEqualTo(120);
		assertThat(find(stats.get("tools"), "name", "Bash").get("p95_duration_seconds").asDouble()).isPositive();
		// the project's failed calls themselves: each once, most recent first, the two
		// that short.jsonl's user declined among them (hand-checked in the file)
		JsonNode failures = stats.get("recent_failures");
		assertThat(failures).hasSize((int) fromJob.values().stream().mapToLong((v) -> v[1]).sum());
		assertThat(failures.findValuesAsText("kind")).filteredOn("declined"::equals).hasSize(2);
		assertThat(failures.findValuesAsText("project")).containsOnly(RealDataLayout.SPOTTER);
		for (int i = 1; i < failures.size(); i++) {
			assertThat(failures.get(i).get("timestamp").asLong())
				.isLessThanOrEqualTo(failures.get(i - 1).get("timestamp").asLong());
		}
		assertThat(get("/api/projects/-no-such-project/tools").status()).isEqualTo(404);
		// over all projects: TodoWrite is called in three real transcripts (33 distinct
		// calls,
		// counted with Python over ../shared/realdata)
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> get("/api/tools").status() == 200);
		JsonNode all = get("/api/tools").body();
		assertThat(all.get("scope").asText()).isEqualTo("all");
		assertThat(all.get("total_calls").asLong()).isGreaterThan(stats.get("total_calls").asLong());
		assertThat(find(all.get("tools"), "name", "TodoWrite").get("calls").asLong()).isEqualTo(33);
	}

}
