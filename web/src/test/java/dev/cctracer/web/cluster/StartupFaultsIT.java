package dev.cctracer.web.cluster;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start-up faults as a user meets them, on the packaged app: a second process on the same
 * data dir is refused in one line with exit code 1, naming the first; a database whose
 * file headers were overwritten is moved aside and the app starts on a new one built from
 * the logs.
 */
class StartupFaultsIT {

	private final List<Process> processes = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	@AfterEach
	void stop() {
		this.processes.forEach(Process::destroyForcibly);
	}

	private static int freePort() throws IOException {
		try (ServerSocket s = new ServerSocket(0)) {
			return s.getLocalPort();
		}
	}

	private Process start(Path root, Path log, int port) throws IOException {
		Path jar = Path.of(System.getProperty("web.jar", "target/cctracer-web-exec.jar")).toAbsolutePath();
		Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m",
				"-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--cctracer.data-dir=" + root.resolve("data"),
				"--cctracer.claude-dirs=" + root.resolve("claude"), "--cctracer.demo=off", "--server.port=" + port,
				"--cctracer.web.jobs-dashboard.port=0", "--cctracer.web.admin-password=startup-faults",
				"--spring.main.banner-mode=off")
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		this.processes.add(p);
		return p;
	}

	private int status(String url) {
		try {
			return this.http
				.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
				.statusCode();
		}
		catch (IOException ex) {
			return -1;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return -1;
		}
	}

	@Test
	void aHeldDataDirIsRefusedInOneLineAndACorruptDatabaseIsRebuilt() throws Exception {
		Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
		Path root = Files.createTempDirectory("startup-faults");
		Path session = Files.createDirectories(root.resolve("claude/projects/-p"));
		Files.writeString(session.resolve("aaaaaaaa-0000-4000-8000-000000000001.jsonl"),
				"{\"type\":\"assistant\",\"sessionId\":\"aaaaaaaa-0000-4000-8000-000000000001\","
						+ "\"timestamp\":\"2026-11-29T10:00:00Z\",\"requestId\":\"r1\",\"message\":{\"id\":\"m1\","
						+ "\"model\":\"claude-sonnet-4-6\",\"usage\":{\"input_tokens\":1000,\"output_tokens\":100}}}\n");
		int port = freePort();
		Process first = start(root, root.resolve("first.log"), port);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> status("http://127.0.0.1:" + port + "/health") == 200);

		Process second = start(root, root.resolve("second.log"), freePort());
		assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
		assertThat(second.exitValue()).isEqualTo(1);
		List<String> lines = Files.readAllLines(root.resolve("second.log"));
		assertThat(lines).as(String.join("\n", lines))
			.containsExactly("cctracer: cannot start: another process holds the data dir " + root.resolve("data")
					+ " (cctracer pid " + first.pid() + ", started "
					+ lines.get(0).replaceAll(".*started ([^,]*),.*", "$1") + ", port " + port
					+ "): stop it, or give this one another cctracer.data-dir");

		// the first stops; its database's file headers are overwritten
		first.destroy();
		assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
		Path db = root.resolve("data/db/cctracer.mv.db");
		byte[] bytes = Files.readAllBytes(db);
		for (int i = 0; i < 8192 && i < bytes.length; i++) {
			bytes[i] = 'x';
		}
		Files.write(db, bytes);
		int again = freePort();
		start(root, root.resolve("third.log"), again);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> status("http://127.0.0.1:" + again + "/health") == 200);
		assertThat(Files.readString(root.resolve("data/recovery.json"))).contains("cctracer.mv.db.corrupt-");
		try (var files = Files.list(root.resolve("data/db"))) {
			assertThat(files.map((p) -> p.getFileName().toString()).toList())
				.anyMatch((n) -> n.startsWith("cctracer.mv.db.corrupt-"));
		}
		// rebuilt from the logs: the one response is counted again
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			HttpResponse<String> r = this.http.send(
					HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again + "/api/metrics/aggregate")).build(),
					HttpResponse.BodyHandlers.ofString());
			return r.body().contains("\"message_count\":1");
		});
		assertThat(Files.readString(root.resolve("third.log"))).doesNotContain("\tat ");
		// and the admin console says what happened
		String admin = this.http
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again + "/admin"))
				.header("Authorization",
						"Basic " + java.util.Base64.getEncoder().encodeToString("admin:startup-faults".getBytes()))
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(admin).contains("id=\"recovery\"").contains("cctracer.mv.db.corrupt-");
	}

}
