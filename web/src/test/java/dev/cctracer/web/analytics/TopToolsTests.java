package dev.cctracer.web.analytics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AnalyticsService#topToolsByCost}: the overview's top tools are the cached tool
 * statistics of {@code /api/tools}, the most expensive first, and nothing before a job
 * computed them.
 */
class TopToolsTests extends RealDataWebTest {

	@Autowired
	AnalyticsService analytics;

	@Test
	void topToolsAreTheCachedStatisticsByCostAndNeverAGuess() throws Exception {
		indexed();
		AnalyticsService.TopToolsDto before = this.analytics.topToolsByCost(3);
		if (!before.ready()) {
			assertThat(before.tools()).isEmpty();
			assertThat(before.url()).isEqualTo("/api/tools");
		}
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(200))
			.until(() -> get("/api/tools").status() == 200);
		List<JsonNode> tools = new ArrayList<>();
		get("/api/tools").body().get("tools").forEach(tools::add);
		tools.sort((a, b) -> Double.compare(b.get("cost").asDouble(), a.get("cost").asDouble()));
		AnalyticsService.TopToolsDto top = this.analytics.topToolsByCost(3);
		assertThat(top.ready()).isTrue();
		// computed for the current data
		assertThat(top.asOf()).isNull();
		assertThat(top.tools()).hasSize(3);
		for (int i = 0; i < 3; i++) {
			assertThat(top.tools().get(i).name()).isEqualTo(tools.get(i).get("name").asText());
			assertThat(top.tools().get(i).cost()).isEqualTo(tools.get(i).get("cost").asDouble());
			assertThat(top.tools().get(i).calls()).isEqualTo(tools.get(i).get("calls").asLong());
		}
		assertThat(top.tools().get(0).cost()).isGreaterThan(0);
		// a live session appends (a new data version, its statistics not computed): the
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-top-tools-live"));
		Files.writeString(dir.resolve("ffffffff-0000-4000-8000-0000000000aa.jsonl"),
				"{\"type\":\"user\",\"uuid\":\"t-u1\",\"timestamp\":\"2026-03-04T10:00:00Z\",\"message\":"
						+ "{\"role\":\"user\",\"content\":\"still typing\"}}\n");
		indexed();
		// page keeps showing those of a moment ago rather than none, and says when they
		// were computed
		AnalyticsService.TopToolsDto earlier = this.analytics.topToolsByCost(3);
		assertThat(earlier.tools()).isEqualTo(top.tools());
		assertThat(Instant.parse(earlier.asOf())).isBefore(Instant.now());
		assertThat(get("/api/tools").status()).isEqualTo(202);
	}

}
