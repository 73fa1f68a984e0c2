package dev.cctracer.web.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fifty readers that request a 15 MB stream and never read do not starve anyone: a new
 * stream and {@code /api/projects} are still answered; one client past its stream limit
 * gets 429, every client past the global limit 503, both with {@code Retry-After}; and
 * Tomcat's write timeout drops the stalled readers, freeing their slots while their
 * sockets are still open.
 */
class StreamLimitTests extends RealDataWebTest {

	@Autowired
	StreamLimitFilter limits;

	@Autowired
	WebProperties properties;

	private final List<Socket> readers = new ArrayList<>();

	@AfterEach
	void close() throws IOException {
		for (Socket s : this.readers) {
			s.close();
		}
	}

	/**
	 * A reader from its own loopback address that sends the request and reads nothing.
	 */
	private Socket stalled(String path, int client) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.1." + client), 0));
		socket.connect(new InetSocketAddress("127.0.0.1", this.port));
		socket.getOutputStream()
			.write(("GET " + path + " HTTP/1.1\r\nHost: localhost:" + this.port + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
		socket.getOutputStream().flush();
		this.readers.add(socket);
		return socket;
	}

	private static String statusAndRetryAfter(Socket socket) throws IOException {
		socket.setSoTimeout(30_000);
		BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
		String status = in.readLine();
		String retry = null;
		for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
			if (line.toLowerCase().startsWith("retry-after:")) {
				retry = line.substring(12).strip();
			}
		}
		return status + " / Retry-After " + retry;
	}

	@Test
	void stalledReadersStarveNoOneAndAreDroppedByTheWriteTimeout() throws Exception {
		String big = bigStream();
		int max = this.properties.maxStreams();
		int perClient = this.properties.streamsPerClient();
		assertThat(max).isGreaterThan(50 + perClient);
		for (int client = 1; client <= 50; client++) {
			stalled(big, client);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.limits.active() == 50);

		// a new stream and the API are answered meanwhile
		String small = get(
				"/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/messages/stream")
			.text();
		assertThat(small.strip().split("\n")).hasSize(471);
		assertThat(get("/api/projects").status()).isEqualTo(200);

		// one client past its limit: 429
		for (int i = 0; i < perClient; i++) {
			stalled(big, 100);
		}
		await().atMost(Duration.ofSeconds(30)).until(() -> this.limits.active() == 50 + perClient);
		assertThat(statusAndRetryAfter(stalled(big, 100))).isEqualTo("HTTP/1.1 429  / Retry-After 5");

		// everyone past the global limit: 503
		for (int client = 101; this.limits.active() < max; client++) {
			stalled(big, client);
			int expected = Math.min(max, 50 + perClient + client - 100);
			await().atMost(Duration.ofSeconds(30)).until(() -> this.limits.active() == expected);
		}
		assertThat(statusAndRetryAfter(stalled(big, 200))).isEqualTo("HTTP/1.1 503  / Retry-After 5");

		// the write timeout drops every stalled reader while its socket is still open
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofSeconds(1))
			.until(() -> this.limits.active() == 0);
		assertThat(this.readers).noneMatch(Socket::isClosed);
		assertThat(
				get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/messages/stream")
					.status())
			.isEqualTo(200);
	}

}
