package dev.cctracer.web.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Host check comes before authentication (no password oracle for a DNS-rebinding
 * page), failed logins are throttled per client on HTTP Basic and JobRunr's dashboard
 * (429 with {@code Retry-After}), every response carries {@code nosniff}, and
 * {@code /error} asked for directly is a 404. Its own context: the throttle's state is
 * per client, and every test request comes from 127.0.0.1.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LoginAndHostTests {

	private static final String PASSWORD = "the-right-password";

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("login-host");
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.web.admin-password", () -> PASSWORD);
	}

	@LocalServerPort
	int port;

	@Autowired
	JobRunrDashboard dashboard;

	record Response(int status, String head, String text) {

	}

	private static Response request(int port, String method, String path, String host, String password)
			throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			OutputStream out = socket.getOutputStream();
			StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host
					+ "\r\nConnection: close\r\nX-Requested-By: test\r\nContent-Length: 0\r\n");
			if (password != null) {
				req.append("Authorization: Basic ")
					.append(Base64.getEncoder().encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8)))
					.append("\r\n");
			}
			out.write(req.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
			out.flush();
			InputStream in = socket.getInputStream();
			String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			String head = text.substring(0, Math.max(0, text.indexOf("\r\n\r\n")));
			return new Response(Integer.parseInt(head.substring(9, 12)), head, text);
		}
	}

	@Test
	void theHostCheckComesFirstThenLoginsAreThrottled() throws IOException {
		// a foreign Host: 403 with a wrong password and with the right one alike
		for (String path : new String[] { "/admin", "/api/admin/prices", "/actuator/prometheus" }) {
			assertThat(request(this.port, "GET", path, "rebind.example", "wrong").status()).as(path).isEqualTo(403);
			Response refused = request(this.port, "GET", path, "rebind.example", PASSWORD);
			assertThat(refused.status()).as(path).isEqualTo(403);
			assertThat(refused.head()).containsIgnoringCase("X-Content-Type-Options: nosniff");
		}
		String local = "localhost:" + this.port;
		assertThat(request(this.port, "GET", "/api/admin/prices", local, PASSWORD).status()).isEqualTo(200);
		// five wrong passwords, then every attempt of this client waits, the right one
		// too
		for (int i = 0; i < 5; i++) {
			assertThat(request(this.port, "GET", "/api/admin/prices", local, "wrong-" + i).status()).isEqualTo(401);
		}
		Response throttled = request(this.port, "GET", "/api/admin/prices", local, PASSWORD);
		assertThat(throttled.status()).isEqualTo(429);
		assertThat(throttled.head()).containsIgnoringCase("Retry-After:");
		assertThat(request(this.port, "GET", "/actuator/prometheus", local, "wrong").status()).isEqualTo(429);
		// a browser's login form: back to the form, which says how long to wait (it got
		// the problem JSON)
		String form;
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			String body = "username=admin&password=" + PASSWORD;
			socket.getOutputStream()
				.write(("POST /login HTTP/1.1\r\nHost: " + local + "\r\nConnection: close\r\n"
						+ "Accept: text/html,application/xhtml+xml,*/*;q=0.8\r\n"
						+ "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: " + body.length()
						+ "\r\n\r\n" + body)
					.getBytes(StandardCharsets.UTF_8));
			form = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		}
		assertThat(form).startsWith("HTTP/1.1 303").containsPattern("(?i)Location: [^\r]*/login\\?throttled=\\d+\r");
		String page = request(this.port, "GET", "/login?throttled=42", local, null).text();
		assertThat(page).contains("id=\"login-throttled\"", "try again in <span>42 s</span>");
		assertThat(request(this.port, "GET", "/login?throttled=%3Cb%3E", local, null).text())
			.contains("try again in <span>a minute</span>");
		// JobRunr's dashboard shares the throttle
		int dashboardPort = Integer.parseInt(this.dashboard.url().replaceAll(".*:(\\d+).*", "$1"));
		Response jobs = request(dashboardPort, "GET", "/dashboard", "localhost:" + dashboardPort, PASSWORD);
		assertThat(jobs.status()).isEqualTo(429);
		assertThat(jobs.head()).containsIgnoringCase("Retry-After:");
		// pages that need no login still answer
		assertThat(request(this.port, "GET", "/api/projects", local, null).status()).isEqualTo(200);
	}

	@Test
	void everyResponseSaysNosniffAndTheErrorPathIsNotAPage() throws IOException {
		String local = "localhost:" + this.port;
		for (String path : new String[] { "/", "/api/projects", "/health", "/login", "/no-such-page" }) {
			assertThat(request(this.port, "GET", path, local, null).head()).as(path)
				.containsIgnoringCase("X-Content-Type-Options: nosniff");
		}
		// refused by Tomcat before the app: a problem, not Tomcat's HTML page
		for (String path : new String[] { "/api/projects/a%00b", "/api/projects/x%5Cy" }) {
			Response refused = request(this.port, "GET", path, local, null);
			assertThat(refused.status()).as(path).isEqualTo(400);
			assertThat(refused.head()).as(path)
				.containsIgnoringCase("X-Content-Type-Options: nosniff")
				.containsIgnoringCase("Content-Type: application/problem+json");
		}
		Response error = request(this.port, "GET", "/error", local, null);
		assertThat(error.status()).isEqualTo(404);
		assertThat(error.head()).containsIgnoringCase("X-Content-Type-Options: nosniff");
	}

}
