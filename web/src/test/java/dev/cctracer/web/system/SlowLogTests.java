package dev.cctracer.web.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The slow log with a zero threshold: one line per slow request, slow statements and jobs
 * logged by name, and no transcript text in any log line (a canary string in a transcript
 * never appears).
 */
@ExtendWith(OutputCaptureExtension.class)
class SlowLogTests extends OwnRootWebTest {

	private static final String CANARY = "CANARY-9d1f-never-log-me";

	private static final String SESSION = "cafecafe-0000-4000-8000-000000000001";

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("slow-log");
			Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-canary"));
			Files.writeString(dir.resolve(SESSION + ".jsonl"), "{\"type\":\"user\",\"uuid\":\"c1\",\"sessionId\":\""
					+ SESSION
					+ "\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"message\":{\"role\":\"user\",\"content\":\"" + CANARY
					+ "\"}}\n{\"type\":\"assistant\",\"uuid\":\"c2\",\"requestId\":\"r\",\"timestamp\":\"2026-03-01T10:00:01Z\","
					+ "\"message\":{\"id\":\"m\",\"model\":\"claude-opus-4-6\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\","
					+ "\"name\":\"Bash\",\"input\":{\"command\":\"echo " + CANARY
					+ "\"}}],\"usage\":{\"output_tokens\":5}}}\n");
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.slow-threshold", () -> "0ms");
	}

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void shouldLogSlowWorkOnceByNameAndNeverTranscriptText(CapturedOutput output) throws Exception {
		// this class's own context started within the capture (its one test): the start
		// warns of nothing but what the app means (its loggers, d.c.… as Boot abbreviates
		// them: the slow log at a threshold of 0, the generated admin password) —
		// Spring's
		// post-processor check, Spring Security's ignored paths and springdoc's "on by
		// default" warned at every start
		assertThat(output.getAll()).contains("Started ");
		assertThat(output.getAll()
			.lines()
			.filter((l) -> l.contains(" WARN ") && !l.contains("] d.c.") && !l.contains("dev.cctracer.slow")))
			.isEmpty();
		this.indexer.scanAndIngest();
		int before = count(output.getOut(), "slow request GET /api/projects ");
		assertThat(send("GET", "/api/projects", null).statusCode()).isEqualTo(200);
		// the line is written when the filter returns, which may be just after the client
		// has the answer
		await().atMost(Duration.ofSeconds(5))
			.until(() -> count(output.getOut(), "slow request GET /api/projects ") == before + 1);
		Thread.sleep(200);
		assertThat(count(output.getOut(), "slow request GET /api/projects ")).isEqualTo(before + 1);
		assertThat(output.getOut()).contains("slow sql in ");
		// the ingest's batches run below the logging proxy and are reported all the same
		assertThat(output.getOut()).containsPattern("slow sql in \\d+ ms \\(batch of \\d+\\): INSERT INTO usage_copy");
		// read, search and query the transcript that holds the canary
		assertThat(send("GET", "/api/sessions/-canary/" + SESSION + "/messages", null).body()).contains(CANARY);
		assertThat(send("GET", "/api/sessions/-canary/" + SESSION + "/messages/c2", null).body()).contains(CANARY);
		String status = send("POST", "/api/search", "{\"q\": \"" + CANARY + "\"}").headers()
			.firstValue("Location")
			.orElseThrow();
		await().atMost(Duration.ofSeconds(60))
			.until(() -> send("GET", status, null).body().matches(".*\"state\":\"(succeeded|failed)\".*"));
		assertThat(send("GET", status, null).body()).contains("succeeded");
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("slow duckdb job search"));
		assertThat(output.getAll()).doesNotContain(CANARY);
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.header("X-Requested-By", "test")
			.header("Content-Type", "application/json");
		b = (body != null) ? b.method(method, HttpRequest.BodyPublishers.ofString(body))
				: b.method(method, HttpRequest.BodyPublishers.noBody());
		return this.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static int count(String text, String needle) {
		int n = 0;
		for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
			n++;
		}
		return n;
	}

}
