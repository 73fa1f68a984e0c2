package dev.cctracer.web.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Heavy endpoints past their limit answer 429 with Retry-After; other endpoints are not
 * limited.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RateLimitTests {

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("rate-limit");
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "3");
	}

	@LocalServerPort
	int port;

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void shouldAnswer429WithRetryAfterPastTheLimitOfHeavyEndpointsOnly() throws Exception {
		for (int i = 0; i < 3; i++) {
			assertThat(query().statusCode()).isIn(200, 202);
		}
		HttpResponse<String> limited = query();
		assertThat(limited.statusCode()).isEqualTo(429);
		assertThat(Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 60L);
		assertThat(limited.body()).contains("Too many requests");
		for (int i = 0; i < 10; i++) {
			assertThat(get("/api/projects").statusCode()).isEqualTo(200);
		}
		// the search page runs the API's search: limited alike, answered as a page; its
		// form alone is not limited
		HttpResponse<String> page = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/search?q=needle"))
				.header("Accept", "text/html")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(page.statusCode()).isEqualTo(429);
		assertThat(page.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/html");
		assertThat(page.headers().firstValue("Retry-After")).isPresent();
		assertThat(page.body()).contains("Too many requests")
			.contains("heavy endpoints allow 3 requests a minute; retry after");
		// a script asking for the page gets the problem JSON of the API
		HttpResponse<String> script = get("/search?q=needle");
		assertThat(script.statusCode()).isEqualTo(429);
		// JSON in UTF-8, not the servlet writer's default ISO-8859-1
		assertThat(script.headers().firstValue("Content-Type").orElseThrow())
			.isEqualTo("application/problem+json;charset=UTF-8");
		assertThat(script.body()).contains("\"title\":\"Too many requests\"");
		assertThat(get("/search").statusCode()).isEqualTo(200);
		// nor the page of a job it polled, which starts nothing
		HttpResponse<String> polled = get("/search?q=needle&job=" + UUID.randomUUID());
		assertThat(polled.statusCode()).isEqualTo(200);
		assertThat(polled.body()).contains("The result of this search is no longer kept");
	}

	private HttpResponse<String> query() throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/queries"))
			.header("X-Requested-By", "test")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"group_by\": [\"model\"]}"))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
