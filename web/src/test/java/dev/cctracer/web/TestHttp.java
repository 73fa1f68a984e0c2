package dev.cctracer.web;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GETs of the app under test on {@code 127.0.0.1}, for tests that start it on a port of
 * their own ({@link RealDataWebTest}'s tests have their raw requests).
 */
public final class TestHttp {

	private static final ObjectMapper JSON = new ObjectMapper();

	private TestHttp() {
	}

	/**
	 * A GET of {@code path} (with its query), its body as text; a redirect not followed.
	 */
	public static HttpResponse<String> send(int port, String path) throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A GET of a page as a browser asks it ({@code Accept: text/html}), with a
	 * {@code Cookie} header when one is given; a redirect not followed.
	 */
	public static HttpResponse<String> page(int port, String path, String cookie)
			throws IOException, InterruptedException {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "text/html");
		if (cookie != null) {
			request.header("Cookie", cookie);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A POST of a JSON body with the {@code X-Requested-By} header state changes under
	 * {@code /api/} need; a redirect not followed.
	 */
	public static HttpResponse<String> post(int port, String path, String json)
			throws IOException, InterruptedException {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
				.header("X-Requested-By", "test")
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * A job's answer to a POST of {@code json}: its 200 body, else (202) the job followed
	 * to its result
	 * ({@link RealDataWebTest#resultOf(int, JsonNode, RealDataWebTest.JsonGet)}).
	 */
	public static JsonNode postForResult(int port, String path, String json) throws Exception {
		HttpResponse<String> answer = post(port, path, json);
		assertThat(answer.statusCode()).as(answer.body()).isIn(200, 202);
		return RealDataWebTest.resultOf(answer.statusCode(), JSON.readTree(answer.body()), (p) -> json(port, p));
	}

	/** A GET of {@code path} that must answer 200, its JSON body. */
	public static JsonNode json(int port, String path) throws IOException, InterruptedException {
		HttpResponse<String> response = send(port, path);
		assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

}
