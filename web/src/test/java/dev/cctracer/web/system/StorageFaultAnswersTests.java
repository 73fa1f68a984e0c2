package dev.cctracer.web.system;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the app answers while its storage is at fault but its database still reads: the
 * disk counts as full (below {@code cctracer.storage.min-free}, here more than any disk
 * has) though H2 and every file still work. Answers from what is stored come (200, pages
 * with the fault's banner); a question that needs a new job is refused at once with 503
 * {@code Storage fault} naming the cause (a fault trial's export was recorded and
 * enqueued during a fault, then failed with the ingest's pause as its error).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class StorageFaultAnswersTests {

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("storage-fault-answers");
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.storage.min-free", () -> "1000000TB");
		registry.add("cctracer.storage.check-interval", () -> "1s");
	}

	@LocalServerPort
	int port;

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void storedAnswersComeAndNewJobsAre503NamingTheFault() throws Exception {
		RestClient http = RestClient.builder()
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
			})
			.build();
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
			ResponseEntity<String> health = http.get().uri("/health").retrieve().toEntity(String.class);
			assertThat(health.getStatusCode().value()).isEqualTo(503);
			assertThat(this.json.readTree(health.getBody()).path("storage").asText()).startsWith("disk full on ");
		});

		ResponseEntity<String> projects = http.get().uri("/api/projects").retrieve().toEntity(String.class);
		assertThat(projects.getStatusCode().value()).isEqualTo(200);
		ResponseEntity<String> page = http.get().uri("/").retrieve().toEntity(String.class);
		assertThat(page.getStatusCode().value()).isEqualTo(200);
		assertThat(page.getBody()).contains("id=\"storage-fault\"").contains("disk full on ");

		for (String[] ask : new String[][] { { "/api/queries", "{\"group_by\": [\"project\"]}" },
				{ "/api/search", "{\"q\": \"anything\"}" }, { "/api/exports", "{\"format\": \"csv\"}" } }) {
			ResponseEntity<String> refused = http.post()
				.uri(ask[0])
				.contentType(MediaType.APPLICATION_JSON)
				.header("X-Requested-By", "test")
				.body(ask[1])
				.retrieve()
				.toEntity(String.class);
			assertThat(refused.getStatusCode().value()).as(ask[0] + ": " + refused.getBody()).isEqualTo(503);
			JsonNode problem = this.json.readTree(refused.getBody());
			assertThat(problem.path("title").asText()).isEqualTo("Storage fault");
			assertThat(problem.path("detail").asText()).startsWith("disk full on ")
				.endsWith("the app recovers by itself once it is fixed, without a restart");
		}
	}

}
