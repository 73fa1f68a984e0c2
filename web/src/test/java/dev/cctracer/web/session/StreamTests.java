package dev.cctracer.web.session;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Streaming a session's messages as NDJSON: every message once, and a client that goes
 * away stops the server's work.
 */
class StreamTests extends RealDataWebTest {

	@Autowired
	MeterRegistry meters;

	@Test
	void shouldStreamEveryMessageAsOneJsonLine() throws Exception {
		indexed();
		String body = get(
				"/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/messages/stream")
			.text();
		String[] lines = body.strip().split("\n");
		assertThat(lines).hasSize(471);
		Set<String> uuids = new HashSet<>();
		for (String line : lines) {
			assertThat(uuids.add(this.json.readTree(line).get("uuid").asText())).isTrue();
		}
		String errors = get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION
				+ "/messages/stream?error_only=true")
			.text();
		assertThat(errors.strip().split("\n")).hasSize(12);
		// asked for JSON: the stream too, not "message not found: stream"
		HttpResponse<String> asJson = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + this.port + "/api/sessions/" + RealDataLayout.SPOTTER + "/"
						+ RealDataLayout.MAIN_SESSION + "/messages/stream"))
				.header("Accept", "application/json")
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(asJson.statusCode()).isEqualTo(200);
		assertThat(asJson.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/x-ndjson"));
		assertThat(asJson.body()).isEqualTo(body);
	}

	@Test
	void shouldStopWhenTheClientDisconnects() throws Exception {
		String path = bigStream();
		int total = BIG_STREAM_MESSAGES;
		double before = this.meters.counter("cctracer.stream.messages").count();
		int received = 0;
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			// HTTP/1.0: the body is not chunked, so every line read is a whole message
			// (with chunks, header and chunk-size lines counted as messages: the test
			// once saw 199 streamed for "200 lines")
			out.write(("GET " + path + " HTTP/1.0\r\nHost: localhost:" + this.port + "\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			assertThat(in.readLine()).startsWith("HTTP/1.1 200");
			String line;
			while ((line = in.readLine()) != null && !line.isEmpty()) {
				assertThat(line).doesNotContainIgnoringCase("chunked");
			}
			while (received < 200 && (line = in.readLine()) != null) {
				assertThat(line).startsWith("{").endsWith("}");
				received++;
			}
		}
		assertThat(received).isEqualTo(200);
		// the server notices at its next writes; wait until the count settles
		double last = -1;
		double now = this.meters.counter("cctracer.stream.messages").count();
		while (now != last) {
			Thread.sleep(500);
			last = now;
			now = this.meters.counter("cctracer.stream.messages").count();
		}
		// it streamed (at least what the client read), and stopped well before the end
		assertThat(now - before).isGreaterThanOrEqualTo(received).isLessThan(total);
	}

}
