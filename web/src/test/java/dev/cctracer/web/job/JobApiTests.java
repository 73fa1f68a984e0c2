package dev.cctracer.web.job;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.worker.facts.FactsStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The job cycle over HTTP: 202 with a status URL, polling until the result, one job for
 * identical requests, and the error cases.
 */
class JobApiTests extends RealDataWebTest {

	@Autowired
	JobRequestRepository jobs;

	@Test
	void shouldRunVerificationAsAPolledJob() throws Exception {
		indexed();
		Response anonymous = post("/api/admin/verify", true, false);
		assertThat(anonymous.status()).as("no admin login").isEqualTo(401);
		// the API's problem JSON, as every other error of the API, with the Basic
		// challenge
		assertThat(anonymous.text()).containsIgnoringCase("WWW-Authenticate: Basic realm=\"cctracer admin\"")
			.containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(anonymous.body().get("status").asInt()).isEqualTo(401);
		assertThat(anonymous.body().get("detail").asText()).startsWith("the admin login is required");
		assertThat(anonymous.body().get("instance").asText()).isEqualTo("/api/admin/verify");
		// wrong credentials: the same problem JSON, saying so
		Response wrong = post("/api/admin/verify", true, "Basic "
				+ Base64.getEncoder().encodeToString("admin:not-the-password".getBytes(StandardCharsets.UTF_8)));
		assertThat(wrong.status()).isEqualTo(401);
		assertThat(wrong.text()).containsIgnoringCase("Content-Type: application/problem+json");
		assertThat(wrong.body().get("detail").asText()).startsWith("the admin login failed: wrong user name");
		assertThat(post("/api/admin/verify", false, true).status()).as("no X-Requested-By").isEqualTo(403);
		// the open API skips the security chain: encoded or dotted spellings of the admin
		// path must not
		for (String sneaky : List.of("/api/%61dmin/verify", "/api/./admin/verify", "/api/x/../admin/verify",
				"/api//admin/verify", "/api/admin;x=1/verify", "/%61pi/admin/verify")) {
			assertThat(post(sneaky, true, false).status()).as(sneaky).isIn(400, 401, 404);
		}
		// and as the admin, without X-Requested-By (what a cross-site form would send),
		// no spelling gets through
		for (String sneaky : List.of("/%61pi/admin/verify", "/api/%61dmin/verify", "/api/./admin/verify")) {
			assertThat(post(sneaky, false, true).status()).as(sneaky).isIn(400, 403, 404);
		}
		Response accepted = post("/api/admin/verify", true);
		assertThat(accepted.status()).isEqualTo(202);
		String statusUrl = accepted.body().get("status_url").asText();
		assertThat(accepted.text()).contains(accepted.body().get("job_id").asText());
		// the same request while it is pending or done: the same job
		assertThat(post("/api/admin/verify", true).body().get("job_id").asText())
			.isEqualTo(accepted.body().get("job_id").asText());
		// polled: its states go one way only, enqueued → processing → succeeded (a poll
		// may
		// miss one)
		List<String> order = List.of("enqueued", "processing", "succeeded");
		List<String> seen = new ArrayList<>();
		// an admin job's status and result are the admin's: anyone else is told there is
		// no such job (its id follows from the data version, which /health shows)
		Response stranger = get(statusUrl);
		assertThat(stranger.status()).isEqualTo(404);
		assertThat(stranger.body().get("detail").asText())
			.isEqualTo("no job " + accepted.body().get("job_id").asText());
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
			String state = getAsAdmin(statusUrl).body().get("state").asText();
			if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(state)) {
				seen.add(state);
			}
			assertThat(state).isEqualTo("succeeded");
		});
		assertThat(seen).as("states seen").isSubsetOf(order).isSortedAccordingTo(Comparator.comparing(order::indexOf));
		JsonNode status = getAsAdmin(statusUrl).body();
		assertThat(status.get("progress").asInt()).isEqualTo(100);
		assertThat(status.get("kind").asText()).isEqualTo("verify");
		// nor is anything else said of it: not that it has a result, nor that it wrote
		// no file
		String verifyId = accepted.body().get("job_id").asText();
		for (String path : List.of(status.get("result_url").asText(), "/api/jobs/" + verifyId + "/download")) {
			Response hidden = get(path);
			assertThat(hidden.status()).as(path).isEqualTo(404);
			assertThat(hidden.body().get("detail").asText()).as(path).isEqualTo("no job " + verifyId);
		}
		assertThat(getAsAdmin("/api/jobs/" + verifyId + "/download").body().get("detail").asText())
			.startsWith("job " + verifyId + " wrote no file to download");
		JsonNode result = getAsAdmin(status.get("result_url").asText()).body();
		assertThat(result.get("equal").asBoolean()).as("%s", result.get("differences")).isTrue();
		assertThat(result.get("files_compared").asInt()).isGreaterThanOrEqualTo(10);
		assertThat(result.get("rebuilt").get("messages").asLong())
			.isEqualTo(result.get("incremental").get("messages").asLong());
		// the admin console says what it found, not only a link to the JSON
		String console = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/admin"))
				.header("Authorization", adminBasic())
				.build(), HttpResponse.BodyHandlers.ofString())
			.body();
		assertThat(console).contains("Equal: " + result.get("files_compared").asInt() + " files compared");
	}

	@Test
	void shouldAnswerUnknownMalformedAndPurgedJobs() throws Exception {
		assertThat(get("/api/jobs/" + UUID.randomUUID()).status()).isEqualTo(404);
		assertThat(get("/api/jobs/not-a-uuid").status()).isEqualTo(400);
		String purged = UUID.randomUUID().toString();
		this.jobs.insertIfAbsent(purged, "query", "an old query", 1, null);
		Response gone = get("/api/jobs/" + purged);
		assertThat(gone.status()).isEqualTo(410);
		assertThat(gone.body().get("title").asText()).isEqualTo("Job gone");
		String kept = UUID.randomUUID().toString();
		this.jobs.insertIfAbsent(kept, "query", "an old query with a result", 1, null);
		this.jobs.saveResult(kept, "{\"rows\":[]}", 2);
		assertThat(get("/api/jobs/" + kept).body().get("state").asText()).isEqualTo("succeeded");
		assertThat(get("/api/jobs/" + kept + "/result").body().get("rows")).isEmpty();
		// a download of a job that wrote no file says where its result is
		Response noFile = get("/api/jobs/" + kept + "/download");
		assertThat(noFile.status()).isEqualTo(404);
		assertThat(noFile.body().get("detail").asText()).contains("wrote no file")
			.contains("/api/jobs/" + kept + "/result");
	}

	@Autowired
	JdbcClient jdbc;

	/**
	 * A damaged fact batch no longer fails a query: the job removes it, writes its facts
	 * again and answers as before. A job that cannot succeed (the facts dir cannot take a
	 * new batch: its origin's dir replaced by a file) reports its error through polling,
	 * with no absolute path of the data dir and no SQL.
	 */
	@Test
	void shouldReportAFailingJobThroughPollingWithAClearError() throws Exception {
		indexed();
		// the facts of every file written (the first query syncs them)
		factsWritten();
		JsonNode before = result(postJson("/api/queries", "{\"group_by\": [\"model\"], \"tz\": \"UTC\"}"));
		String rel = this.jdbc.sql("SELECT MIN(entries_path) FROM fact_segment").query(String.class).single();
		Path segment = this.facts.resolve(rel);
		Files.writeString(segment, "not parquet");
		// another zone: not the cached answer
		JsonNode healed = result(postJson("/api/queries", "{\"group_by\": [\"model\"], \"tz\": \"Europe/Oslo\"}"));
		assertThat(healed.get("rows")).isEqualTo(before.get("rows"));
		assertThat(segment).doesNotExist();

		Path origin = segment.getParent();
		Path away = origin.resolveSibling(origin.getFileName() + ".away");
		Files.move(origin, away);
		Files.writeString(origin, "a file where the origin's batches go");
		try {
			// the facts of one transcript are forgotten: they must be written again
			this.jdbc.sql("DELETE FROM fact_segment WHERE file_id = (SELECT MIN(file_id) FROM fact_segment)").update();
			Response accepted = postJson("/api/queries", "{\"group_by\": [\"model\"], \"tz\": \"Asia/Tokyo\"}");
			assertThat(accepted.status()).isEqualTo(202);
			String status = accepted.body().get("status_url").asText();
			await().atMost(Duration.ofSeconds(90))
				.pollInterval(Duration.ofMillis(250))
				.until(() -> get(status).body().get("state").asText().equals("failed"));
			JsonNode failed = get(status).body();
			assertThat(failed.get("error").asText()).contains("origin=")
				.doesNotContain(this.facts.dir().toAbsolutePath().toString())
				.doesNotContain("read_parquet")
				.doesNotContain("\n");
			assertThat(failed.has("result_url")).isFalse();
		}
		finally {
			Files.delete(origin);
			Files.move(away, origin);
		}
	}

	/** A query's result, polled when it runs as a job. */
	private JsonNode result(Response posted) throws Exception {
		if (posted.status() == 200) {
			return posted.body();
		}
		assertThat(posted.status()).isEqualTo(202);
		String status = posted.body().get("status_url").asText();
		await().atMost(Duration.ofSeconds(90))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> get(status).body().get("state").asText().equals("succeeded"));
		return get(get(status).body().get("result_url").asText()).body();
	}

	@Autowired
	FactsStore facts;

	private void factsWritten() throws Exception {
		this.facts.sync((n) -> {
		});
	}

	@Test
	void shouldReportTheArchivePerSession() throws Exception {
		indexed();
		// the facts of every file written (a query syncs them): each in one segment
		factsWritten();
		JsonNode status = get("/api/archive/status?project=-home-marco-projects-spotter").body();
		assertThat(status.get("sessions")).hasSize(5);
		assertThat(status.get("sessions").findValuesAsText("status")).containsOnly("archived");
		for (JsonNode session : status.get("sessions")) {
			assertThat(session.get("archived_files").asLong()).isEqualTo(session.get("files").asLong());
			assertThat(session.get("parquet_bytes").asLong()).isPositive();
		}
		assertThat(get("/api/archive/status?project=..").status()).isEqualTo(400);
		// a project that is not indexed is a 404, as on every endpoint that names one
		assertThat(get("/api/archive/status?project=-not-indexed").status()).isEqualTo(404);
	}

	private Response post(String path, boolean withHeader) throws Exception {
		return post(path, withHeader, true);
	}

	private Response post(String path, boolean withHeader, boolean asAdmin) throws Exception {
		return post(path, withHeader, asAdmin ? adminBasic() : null);
	}

	/** A raw POST; {@code authorization} is the header's value, or null for none. */
	private Response post(String path, boolean withHeader, String authorization) throws Exception {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost:" + this.port + "\r\n"
					+ (withHeader ? "X-Requested-By: test\r\n" : "")
					+ ((authorization != null) ? "Authorization: " + authorization + "\r\n" : "")
					+ "Content-Length: 0\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			InputStream in = socket.getInputStream();
			String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			int status = Integer.parseInt(response.substring(9, 12));
			String body = response.substring(response.indexOf("\r\n\r\n") + 4);
			if (response.toLowerCase().contains("transfer-encoding: chunked")) {
				body = body.substring(body.indexOf("\r\n") + 2, body.lastIndexOf("\r\n0\r\n"));
			}
			return new Response(status, response, body.isBlank() ? null : this.json.readTree(body));
		}
	}

}
