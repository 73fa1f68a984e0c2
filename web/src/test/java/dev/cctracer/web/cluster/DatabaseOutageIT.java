package dev.cctracer.web.cluster;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The team's PostgreSQL goes away for a while under a running app (reliability anchor:
 * "DB unavailable for a while → health check goes DOWN"): health answers 503 naming the
 * database by host and port, the API and the pages answer 503 naming it, not a 500 (how
 * long they wait for a connection meanwhile: {@code StorageGuardTests}), transcripts keep
 * growing meanwhile; once PostgreSQL is back on its port the app recovers without a
 * restart and every message is counted once.
 */
class DatabaseOutageIT {

	private final PackagedApp app = new PackagedApp();

	private final ObjectMapper json = new ObjectMapper();

	private EmbeddedPostgres postgres;

	private Process process;

	@AfterEach
	void stop() throws Exception {
		this.app.close();
		if (this.process != null) {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		if (this.postgres != null) {
			this.postgres.close();
		}
	}

	@Test
	void whilePostgresIsAwayTheAppAnswers503AndRecoversByItselfWithExactTotals() throws Exception {
		Path root = Files.createTempDirectory("database-outage");
		Path pgData = root.resolve("pg-data");
		int pgPort = PackagedApp.freePort();
		this.postgres = postgres(root, pgData, pgPort);
		Path projects = root.resolve("claude/projects");
		int before = UsageLines.writeSessions(projects.resolve("-work-a"), "a", 8, 40);

		int port = PackagedApp.freePort();
		String base = "http://127.0.0.1:" + port;
		this.process = this.app.start(root.resolve("data"), root.resolve("claude"), root.resolve("app.log"), port,
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres",
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres",
				// as docs/operations.md has a team start it
				"--spring.datasource.hikari.connection-timeout=5000", "--cctracer.storage.check-interval=1s");
		await().atMost(Duration.ofSeconds(120))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> messages(base) == before);

		// PostgreSQL stops; transcripts keep growing meanwhile
		this.postgres.close();
		this.postgres = null;
		int during = UsageLines.writeSessions(projects.resolve("-work-b"), "b", 8, 40);
		Files.writeString(projects.resolve("-work-a/" + UsageLines.sessionId("a", 0) + ".jsonl"),
				UsageLines.lines("a-more", 0, 25), StandardOpenOption.APPEND);

		String named = "the PostgreSQL database at 127.0.0.1:" + pgPort;
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			HttpResponse<String> health = this.app.get(base + "/health");
			assertThat(health).isNotNull();
			assertThat(health.statusCode()).isEqualTo(503);
			JsonNode body = this.json.readTree(health.body());
			assertThat(body.path("database").asText()).isEqualTo("down");
			assertThat(body.path("storage").asText()).startsWith(named);
		});
		// answers come within the client's 20 s, as 503s that name the cause
		HttpResponse<String> api = this.app.get(base + "/api/projects");
		assertThat(api).as("an API answer while the database is away").isNotNull();
		assertThat(api.statusCode()).as(api.body()).isEqualTo(503);
		assertThat(api.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		assertThat(this.json.readTree(api.body()).path("detail").asText()).startsWith(named)
			.doesNotContain("postgres:postgres", "password");
		HttpResponse<String> page = this.app.get(base + "/projects");
		assertThat(page).as("a page while the database is away").isNotNull();
		assertThat(page.statusCode()).isEqualTo(503);
		assertThat(page.body()).contains(named).doesNotContain("Exception");

		// PostgreSQL comes back on its port with its data: the app recovers by itself,
		// nothing lost or counted twice
		this.postgres = postgres(root, pgData, pgPort);
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
			return this.app.status(base + "/health") == 200 && messages(base) == before + during + 25;
		});
		JsonNode aggregate = this.json.readTree(this.app.body(base + "/api/metrics/aggregate"));
		assertThat(aggregate.path("tokens").path("input_tokens").asLong())
			.isEqualTo((long) (before + during + 25) * UsageLines.INPUT_TOKENS);
		assertThat(this.json.readTree(this.app.get(base + "/health").body()).path("job_server").asText())
			.isEqualTo("running");
		String log = Files.readString(root.resolve("app.log"));
		assertThat(log).contains("storage fault: " + named).contains("storage recovered after");
		// the outage is told in lines of its own: no stack trace, no SQL text over
		// several lines
		assertThat(log.lines().filter((l) -> !l.matches("^\\d{4}-\\d\\d-\\d\\dT.*")).limit(5))
			.as(log.lines().filter((l) -> l.contains(" ERROR ") || l.contains(" WARN ")).toList().toString())
			.isEmpty();
		assertThat(this.process.isAlive()).isTrue();
	}

	/** PostgreSQL on {@code port} with its data in {@code data}, kept between starts. */
	private static EmbeddedPostgres postgres(Path root, Path data, int port) throws IOException {
		return EmbeddedPostgres.builder()
			.setOverrideWorkingDirectory(root.resolve("pg").toFile())
			.setDataDirectory(data)
			.setCleanDataDirectory(false)
			.setPort(port)
			.start();
	}

	private long messages(String base) throws IOException {
		String body = this.app.body(base + "/api/metrics/aggregate");
		return body.isEmpty() ? -1 : this.json.readTree(body).path("message_count").asLong(-1);
	}

}
