package dev.cctracer.web.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged app killed with SIGKILL (the power cut, the OOM killer, {@code kill -9})
 * on its default embedded H2 database, as a user meets it at the next start (reliability
 * anchor "kill -9 during write loop → reopen succeeds; committed rows present; offsets
 * and totals consistent"): once in the middle of the first index, once while the facts of
 * the logs are being written. Each next start opens the same database (nothing moved
 * aside, no rebuild), reads on from what was committed, and the totals, and an analytic
 * read from the facts, equal the generator's ground truth exactly.
 */
class CrashRecoveryIT {

	private final PackagedApp app = new PackagedApp();

	private final ObjectMapper json = new ObjectMapper();

	@AfterEach
	void stop() {
		this.app.close();
	}

	@Test
	void killedDuringTheFirstIndexAndDuringItsFactsTheAppReopensItsDatabaseWithExactTotals() throws Exception {
		Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
		Path root = Files.createTempDirectory("crash-recovery");
		GroundTruth truth = new DatasetGenerator(DatasetGenerator.Spec.small().scaled(10))
			.generate(root.resolve("claude"));
		Path data = root.resolve("data");
		// a transcript whose last line is being written when the kills come: half of a
		// response, completed at the end
		Path growing = Files.createDirectories(root.resolve("claude/projects/-crash-growing"))
			.resolve(UsageLines.sessionId("g", 0) + ".jsonl");
		String line = UsageLines.lines("g", 0, 1);
		Files.writeString(growing, line.substring(0, line.length() / 2));

		// killed once the first index has committed half the logs or more, not all
		int port = PackagedApp.freePort();
		String base = "http://127.0.0.1:" + port;
		Process first = start(root, "first.log", port);
		long seen = -1;
		while (seen < truth.global.messages / 2) {
			assertThat(first.isAlive()).as("the app exited; see first.log").isTrue();
			seen = messages(base);
			Thread.sleep(10);
		}
		first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
		assertThat(seen).as("messages counted when killed: the first index was not caught in its middle")
			.isLessThan(truth.global.messages);

		// killed once the first batch of facts is on disk, before the facts are recorded
		// whole
		int again = PackagedApp.freePort();
		String base2 = "http://127.0.0.1:" + again;
		Process second = start(root, "second.log", again);
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(5))
			.failFast("the app exited; see second.log", () -> !second.isAlive())
			.until(() -> parquetFiles(data) > 0);
		second.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

		int last = PackagedApp.freePort();
		String base3 = "http://127.0.0.1:" + last;
		start(root, "third.log", last);
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> this.app.status(base3 + "/health") == 200 && messages(base3) == truth.global.messages);
		JsonNode totals = this.json.readTree(this.app.body(base3 + "/api/metrics/aggregate"));
		assertThat(totals.get("tokens").get("input_tokens").asLong()).isEqualTo(truth.global.usage.input());
		assertThat(totals.get("tokens").get("output_tokens").asLong()).isEqualTo(truth.global.usage.output());
		assertThat(totals.get("tokens").get("cache_read_input_tokens").asLong())
			.isEqualTo(truth.global.usage.cacheRead());
		assertThat(totals.get("total_cost").asDouble()).isEqualTo(truth.global.costPico / 1e12);
		// the same database all along: nothing moved aside, nothing rebuilt
		assertThat(data.resolve("recovery.json")).doesNotExist();
		try (Stream<Path> files = Files.list(data.resolve("db"))) {
			assertThat(files.map((p) -> p.getFileName().toString()).toList()).noneMatch((n) -> n.contains("corrupt"));
		}
		// an analytic of the facts (DuckDB over the Parquet batches, those the kill cut
		// included) counts each project exactly
		JsonNode rows = query(base3, "{\"group_by\": [\"project\"]}").get("rows");
		// (the growing transcript's project has no message yet)
		assertThat(rows).hasSize(truth.projects.size());
		for (JsonNode row : rows) {
			GroundTruth.Totals want = truth.projects.get(row.get("project").asText());
			assertThat(want).as(row.toString()).isNotNull();
			assertThat(row.get("messages").asLong()).as(row.toString()).isEqualTo(want.messages);
			assertThat(Math.round(row.get("cost").asDouble() * 1e6)).as(row.toString())
				.isEqualTo(Math.round(want.costPico / 1e6));
		}
		// the half line, completed after the crashes, counts once
		Files.writeString(growing, line.substring(line.length() / 2), StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> messages(base3) == truth.global.messages + 1);
		JsonNode grown = this.json.readTree(this.app.body(base3 + "/api/metrics/aggregate"));
		assertThat(grown.get("tokens").get("input_tokens").asLong())
			.isEqualTo(truth.global.usage.input() + UsageLines.INPUT_TOKENS);
		for (String log : List.of("second.log", "third.log")) {
			assertThat(Files.readAllLines(root.resolve(log))).as(log)
				.noneMatch((l) -> l.startsWith("\tat ") || l.contains(" ERROR "));
		}
		assertThat(base).isNotEqualTo(base2);
	}

	private Process start(Path root, String log, int port) throws IOException {
		return this.app.start(root.resolve("data"), root.resolve("claude"), root.resolve(log), port,
				"--cctracer.web.admin-password=crash-recovery");
	}

	private long messages(String base) throws IOException {
		String body = this.app.body(base + "/api/metrics/aggregate");
		return body.isEmpty() ? -1 : this.json.readTree(body).path("message_count").asLong(-1);
	}

	private static long parquetFiles(Path data) throws IOException {
		if (!Files.isDirectory(data.resolve("facts"))) {
			return 0;
		}
		try (Stream<Path> files = Files.walk(data.resolve("facts"))) {
			return files.filter((f) -> f.toString().endsWith(".parquet")).count();
		}
	}

	/** Posts an analytics query and follows its job to the result. */
	private JsonNode query(String base, String body) throws Exception {
		HttpResponse<String> posted = this.app.send(HttpRequest.newBuilder(URI.create(base + "/api/queries"))
			.header("Content-Type", "application/json")
			.header("X-Requested-By", "test")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build());
		assertThat(posted.statusCode()).as(posted.body()).isIn(200, 202);
		if (posted.statusCode() == 200) {
			return this.json.readTree(posted.body());
		}
		String status = base + this.json.readTree(posted.body()).path("status_url").asText();
		await().atMost(Duration.ofMinutes(2))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> this.json.readTree(this.app.body(status)).path("state").asText().equals("succeeded"));
		String result = base + this.json.readTree(this.app.body(status)).path("result_url").asText();
		return this.json.readTree(this.app.body(result));
	}

}
