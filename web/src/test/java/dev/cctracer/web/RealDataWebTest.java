package dev.cctracer.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole app over HTTP on the real transcripts (see {@link RealDataLayout}). Expected
 * numbers are the hand-checked ones of {@code RealDataCountingTests}, summed.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
public abstract class RealDataWebTest {

	protected static final Path ROOT;

	static {
		try {
			Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
			ROOT = Files.createTempDirectory("web-api");
			RealDataLayout.create(realData(), ROOT.resolve("claude"));
			// outside the root: a secret session reachable only through symlinks
			Path outside = Files.createDirectories(ROOT.resolve("outside/-secret"));
			Files.writeString(outside.resolve("99999999-9999-4999-8999-999999999999.jsonl"),
					"{\"type\":\"assistant\",\"message\":{\"id\":\"secret\",\"model\":\"claude-opus-4-6\",\"usage\":{\"output_tokens\":424242}}}\n");
			Path projects = ROOT.resolve("claude/projects");
			Files.createSymbolicLink(projects.resolve("-linked-dir"), outside.resolve("-secret"));
			Files.createDirectories(projects.resolve("-linked-file"));
			Files.createSymbolicLink(projects.resolve("-linked-file/99999999-9999-4999-8999-999999999999.jsonl"),
					outside.resolve("-secret/99999999-9999-4999-8999-999999999999.jsonl"));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("cctracer.claude-dirs", () -> ROOT.resolve("claude").toString());
		registry.add("cctracer.data-dir", () -> ROOT.resolve("data").toString());
		registry.add("cctracer.ingest.debounce", () -> "50ms");
		// links out of the Claude dir refused here (and reported); TodaysClaudeCodeTests
		// follows them (the default)
		registry.add("cctracer.ingest.follow-links", () -> "false");
		registry.add("cctracer.limits.block-tokens", () -> "10000000");
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "100000");
		registry.add("cctracer.limits.weekly-cost-usd", () -> "100");
		registry.add("cctracer.limits.monthly-budget-usd", () -> "50");
		registry.add("cctracer.web.admin-password", () -> ADMIN_PASSWORD);
	}

	/** The admin password the tests configure. */
	protected static final String ADMIN_PASSWORD = "test-admin-password";

	/** An HTTP Basic header value for the admin. */
	protected static String adminBasic() {
		return "Basic "
				+ Base64.getEncoder().encodeToString(("admin:" + ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	@LocalServerPort
	protected int port;

	@Autowired
	protected Indexer indexer;

	protected final ObjectMapper json = new ObjectMapper();

	/** Messages in the {@link #bigStream()} session. */
	protected static final int BIG_STREAM_MESSAGES = 60_000;

	/**
	 * A session of {@link #BIG_STREAM_MESSAGES} user messages of about 250 bytes each (15
	 * MB of NDJSON, more than socket buffers hold), written once and indexed.
	 * @return the path of its message stream
	 */
	protected String bigStream() throws IOException, InterruptedException {
		String session = "dadadada-0000-4000-8000-000000000001";
		Path file = ROOT.resolve("claude/projects/-big-stream/" + session + ".jsonl");
		synchronized (RealDataWebTest.class) {
			if (!Files.exists(file)) {
				Files.createDirectories(file.getParent());
				StringBuilder sb = new StringBuilder();
				String pad = "x".repeat(200);
				for (int i = 0; i < BIG_STREAM_MESSAGES; i++) {
					sb.append("{\"type\":\"user\",\"uuid\":\"u")
						.append(i)
						.append("\",\"message\":{\"role\":\"user\",\"content\":\"")
						.append(pad)
						.append("\"}}\n");
				}
				Files.writeString(file, sb);
			}
		}
		indexed();
		return "/api/sessions/-big-stream/" + session + "/messages/stream";
	}

	protected void indexed() throws InterruptedException {
		this.indexer.scanAndIngest();
	}

	protected long outputOf(String project) throws IOException {
		return find(get("/api/projects").body.get("projects"), "path_hash", project).get("tokens")
			.get("output_tokens")
			.asLong();
	}

	protected static long sum(JsonNode daily, String field) {
		long total = 0;
		for (JsonNode day : daily.get("metrics")) {
			total += day.get(field).asLong();
		}
		return total;
	}

	protected static JsonNode find(JsonNode array, String field, String value) {
		for (JsonNode n : array) {
			if (n.hasNonNull(field) && n.get(field).asText().equals(value)) {
				return n;
			}
		}
		throw new AssertionError("no element with " + field + "=" + value + " in " + array);
	}

	public record Response(int status, String text, JsonNode body) {

	}

	protected Response get(String path) throws IOException {
		return raw("GET", path, "localhost:" + this.port);
	}

	/**
	 * Follows a job-backed answer to its result: a 200 is the result; a 202 is polled
	 * until the job succeeds (which the caller asserts) and its result is fetched.
	 */
	protected JsonNode resultOf(Response first) throws Exception {
		Assertions.assertThat(first.status()).as(first.text()).isIn(200, 202);
		return resultOf(first.status(), first.body(), (path) -> get(path).body());
	}

	/** A GET of a path to its JSON body. */
	@FunctionalInterface
	public interface JsonGet {

		JsonNode get(String path) throws Exception;

	}

	/**
	 * A job's answer: the body of a 200 as it is, else (202) its status polled until the
	 * job ends, then its result.
	 */
	public static JsonNode resultOf(int status, JsonNode body, JsonGet get) throws Exception {
		if (status == 200) {
			return body;
		}
		Assertions.assertThat(status).as("%s", body).isEqualTo(202);
		String url = body.get("status_url").asText();
		Awaitility.await()
			.atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> get.get(url).get("state").asText().matches("succeeded|failed"));
		JsonNode state = get.get(url);
		Assertions.assertThat(state.get("state").asText()).as("%s", state).isEqualTo("succeeded");
		return get.get(state.get("result_url").asText());
	}

	/**
	 * A POST with a JSON body and the X-Requested-By header state-changing API calls
	 * need.
	 */
	protected Response postJson(String path, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + this.port
					+ "\r\nX-Requested-By: test\r\nContent-Type: application/json\r\nContent-Length: " + body.length
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.write(body);
			out.flush();
			byte[] raw = socket.getInputStream().readAllBytes();
			String response = new String(raw, StandardCharsets.UTF_8);
			String head = new String(raw, 0, Math.min(raw.length, 8192), StandardCharsets.ISO_8859_1);
			int status = Integer.parseInt(head.substring(9, 12));
			int bodyStart = head.indexOf("\r\n\r\n") + 4;
			byte[] bodyBytes = Arrays.copyOfRange(raw, bodyStart, raw.length);
			String text = head.substring(0, bodyStart).toLowerCase().contains("transfer-encoding: chunked")
					? dechunk(bodyBytes) : new String(bodyBytes, StandardCharsets.UTF_8);
			JsonNode node = null;
			try {
				node = text.isBlank() ? null : this.json.readTree(text);
			}
			catch (IOException ex) {
				// not JSON
			}
			return new Response(status, response, node);
		}
	}

	/**
	 * A raw HTTP/1.1 request, so that the path and Host header go out exactly as written.
	 */
	protected Response raw(String method, String path, String host) throws IOException {
		return raw(method, path, host, null);
	}

	/**
	 * {@link #raw(String, String, String)} with an {@code Accept} header (none when
	 * {@code null}).
	 */
	protected Response raw(String method, String path, String host, String accept) throws IOException {
		return raw(method, path, host, accept, null);
	}

	/** A GET with the admin login (HTTP Basic). */
	protected Response getAsAdmin(String path) throws IOException {
		return raw("GET", path, "localhost:" + this.port, null, adminBasic());
	}

	/**
	 * {@link #raw(String, String, String, String)} with an {@code Authorization} header
	 * (none when {@code null}).
	 */
	protected Response raw(String method, String path, String host, String accept, String authorization)
			throws IOException {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
					+ ((accept != null) ? "Accept: " + accept + "\r\n" : "")
					+ ((authorization != null) ? "Authorization: " + authorization + "\r\n" : "")
					+ "Connection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] raw = in.readAllBytes();
			String head = new String(raw, 0, Math.min(raw.length, 8192), StandardCharsets.ISO_8859_1);
			int status = Integer.parseInt(head.substring(9, 12));
			int bodyStart = head.indexOf("\r\n\r\n") + 4;
			String headers = head.substring(0, bodyStart);
			byte[] bodyBytes = Arrays.copyOfRange(raw, bodyStart, raw.length);
			String body = headers.toLowerCase().contains("transfer-encoding: chunked") ? dechunk(bodyBytes)
					: new String(bodyBytes, StandardCharsets.UTF_8);
			JsonNode node = null;
			try {
				node = body.isBlank() ? null : this.json.readTree(body);
			}
			catch (IOException ex) {
				// not JSON (e.g. Tomcat's own 400 page)
			}
			return new Response(status, body, node);
		}
	}

	/**
	 * Decodes a chunked body: sizes are in bytes, so this works on bytes, then decodes
	 * UTF-8.
	 */
	protected static String dechunk(byte[] body) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		int pos = 0;
		while (pos < body.length) {
			int eol = pos;
			while (eol + 1 < body.length && !(body[eol] == '\r' && body[eol + 1] == '\n')) {
				eol++;
			}
			if (eol + 1 >= body.length) {
				break;
			}
			int size = Integer.parseInt(new String(body, pos, eol - pos, StandardCharsets.ISO_8859_1).trim(), 16);
			if (size == 0) {
				break;
			}
			out.write(body, eol + 2, Math.min(size, body.length - eol - 2));
			pos = eol + 2 + size + 2;
		}
		return out.toString(StandardCharsets.UTF_8);
	}

	/**
	 * The {@code shared/realdata} directory ({@code -Drealdata.dir} or beside the
	 * checkout).
	 */
	public static Path realData() {
		return RealDataLayout.source();
	}

}
