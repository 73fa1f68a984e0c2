package dev.cctracer.web.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/**
 * A full disk under the data dir, for real: the data dir is a small tmpfs (root only; CI
 * runs as root), filled to the last byte while transcripts grow. Health names the cause,
 * ingest pauses; once the filler is deleted the app recovers by itself (database
 * reopened, JobRunr's background server running again) and the totals are exact: every
 * message written meanwhile is counted once.
 */
class StorageFaultsIT {

	private final PackagedApp app = new PackagedApp();

	private final ObjectMapper json = new ObjectMapper();

	private Process process;

	private Path mount;

	@AfterEach
	void stop() throws Exception {
		this.app.close();
		if (this.process != null) {
			this.process.waitFor(30, TimeUnit.SECONDS);
		}
		if (this.mount != null) {
			new ProcessBuilder("umount", this.mount.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
		}
	}

	@Test
	void aFullDiskPausesIngestAndTheAppRecoversByItselfWithExactTotals() throws Exception {
		Path root = Files.createTempDirectory("storage-faults");
		Path mountPoint = Files.createDirectories(root.resolve("mnt"));
		Process mounting = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint.toString())
			.redirectErrorStream(true)
			.start();
		boolean mounted = mounting.waitFor(30, TimeUnit.SECONDS) && mounting.exitValue() == 0;
		assumeThat(mounted).as("mounting a tmpfs needs root: " + new String(mounting.getInputStream().readAllBytes()))
			.isTrue();
		this.mount = mountPoint;
		Path dataDir = mountPoint.resolve("data");
		Path projects = root.resolve("claude/projects");
		int before = UsageLines.writeSessions(projects.resolve("-work-a"), "a", 8, 40);

		int port = PackagedApp.freePort();
		String base = "http://127.0.0.1:" + port;
		this.process = this.app.start(dataDir, root.resolve("claude"), root.resolve("app.log"), port,
				"--cctracer.storage.check-interval=1s");
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> messages(base) == before);

		// the disk fills to the last byte; transcripts keep growing meanwhile
		Path filler = mountPoint.resolve("filler");
		try (OutputStream out = Files.newOutputStream(filler)) {
			byte[] chunk = new byte[64 * 1024];
			while (true) {
				out.write(chunk);
			}
		}
		catch (IOException full) {
			// no space left: what this test wants
		}
		int during = UsageLines.writeSessions(projects.resolve("-work-b"), "b", 8, 40);
		Files.writeString(projects.resolve("-work-a/" + UsageLines.sessionId("a", 0) + ".jsonl"),
				UsageLines.lines("a-more", 0, 25), StandardOpenOption.APPEND);

		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
			HttpResponse<String> health = this.app.get(base + "/health");
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(this.json.readTree(health.body()).path("storage").asText())
				.startsWith("disk full on " + dataDir);
		});

		// H2 closed the database and JobRunr's background server stopped itself for good
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> this.json.readTree(this.app.get(base + "/health").body())
				.path("job_server")
				.asText()
				.equals("stopped"));

		// space returns: the app recovers without a restart, nothing lost or counted
		// twice
		Files.delete(filler);
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
			return this.app.status(base + "/health") == 200 && messages(base) == before + during + 25;
		});
		JsonNode aggregate = this.json.readTree(this.app.body(base + "/api/metrics/aggregate"));
		assertThat(aggregate.path("tokens").path("input_tokens").asLong())
			.isEqualTo((long) (before + during + 25) * UsageLines.INPUT_TOKENS);

		// JobRunr's background server runs jobs again
		HttpResponse<String> query = this.app.send(HttpRequest.newBuilder(URI.create(base + "/api/queries"))
			.header("Content-Type", "application/json")
			.header("X-Requested-By", "test")
			.POST(HttpRequest.BodyPublishers.ofString("{\"group_by\": [\"project\"]}"))
			.build());
		assertThat(query.statusCode()).as(query.body()).isIn(200, 202);
		if (query.statusCode() == 202) {
			String status = base + this.json.readTree(query.body()).path("status_url").asText();
			await().atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(500))
				.until(() -> this.json.readTree(this.app.body(status)).path("state").asText().equals("succeeded"));
		}
		String log = Files.readString(root.resolve("app.log"));
		assertThat(log).contains("storage fault: disk full on " + dataDir)
			.contains("JobRunr's background server started again")
			.contains("storage recovered after");
		assertThat(this.json.readTree(this.app.get(base + "/health").body()).path("job_server").asText())
			.isEqualTo("running");
		// the outage is told in lines of its own, never a stack trace (JobRunr's own
		// "FATAL … Shutting down" came with one)
		assertThat(log.lines().filter((l) -> l.startsWith("\tat ") || l.startsWith("Caused by: ")).limit(5))
			.as(log.lines().filter((l) -> l.contains(" ERROR ") || l.contains(" WARN ")).toList().toString())
			.isEmpty();
	}

	private long messages(String base) throws IOException {
		String body = this.app.body(base + "/api/metrics/aggregate");
		return body.isEmpty() ? -1 : this.json.readTree(body).path("message_count").asLong(-1);
	}

}
