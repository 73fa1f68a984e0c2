package dev.cctracer.web.job;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An on-demand job starts when it is enqueued, not at the next poll of JobRunr's server
 * ({@link PromptStart}): here the server polls every 10 minutes, and a search answers
 * long before.
 */
class PromptStartTests extends OwnRootWebTest {

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("prompt-start");
			Path project = Files.createDirectories(ROOT.resolve("claude/projects/-prompt"));
			Files.writeString(project.resolve("ffffffff-0000-4000-8000-0000000000b1.jsonl"),
					"{\"type\":\"user\",\"uuid\":\"ps-u1\",\"timestamp\":\"2026-03-05T10:00:00Z\",\"sessionId\":"
							+ "\"ffffffff-0000-4000-8000-0000000000b1\",\"message\":{\"role\":\"user\",\"content\":"
							+ "\"where is the CapybaraSwitch\"}}\n");
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("jobrunr.background-job-server.poll-interval-in-seconds", () -> "600");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void shouldStartASearchWhenItIsAskedForNotAtJobRunrsNextPoll() throws Exception {
		this.indexer.scanAndIngest();
		HttpResponse<String> accepted = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/search"))
				.header("X-Requested-By", "test")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"q\": \"capybaraswitch\"}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(accepted.statusCode()).isEqualTo(202);
		String status = this.json.readTree(accepted.body()).get("status_url").asText();
		// the server's last poll was at its start, its next 10 minutes later
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
			JsonNode job = get(status);
			return job.get("state").asText().equals("succeeded");
		});
		JsonNode result = get(get(status).get("result_url").asText());
		assertThat(result.get("hits")).hasSize(1);
		assertThat(result.get("hits").get(0).get("uuid").asText()).isEqualTo("ps-u1");
	}

	private JsonNode get(String path) throws Exception {
		return this.json.readTree(
				this.http
					.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
							HttpResponse.BodyHandlers.ofString())
					.body());
	}

}
