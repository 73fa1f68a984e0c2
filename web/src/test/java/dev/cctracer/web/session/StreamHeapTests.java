package dev.cctracer.web.session;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The heap bound of streaming, stated and tested: this class runs in its own JVM with
 * {@code -Xmx192m} (see web/pom.xml), and the whole app — ingest, message index, NDJSON
 * stream — handles a session of ~260 MB, larger than that heap. Anything that held the
 * transcript or the response in memory would end in an OutOfMemoryError.
 */
class StreamHeapTests extends OwnRootWebTest {

	private static final Path ROOT;

	private static final String SESSION = "bebebebe-0000-4000-8000-000000000001";

	private static final int MESSAGES = 40_000;

	static {
		try {
			ROOT = TestRoots.create("stream-heap");
			Path file = Files.createDirectories(ROOT.resolve("claude/projects/-heap")).resolve(SESSION + ".jsonl");
			String pad = "y".repeat(6_500);
			try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
				for (int i = 0; i < MESSAGES; i++) {
					out.write(
							("{\"type\":\"user\",\"uuid\":\"h" + i + "\",\"message\":{\"role\":\"user\",\"content\":\""
									+ pad + "\"}}\n")
								.getBytes(StandardCharsets.UTF_8));
				}
			}
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.ingest.watch", () -> "false");
	}

	@Test
	void shouldStreamASessionLargerThanTheHeap() throws Exception {
		long maxHeap = Runtime.getRuntime().maxMemory();
		long sessionBytes = Files.size(ROOT.resolve("claude/projects/-heap/" + SESSION + ".jsonl"));
		assertThat(maxHeap).as("this test runs with -Xmx192m").isLessThanOrEqualTo(200L << 20);
		assertThat(sessionBytes).isGreaterThan(maxHeap);
		this.indexer.scanAndIngest();
		HttpResponse<InputStream> response = HttpClient.newHttpClient()
			.send(HttpRequest
				.newBuilder(URI
					.create("http://127.0.0.1:" + this.port + "/api/sessions/-heap/" + SESSION + "/messages/stream"))
				.build(), HttpResponse.BodyHandlers.ofInputStream());
		assertThat(response.statusCode()).isEqualTo(200);
		long lines = 0;
		long bytes = 0;
		byte[] buffer = new byte[1 << 16];
		try (InputStream in = response.body()) {
			int n;
			while ((n = in.read(buffer)) > 0) {
				bytes += n;
				for (int i = 0; i < n; i++) {
					if (buffer[i] == '\n') {
						lines++;
					}
				}
			}
		}
		assertThat(lines).isEqualTo(MESSAGES);
		assertThat(bytes).isGreaterThan(10L << 20);
		assertThat(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getMax()).isLessThanOrEqualTo(200L << 20);
	}

}
