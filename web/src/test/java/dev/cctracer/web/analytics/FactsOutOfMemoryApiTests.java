package dev.cctracer.web.analytics;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facts writer out of memory ({@code cctracer.duckdb.writer-memory-limit} far below a
 * batch of a 40 MB session): the incremental totals are served, and every analytic says
 * which setting to raise — a search stream as problem details (503), not an empty 500,
 * and a query job as its error.
 */
class FactsOutOfMemoryApiTests extends OwnRootWebTest {

	private static final Path OWN;

	static {
		try {
			OWN = Files.createTempDirectory("facts-oom");
			Path file = Files.createDirectories(OWN.resolve("claude/projects/-long"))
				.resolve("aaaaaaaa-0000-4000-8000-000000000040.jsonl");
			StringBuilder lines = new StringBuilder();
			lines.append("{\"type\":\"assistant\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"requestId\":\"r1\",")
				.append("\"message\":{\"id\":\"m1\",\"model\":\"claude-sonnet-4-5\",")
				.append("\"usage\":{\"input_tokens\":1,\"output_tokens\":42},\"content\":\"needle\"}}\n");
			String filler = "{\"type\":\"user\",\"timestamp\":\"2026-11-02T10:01:00Z\",\"message\":{\"role\":\"user\",\"content\":\""
					+ "f".repeat(64 * 1024) + "\"}}\n";
			while (lines.length() < (40 << 20)) {
				lines.append(filler);
			}
			Files.writeString(file, lines, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@DynamicPropertySource
	static void outOfMemory(DynamicPropertyRegistry registry) {
		registry.add("cctracer.claude-dirs", () -> OWN.resolve("claude").toString());
		registry.add("cctracer.data-dir", () -> OWN.resolve("data").toString());
		registry.add("cctracer.duckdb.writer-memory-limit", () -> "16MB");
	}

	@Autowired
	JdbcClient jdbc;

	private final ObjectMapper json = new ObjectMapper();

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void everyAnalyticNamesTheSettingToRaiseWhileTheTotalsAreServed(CapturedOutput output) throws Exception {
		this.indexer.scanAndIngest();
		JsonNode projects = this.json.readTree(get("/api/projects").body());
		assertThat(projects.get("projects")).singleElement()
			.satisfies((p) -> assertThat(p.get("tokens").get("output_tokens").asLong()).isEqualTo(42));

		HttpResponse<String> search = get("/api/search/stream?q=needle");
		assertThat(search.statusCode()).as(search.body()).isEqualTo(503);
		assertThat(search.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		assertThat(search.body()).contains("cctracer.duckdb.writer-memory-limit=16MB");

		HttpResponse<String> query = postQuery();
		assertThat(query.statusCode()).as(query.body()).isEqualTo(202);
		String status = this.json.readTree(query.body()).get("status_url").asText();
		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.json.readTree(get(status).body()).get("state").asText().matches("succeeded|failed"));
		JsonNode state = this.json.readTree(get(status).body());
		assertThat(state.get("state").asText()).isEqualTo("failed");
		assertThat(state.get("error").asText()).contains("cctracer.duckdb.writer-memory-limit=16MB")
			.doesNotContain("SET memory_limit");
		// the log says so in one line, no stack trace
		String id = status.substring(status.lastIndexOf('/') + 1);
		assertThat(output)
			.contains("job 'Analytics query' (" + id + ") failed: FactsOutOfMemoryException: "
					+ "the facts writer ran out of memory at cctracer.duckdb.writer-memory-limit=16MB")
			.doesNotContain("\tat org.jobrunr");
		// asked again at the same data version, a job that failed for good is run again
		// (after a raised limit and a restart it would succeed), not answered from the
		// failure
		HttpResponse<String> again = postQuery();
		assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
		String againStatus = this.json.readTree(again.body()).get("status_url").asText();
		assertThat(againStatus).isNotEqualTo(status);
		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.json.readTree(get(againStatus).body()).get("state").asText().equals("failed"));
		// a job cut off before it could record why (its process stopped, its storage
		// failed), failed by JobRunr as an orphan: asked again, a new job too, not the
		// failed one for as long as the data does not change (a fault trial)
		String againId = againStatus.substring(againStatus.lastIndexOf('/') + 1);
		this.jdbc.sql("UPDATE job_request SET error = NULL WHERE id = :id").param("id", againId).update();
		HttpResponse<String> third = postQuery();
		assertThat(third.statusCode()).as(third.body()).isEqualTo(202);
		assertThat(this.json.readTree(third.body()).get("status_url").asText()).isNotIn(status, againStatus);
	}

	private HttpResponse<String> postQuery() throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri("/api/queries"))
			.header("Content-Type", "application/json")
			.header("X-Requested-By", "test")
			.POST(HttpRequest.BodyPublishers.ofString("{\"group_by\":[\"project\"]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

}
