package dev.cctracer.web.admin;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.job.JobService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * JobRunr's own dashboard: on the loopback interface only, behind the admin user, and it
 * shows the rebuild-and-verify job's progress bar.
 */
class JobRunrDashboardTests extends RealDataWebTest {

	@Autowired
	JobRunrDashboard dashboard;

	@Autowired
	JobService jobs;

	@Test
	void servesJobsWithTheirProgressBarToTheAdminOnLoopbackOnly() throws Exception {
		InetSocketAddress address = this.dashboard.address();
		assertThat(address).as("the dashboard runs").isNotNull();
		assertThat(address.getAddress().isLoopbackAddress()).as("bound to %s", address).isTrue();
		int port = address.getPort();
		assertThat(this.dashboard.url()).isEqualTo("http://127.0.0.1:" + port + "/dashboard");

		// no login, a wrong password, a user that is not the admin: refused
		assertThat(request(port, "/api/jobs?state=SUCCEEDED", "localhost", null).status()).isEqualTo(401);
		assertThat(request(port, "/dashboard", "localhost", basic("admin", "wrong")).status()).isEqualTo(401);
		assertThat(request(port, "/dashboard", "localhost", basic("someone", ADMIN_PASSWORD)).status()).isEqualTo(401);
		// a page on another site reaching it through DNS rebinding: refused before the
		// login
		assertThat(request(port, "/dashboard", "evil.example:" + port, adminBasic()).status()).isEqualTo(403);
		assertThat(request(port, "/dashboard", "127.evil.example:" + port, adminBasic()).status()).isEqualTo(403);

		// the admin gets JobRunr's UI and, after a rebuild and verify, its job with a
		// progress bar at 100 %
		Reply ui = request(port, "/dashboard/", "127.0.0.1:" + port, adminBasic());
		assertThat(ui.status()).isEqualTo(200);
		assertThat(ui.text()).containsIgnoringCase("<html");
		// framed by no other page (clickjacking) and never read as another type, as the
		// app's own pages; its script fetches from no other host (it asks api.jobrunr.io
		// for the latest version and notifications)
		assertThat(ui.head().toLowerCase(Locale.ROOT)).contains("x-frame-options: deny")
			.contains("x-content-type-options: nosniff")
			.contains("content-security-policy: frame-ancestors 'none'; connect-src 'self'")
			.contains("referrer-policy: same-origin");
		indexed();
		String jobId = this.jobs.enqueueVerify();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.untilAsserted(() -> assertThat(getAsAdmin("/api/jobs/" + jobId).body().get("state").asText())
				.isEqualTo("succeeded"));
		Reply job = request(port, "/api/jobs/" + jobId, "localhost:" + port, adminBasic());
		assertThat(job.status()).as(job.text()).isEqualTo(200);
		JsonNode body = this.json.readTree(job.text());
		assertThat(body.get("id").asText()).isEqualTo(jobId);
		JsonNode progress = null;
		for (var field : (Iterable<Map.Entry<String, JsonNode>>) () -> body.get("metadata").fields()) {
			if (field.getKey().startsWith("jobRunrDashboardProgressBar")) {
				progress = field.getValue();
			}
		}
		assertThat(progress).as("progress bar in %s", body.get("metadata")).isNotNull();
		assertThat(progress.get("progress").asInt()).isEqualTo(100);

		// another site's page posting with the browser's cached admin credentials:
		// refused;
		// JobRunr's own UI (same origin) gets through to JobRunr
		String requeue = "/api/jobs/" + jobId + "/requeue";
		assertThat(request(port, "POST", requeue, "127.0.0.1:" + port, adminBasic(), "Sec-Fetch-Site: cross-site\r\n")
			.status()).isEqualTo(403);
		assertThat(request(port, "POST", requeue, "127.0.0.1:" + port, adminBasic(), "Origin: http://evil.example\r\n")
			.status()).isEqualTo(403);
		assertThat(request(port, "POST", requeue, "127.0.0.1:" + port, adminBasic(),
				"Origin: http://127.0.0.1:" + port + "\r\nSec-Fetch-Site: same-origin\r\n")
			.status()).isNotEqualTo(403).isLessThan(500);

		// not reachable through another interface of this machine (when it has one)
		Optional<InetAddress> other = nonLoopbackAddress();
		if (other.isPresent()) {
			assertThatExceptionOfType(ConnectException.class).isThrownBy(() -> {
				try (Socket socket = new Socket()) {
					socket.connect(new InetSocketAddress(other.get(), port), 2000);
				}
			});
		}
	}

	private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
		for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
			if (!nic.isUp() || nic.isLoopback()) {
				continue;
			}
			for (InetAddress address : Collections.list(nic.getInetAddresses())) {
				if (address instanceof Inet4Address && !address.isLoopbackAddress()) {
					return Optional.of(address);
				}
			}
		}
		return Optional.empty();
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	/** A raw GET, so the Host header goes out exactly as written. */
	private static Reply request(int port, String path, String host, String authorization) throws IOException {
		return request(port, "GET", path, host, authorization, "");
	}

	/** {@code headers}: more header lines, each ending in CRLF. */
	private static Reply request(int port, String method, String path, String host, String authorization,
			String headers) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			OutputStream out = socket.getOutputStream();
			out.write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n"
					+ ((authorization != null) ? "Authorization: " + authorization + "\r\n" : "") + headers
					+ "Content-Length: 0\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			byte[] raw = socket.getInputStream().readAllBytes();
			String head = new String(raw, 0, Math.min(raw.length, 8192), StandardCharsets.ISO_8859_1);
			int status = Integer.parseInt(head.substring(9, 12));
			int bodyStart = head.indexOf("\r\n\r\n") + 4;
			byte[] bytes = Arrays.copyOfRange(raw, bodyStart, raw.length);
			boolean chunked = head.substring(0, bodyStart)
				.toLowerCase(Locale.ROOT)
				.contains("transfer-encoding: chunked");
			String body = chunked ? dechunk(bytes) : new String(bytes, StandardCharsets.UTF_8);
			return new Reply(status, body, head.substring(0, bodyStart));
		}
	}

	/**
	 * A raw answer: its status, its body as text and its head (status line and headers).
	 */
	private record Reply(int status, String text, String head) {

	}

}
