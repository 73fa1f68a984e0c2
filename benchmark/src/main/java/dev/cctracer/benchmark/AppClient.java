package dev.cctracer.benchmark;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The harness's HTTP side of the app under test (HTTP/1.1): anonymous calls of the JSON
 * API, and the admin's client, logged in through the login form (a session cookie) so
 * requests do not pay the password hash that HTTP Basic costs on every request.
 */
final class AppClient {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final HttpClient admin = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.cookieHandler(new CookieManager())
		.build();

	/** Parses a JSON answer. */
	static JsonNode parse(String body) throws JsonProcessingException {
		return JSON.readTree(body);
	}

	/**
	 * GETs {@code url} anonymously and parses the answer as JSON, whatever its status.
	 */
	JsonNode get(String url) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
		return JSON.readTree(this.http.send(request, HttpResponse.BodyHandlers.ofString()).body());
	}

	/**
	 * GETs {@code url} anonymously (30 s timeout): its body as text, failing unless 200.
	 */
	String text(String url) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build();
		HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
		if (response.statusCode() != 200) {
			throw new IOException(url + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	/** GETs {@code uri} anonymously (30 s timeout), the body discarded. */
	int send(URI uri) throws IOException, InterruptedException {
		HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build();
		return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/** Whether {@code /health} answers 200; {@code false} while nothing listens. */
	boolean healthy(String base) throws InterruptedException {
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/health")).build();
			return this.http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
		}
		catch (IOException ex) {
			// not listening yet
			return false;
		}
	}

	/** Sends {@code request} with the admin's session cookie (see {@link #login}). */
	<T> HttpResponse<T> sendAsAdmin(HttpRequest request, HttpResponse.BodyHandler<T> body)
			throws IOException, InterruptedException {
		return this.admin.send(request, body);
	}

	/**
	 * Logs the admin client in through the login form (CSRF token and all), with
	 * {@link AppProcess#ADMIN_PASSWORD}.
	 * @throws IllegalStateException when the form has no CSRF token or the login fails
	 */
	void login(String base) throws IOException, InterruptedException {
		HttpResponse<String> form = this.admin.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher token = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
		if (!token.find()) {
			throw new IllegalStateException("no CSRF token on the login page");
		}
		String body = "username=admin&password=" + AppProcess.ADMIN_PASSWORD + "&_csrf=" + token.group(1);
		HttpResponse<Void> done = this.admin.send(HttpRequest.newBuilder(URI.create(base + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.discarding());
		String location = done.headers().firstValue("Location").orElse("");
		if (done.statusCode() != 302 || location.contains("error")) {
			throw new IllegalStateException("admin login failed: " + done.statusCode() + " " + location);
		}
	}

	/**
	 * POSTs a JSON {@code body} as the admin and follows the job to its result (or takes
	 * a 200 answer).
	 * @throws IllegalStateException when the job fails
	 */
	JsonNode job(String base, String path, String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create(base + path))
			.header("X-Requested-By", "bench")
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return follow(base, request);
	}

	/**
	 * GETs a heavy answer ({@code /api/tools}, {@code /api/hooks}) and follows its job to
	 * the result (or takes a 200 answer).
	 * @throws IllegalStateException when the job fails
	 */
	JsonNode jobOfGet(String base, String path) throws Exception {
		return follow(base, HttpRequest.newBuilder(URI.create(base + path)).GET().build());
	}

	private JsonNode follow(String base, HttpRequest request) throws Exception {
		login(base);
		HttpResponse<String> response = this.admin.send(request, HttpResponse.BodyHandlers.ofString());
		JsonNode answer = JSON.readTree(response.body());
		if (response.statusCode() == 200) {
			return answer;
		}
		String status = base + answer.get("status_url").asText();
		while (true) {
			JsonNode s = get(status);
			String state = s.get("state").asText();
			if (state.equals("succeeded")) {
				return get(base + s.get("result_url").asText());
			}
			if (state.equals("failed")) {
				throw new IllegalStateException("job failed: " + s);
			}
			Thread.sleep(100);
		}
	}

	/**
	 * Waits until the app has indexed {@code bytes} (within 64 KiB) with no file pending
	 * and a scan done, then asks for the project list once. Polls every 250 ms, so the
	 * time it measures is up to 0.25 s late.
	 */
	void waitForIndex(String base, long bytes) throws Exception {
		while (true) {
			JsonNode s = get(base + "/api/index/status");
			if (s.get("bytes_indexed").asLong() >= bytes - 64 * 1024 && s.get("files_pending").asLong() == 0
					&& s.get("data_version").asLong() > 0 && !s.get("last_scan").isNull()) {
				get(base + "/api/projects");
				return;
			}
			// not faster: the status reads every file row (0.1-0.7 s under a first index
			// of 15,000 files), so polling every 50 ms took a core from the index
			// measured
			Thread.sleep(250);
		}
	}

}
