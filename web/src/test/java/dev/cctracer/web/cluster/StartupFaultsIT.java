package dev.cctracer.web.cluster;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Start-up faults as a user meets them, on the packaged app (which listens on the
 * loopback interface only): a second process on the same data dir is refused in one line
 * with exit code 1, naming the first; a database whose file headers were overwritten is
 * moved aside and the app starts on a new one built from the logs.
 */
class StartupFaultsIT {

	private final PackagedApp app = new PackagedApp();

	@AfterEach
	void stop() {
		this.app.close();
	}

	private Process start(Path root, Path log, int port) throws IOException {
		return this.app.start(root.resolve("data"), root.resolve("claude"), log, port,
				"--cctracer.web.admin-password=startup-faults");
	}

	private int status(String url) {
		return this.app.status(url);
	}

	/** This machine's addresses that are up and not loopback (none in some sandboxes). */
	private static List<InetAddress> otherAddresses() throws IOException {
		List<InetAddress> addresses = new ArrayList<>();
		for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (nic.isUp() && !nic.isLoopback()) {
				for (InetAddress address : Collections.list(nic.getInetAddresses())) {
					if (address instanceof Inet4Address) {
						addresses.add(address);
					}
				}
			}
		}
		return addresses;
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
		int port = PackagedApp.freePort();
		Process first = start(root, root.resolve("first.log"), port);
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> status("http://127.0.0.1:" + port + "/health") == 200);

		// it listens on the loopback interface only: the machine's other addresses refuse
		for (InetAddress other : otherAddresses()) {
			try (Socket socket = new Socket()) {
				assertThatThrownBy(() -> socket.connect(new InetSocketAddress(other, port), 2000))
					.as("port %d on %s", port, other)
					.isInstanceOf(IOException.class);
			}
		}

		Process second = start(root, root.resolve("second.log"), PackagedApp.freePort());
		assertThat(second.waitFor(90, TimeUnit.SECONDS)).isTrue();
		assertThat(second.exitValue()).isEqualTo(1);
		List<String> lines = Files.readAllLines(root.resolve("second.log"));
		assertThat(lines).as(String.join("\n", lines))
			.containsExactly("cctracer: cannot start: another process holds the data dir " + root.resolve("data")
					+ " (cctracer pid " + first.pid() + ", started "
					+ lines.get(0).replaceAll(".*started ([^,]*),.*", "$1") + ", port " + port
					+ "): stop it, or give this one another cctracer.data-dir");

		// the first stops, and its record of holding the data dir goes with it; its
		// database's file headers are overwritten
		assertThat(root.resolve("data/cctracer.pid")).content().startsWith("pid=" + first.pid() + "\n");
		first.destroy();
		assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
		assertThat(root.resolve("data/cctracer.pid")).doesNotExist();
		Path db = root.resolve("data/db/cctracer.mv.db");
		byte[] bytes = Files.readAllBytes(db);
		for (int i = 0; i < 8192 && i < bytes.length; i++) {
			bytes[i] = 'x';
		}
		Files.write(db, bytes);
		int again = PackagedApp.freePort();
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
			return this.app.body("http://127.0.0.1:" + again + "/api/metrics/aggregate")
				.contains("\"message_count\":1");
		});
		assertThat(Files.readString(root.resolve("third.log"))).doesNotContain("\tat ")
			// the log says so too, not only recovery.json and the console
			.containsPattern(
					"WARN .*the database in .* could not be opened .*moved aside as \\[cctracer\\.mv\\.db\\.corrupt-");
		// and the admin console says what happened
		String admin = this.app
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + again + "/admin"))
				.header("Authorization",
						"Basic " + Base64.getEncoder().encodeToString("admin:startup-faults".getBytes()))
				.build())
			.body();
		assertThat(admin).contains("id=\"recovery\"").contains("cctracer.mv.db.corrupt-");

		// a database that does not answer: one line naming it, never its password, exit 1
		// (a trial saw 117-151 lines with ~100 stack frames)
		int closed = PackagedApp.freePort();
		Process noDatabase = this.app.start(root.resolve("data-2"), root.resolve("claude"), root.resolve("fourth.log"),
				PackagedApp.freePort(), "--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + closed + "/cctracer",
				"--spring.datasource.username=cctracer", "--spring.datasource.password=hunter2");
		assertThat(noDatabase.waitFor(90, TimeUnit.SECONDS)).isTrue();
		assertThat(noDatabase.exitValue()).isEqualTo(1);
		String fourth = Files.readString(root.resolve("fourth.log"));
		assertThat(fourth)
			.contains("cctracer: cannot start: the PostgreSQL database at 127.0.0.1:" + closed
					+ "/cctracer cannot be used (")
			.contains("(check spring.datasource.url, .username and .password)")
			.doesNotContain("\tat ")
			.doesNotContain("hunter2");
	}

}
