package dev.cctracer.web.analytics;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Full-text search over all transcripts as a job: hits link to their message, snippets
 * are redacted, and bad requests are refused.
 */
class SearchApiTests extends RealDataWebTest {

	@Test
	void shouldFindTextAcrossTranscriptsAndLinkToTheMessage() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search"));
		String key = "sk-ant-api03-" + "Q".repeat(40);
		Files.writeString(dir.resolve("ffffffff-0000-4000-8000-000000000001.jsonl"),
				"{\"type\":\"user\",\"uuid\":\"s-u1\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"sessionId\":"
						+ "\"ffffffff-0000-4000-8000-000000000001\",\"message\":{\"role\":\"user\",\"content\":"
						+ "\"the ZebraQuokka deploy uses " + key + "\"}}\n");
		indexed();
		JsonNode result = search("{\"q\": \"zebraquokka\"}");
		assertThat(result.get("hits")).hasSize(1);
		JsonNode hit = result.get("hits").get(0);
		assertThat(hit.get("project").asText()).isEqualTo("-search");
		assertThat(hit.get("uuid").asText()).isEqualTo("s-u1");
		assertThat(hit.get("snippet").asText()).contains("ZebraQuokka").contains("[REDACTED]").doesNotContain(key);
		assertThat(get(hit.get("link").asText()).body().get("content").asText()).contains("ZebraQuokka");
		// a real transcript: the prompt of the short session
		JsonNode real = search("{\"q\": \"phx.server\", \"project\": \"" + RealDataLayout.SPOTTER + "\"}");
		assertThat(real.get("hits").findValuesAsText("uuid")).contains("7d48cbd2-6615-4dd8-87f6-38f12b8167d6");
		for (String bad : new String[] { "{}", "{\"q\": \"x\"}", "{\"q\": \"ok\", \"project\": \"../x\"}",
				"{\"q\": \"ok\", \"limit\": 5}" }) {
			assertThat(postJson("/api/search", bad).status()).as(bad).isEqualTo(400);
		}
	}

	private JsonNode search(String body) throws Exception {
		return resultOf(postJson("/api/search", body));
	}

}
