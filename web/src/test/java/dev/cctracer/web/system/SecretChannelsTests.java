package dev.cctracer.web.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.generator.RandomSecrets;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Redaction is a property of every output channel: a session whose text, tool inputs,
 * tool results, error texts, titles, cwd, file paths, tool names and model ids carry
 * random secrets of every pattern at random offsets (the seed is printed on failure) is
 * read through the JSON API, the NDJSON streams, search (job and stream), the entry-level
 * exports (CSV and JSON), the pages, the facts (Parquet), the log and what the database
 * keeps of the jobs (JobRunr's jobs, stored results and errors); no channel may emit 8 or
 * more characters of any secret's body.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretChannelsTests extends RealDataWebTest {

	private static final String PROJECT = "-secret-channels";

	private static final String SESSION = "5ec2e700-0000-4000-8000-000000000001";

	private final ObjectMapper mapper = new ObjectMapper();

	@Autowired
	private JdbcClient jdbc;

	private final long seed = System.nanoTime();

	private final RandomSecrets secrets = new RandomSecrets(this.seed);

	private final Random random = this.secrets.random();

	private final List<String> bodies = new ArrayList<>();

	/** A new random secret of pattern {@code kind}; its body is remembered. */
	private String secret(int kind) {
		RandomSecrets.Secret secret = this.secrets.next(kind);
		this.bodies.add(secret.body());
		return secret.text();
	}

	/** Text with a secret at a random offset, after the search word {@code zebra}. */
	private String textWithSecret(int kind) {
		String before = "lorem ipsum dolor sit amet ".repeat(this.random.nextInt(40));
		return before + "zebra " + secret(kind) + " quokka " + "consectetur ".repeat(this.random.nextInt(20));
	}

	private Map<String, Object> entry(String type, String uuid, int minute) {
		Map<String, Object> e = new LinkedHashMap<>();
		e.put("type", type);
		e.put("uuid", uuid);
		e.put("sessionId", SESSION);
		e.put("timestamp", "2026-11-30T10:" + String.format("%02d", minute) + ":00Z");
		e.put("cwd", "/srv/checkout/" + secret(this.random.nextInt(8)).replace('\n', ' ') + "/app");
		return e;
	}

	private List<String> transcript() throws Exception {
		List<Map<String, Object>> lines = new ArrayList<>();
		int n = 0;
		// the first eight shapes, and those trials found shown whole: AWS session
		// tokens, the value of a name ending in "secret", an OpenPGP private key, a
		// Slack app-level token, a URL's password with an "@" in it
		for (int kind : new int[] { 0, 1, 2, 3, 4, 5, 6, 7, 19, 20, 21, 22, 23, 24 }) {
			Map<String, Object> user = entry("user", "u-" + kind, n++);
			user.put("message", Map.of("role", "user", "content", textWithSecret(kind)));
			lines.add(user);
			Map<String, Object> assistant = entry("assistant", "a-" + kind, n++);
			String model = (kind == 3) ? "claude-custom-" + secret(2) : "claude-sonnet-4-6";
			assistant.put("requestId", "req-" + kind);
			assistant.put("message",
					Map.of("id", "msg-" + kind, "role", "assistant", "model", model, "content",
							List.of(Map.of("type", "text", "text", textWithSecret(kind + 1)),
									Map.of("type", "tool_use", "id", "toolu_" + kind, "name",
											(kind == 5) ? "mcp__" + secret(3) : "Bash", "input",
											Map.of("command", "echo " + textWithSecret(kind + 2), "file_path",
													"/src/" + secret(kind + 3).replace('\n', ' ') + ".txt"))),
							"usage", Map.of("input_tokens", 100, "output_tokens", 20)));
			lines.add(assistant);
			Map<String, Object> result = entry("user", "r-" + kind, n++);
			result.put("message", Map.of("role", "user", "content", List.of(Map.of("type", "tool_result", "tool_use_id",
					"toolu_" + kind, "is_error", kind % 2 == 0, "content", "Error: " + textWithSecret(kind + 4)))));
			lines.add(result);
		}
		Map<String, Object> title = new LinkedHashMap<>();
		title.put("type", "ai-title");
		title.put("sessionId", SESSION);
		title.put("aiTitle", "Fixing zebra " + secret(0));
		lines.add(title);
		Map<String, Object> custom = new LinkedHashMap<>();
		custom.put("type", "custom-title");
		custom.put("sessionId", SESSION);
		custom.put("customTitle", "zebra " + secret(6));
		lines.add(custom);
		Map<String, Object> apiError = entry("assistant", "e-1", n++);
		apiError.put("isApiErrorMessage", true);
		apiError.put("error", "invalid_request");
		apiError.put("message",
				Map.of("id", "msg-err", "role", "assistant", "model", "<synthetic>", "content",
						List.of(Map.of("type", "text", "text", "API Error: 400 " + textWithSecret(1))), "usage",
						Map.of("input_tokens", 0, "output_tokens", 0)));
		lines.add(apiError);
		List<String> out = new ArrayList<>();
		for (Map<String, Object> line : lines) {
			out.add(this.mapper.writeValueAsString(line));
		}
		return out;
	}

	@Test
	void noChannelEmitsEightCharactersOfASecret(CapturedOutput log) throws Exception {
		Path file = ROOT.resolve("claude/projects/" + PROJECT + "/" + SESSION + ".jsonl");
		Files.createDirectories(file.getParent());
		Files.write(file, transcript());
		// quiet for long enough to be archived
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
		indexed();

		Map<String, String> channels = new LinkedHashMap<>();
		String api = "/api/sessions/" + PROJECT + "/" + SESSION;
		for (String path : new String[] { "/api/projects", "/api/projects/" + PROJECT,
				"/api/projects/" + PROJECT + "/sessions", "/api/projects/" + PROJECT + "/metrics", api,
				api + "/metrics", api + "/api-errors", api + "/timeline", api + "/tools", api + "/errors",
				api + "/commands", api + "/code-changes", api + "/skills", api + "/subagents", api + "/messages",
				api + "/messages?per_page=200", api + "/messages/filters", api + "/messages/stream",
				api + "/messages/stream?search=zebra", api + "/tool-results/Bash", "/api/metrics/models",
				"/api/metrics/aggregate", "/api/search/stream?q=zebra", "/api/search/stream?q=quokka",
				"/projects/" + PROJECT, "/projects/" + PROJECT + "/sessions/" + SESSION, "/", "/analytics" }) {
			channels.put(path, get(path).text());
		}
		// the reports' downloads (their CSV was written without the JSON channel's
		// redaction: a model id carrying a key came out whole, a trial)
		for (String report : new String[] { "daily", "weekly", "monthly", "blocks", "sessions", "models" }) {
			for (String format : new String[] { "csv", "json" }) {
				String path = "/api/exports/" + report + "?format=" + format;
				channels.put(path, get(path).text());
			}
		}
		JsonNode list = get(api + "/messages?per_page=200").body();
		for (JsonNode m : list.path("messages")) {
			String uuid = m.path("uuid").asText();
			channels.put("message " + uuid, get(api + "/messages/" + uuid).text());
			channels.put("page " + uuid,
					get("/projects/" + PROJECT + "/sessions/" + SESSION + "/messages/" + uuid).text());
		}
		for (int i = 0; i < list.path("messages").size(); i++) {
			channels.put("by-index " + i, get(api + "/messages/by-index/" + i).text());
		}
		// every job first, then their results: JobRunr picks jobs up every few seconds
		Map<String, RealDataWebTest.Response> jobs = new LinkedHashMap<>();
		for (String q : new String[] { "zebra", "quokka", "Error" }) {
			jobs.put("search " + q, postJson("/api/search", "{\"q\": \"" + q + "\"}"));
		}
		// a user searching for a key to see where it leaked: the key is in no channel,
		// JobRunr's job arguments and the database's job rows included
		jobs.put("search for a secret",
				postJson("/api/search", this.mapper.writeValueAsString(Map.of("q", secret(0).strip()))));
		// and a query filtered by a model of a key's shape (a trial's case)
		String keyBody = "ujzPdeIgxLdGncfB" + Long.toString(this.seed, 36) + "AepfJBdKhoOOLdKL";
		this.bodies.add(keyBody);
		jobs.put("query with a key as its model", postJson("/api/queries", this.mapper
			.writeValueAsString(Map.of("group_by", List.of("day"), "model", "sk-ant-api03-" + keyBody))));
		for (String group : new String[] { "model", "project", "tool", "session" }) {
			jobs.put("query " + group, postJson("/api/queries", "{\"group_by\": [\"" + group + "\"]}"));
		}
		Map<String, RealDataWebTest.Response> exports = new LinkedHashMap<>();
		for (String format : new String[] { "csv", "json" }) {
			exports.put("export " + format,
					postJson("/api/exports", "{\"format\": \"" + format + "\", \"project\": \"" + PROJECT + "\"}"));
		}
		HttpResponse<String> archived = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/api/admin/archive"))
				.header("Authorization", adminBasic())
				.header("X-Requested-By", "test")
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(archived.statusCode()).as(archived.body()).isEqualTo(202);
		for (Map.Entry<String, RealDataWebTest.Response> job : jobs.entrySet()) {
			channels.put(job.getKey(), resultOf(job.getValue()).toString());
		}
		for (Map.Entry<String, RealDataWebTest.Response> export : exports.entrySet()) {
			succeeded(export.getValue().body().get("status_url").asText());
			channels.put(export.getKey(),
					get("/api/jobs/" + export.getValue().body().get("job_id").asText() + "/download").text());
		}
		succeeded(this.mapper.readTree(archived.body()).get("status_url").asText());
		channels.put("parquet", parquet());
		channels.put("log", log.getAll());
		// what the database keeps of the jobs: JobRunr's jobs (their arguments and
		// states) and the stored results and errors
		channels.put("jobrunr jobs",
				String.join("\n", this.jdbc.sql("SELECT jobAsJson FROM jobrunr_jobs").query(String.class).list()));
		channels.put("job results", String.join("\n", this.jdbc.sql(
				"SELECT COALESCE(result_json, '') || COALESCE(error, '') || COALESCE(request_text, '') FROM job_request")
			.query(String.class)
			.list()));
		// a search's text is no job argument: it waits in its job's row until the result
		assertThat(channels.get("jobrunr jobs")).as("JobRunr keeps no search text")
			.contains("SearchJobRequest")
			.doesNotContain("quokka");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM job_request WHERE kind = 'search' AND request_text IS NOT NULL")
			.query(Long.class)
			.single()).isZero();

		assertThat(channels.get("parquet")).as("the facts hold the session's text").contains("zebra");
		assertThat(channels.get(api + "/messages/stream")).contains("zebra");
		for (Map.Entry<String, String> channel : channels.entrySet()) {
			for (String body : this.bodies) {
				for (String part : body.split("\n")) {
					for (int i = 0; i + 8 <= part.length(); i++) {
						String fragment = part.substring(i, i + 8);
						int at = channel.getValue().indexOf(fragment);
						assertThat(at).as("seed %d: %s emits %s of %s: %s", this.seed, channel.getKey(), fragment, body,
								(at < 0) ? "" : channel.getValue()
									.substring(Math.max(0, at - 120), Math.min(channel.getValue().length(), at + 60)))
							.isNegative();
					}
				}
			}
		}
	}

	private void succeeded(String status) throws IOException {
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> getAsAdmin(status).body().get("state").asText().matches("succeeded|failed"));
		JsonNode state = getAsAdmin(status).body();
		assertThat(state.get("state").asText()).as("%s", state).isEqualTo("succeeded");
	}

	/** Every value of every Parquet file of the facts, as text. */
	private String parquet() throws Exception {
		StringBuilder all = new StringBuilder();
		try (var files = Files.walk(ROOT.resolve("data/facts"));
				Connection c = DriverManager.getConnection("jdbc:duckdb:");
				Statement s = c.createStatement()) {
			for (Path p : files.filter((f) -> f.toString().endsWith(".parquet")).toList()) {
				try (ResultSet rs = s.executeQuery("SELECT * FROM read_parquet('" + p + "')")) {
					ResultSetMetaData meta = rs.getMetaData();
					while (rs.next()) {
						for (int i = 1; i <= meta.getColumnCount(); i++) {
							all.append(rs.getString(i)).append('\n');
						}
					}
				}
			}
		}
		return all.toString();
	}

}
