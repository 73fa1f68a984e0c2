package dev.cctracer.web.analytics;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Full-text search over all transcripts as a job: hits link to their message, snippets
 * are redacted, and bad requests are refused.
 */
class SearchApiTests extends RealDataWebTest {

	@Autowired
	MeterRegistry meters;

	@Test
	void shouldFindTextAcrossTranscriptsAndLinkToTheMessage() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search"));
		String key = "sk-ant-api03-" + "Q".repeat(40);
		Files.writeString(dir.resolve("ffffffff-0000-4000-8000-000000000001.jsonl"),
				"{\"type\":\"user\",\"uuid\":\"s-u1\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"sessionId\":"
						+ "\"ffffffff-0000-4000-8000-000000000001\",\"message\":{\"role\":\"user\",\"content\":"
						+ "\"the ZebraQuokka deploy uses " + key + "\"}}\n");
		indexed();
		JsonNode result = search("{\"q\": \"zebraquokka\"}");
		assertThat(result.get("hits")).hasSize(1);
		JsonNode hit = result.get("hits").get(0);
		assertThat(hit.get("project").asText()).isEqualTo("-search");
		assertThat(hit.get("uuid").asText()).isEqualTo("s-u1");
		assertThat(hit.get("type").asText()).isEqualTo("user");
		assertThat(hit.get("snippet").asText()).contains("ZebraQuokka").contains("[REDACTED]").doesNotContain(key);
		assertThat(get(hit.get("link").asText()).body().get("content").asText()).contains("ZebraQuokka");
		// a side question's transcript replays the session's lines with their uuids: the
		// replayed entry is one hit (the session's own), the question's own line another
		String session = "ffffffff-0000-4000-8000-000000000003";
		String asked = "{\"type\":\"user\",\"uuid\":\"s-u2\",\"timestamp\":\"2026-03-01T11:00:00Z\",\"sessionId\":\""
				+ session + "\",\"message\":{\"role\":\"user\",\"content\":\"where does PangolinReplay run\"}}\n";
		Files.writeString(dir.resolve(session + ".jsonl"), asked);
		Path subagents = Files.createDirectories(dir.resolve(session + "/subagents"));
		Files.writeString(subagents.resolve("agent-aside_question-0a1b.jsonl"), asked.replace("\"sessionId\"",
				"\"isSidechain\":true,\"sessionId\"")
				+ "{\"type\":\"user\",\"uuid\":\"s-u3\",\"timestamp\":\"2026-03-01T11:05:00Z\",\"isSidechain\":true,"
				+ "\"sessionId\":\"" + session + "\",\"message\":{\"role\":\"user\",\"content\":"
				+ "\"and why does PangolinReplay stop\"}}\n");
		indexed();
		JsonNode replayed = search("{\"q\": \"pangolinreplay\"}");
		assertThat(replayed.get("hits").findValuesAsText("uuid")).containsExactly("s-u3", "s-u2");
		assertThat(replayed.get("hits").get(1).path("agent_id").asText("")).doesNotStartWith("aside_question");
		assertThat(get("/api/search/stream?q=pangolinreplay").text().strip().split("\n")).hasSize(2);
		// a tool result of over a MiB (a line longer than the reader's buffer): found by
		// its text as the session's own search finds it
		String big = "ffffffff-0000-4000-8000-000000000008";
		Files.writeString(dir.resolve(big + ".jsonl"),
				"{\"type\":\"user\",\"uuid\":\"s-big\",\"timestamp\":\"2026-03-01T12:00:00Z\",\"sessionId\":\"" + big
						+ "\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":"
						+ "\"toolu_big\",\"content\":\"OnePointFive output " + "z".repeat(1_100_000) + "\"}]}}\n");
		indexed();
		JsonNode found = search("{\"q\": \"onepointfive\"}");
		assertThat(found.get("hits").findValuesAsText("uuid")).containsExactly("s-big");
		// called as the timeline calls it: a user line holding a tool result is one
		assertThat(found.get("hits").get(0).get("type").asText()).isEqualTo("tool_result");
		assertThat(get("/api/search/stream?q=onepointfive").text()).contains("\"type\":\"tool_result\"");
		// a real transcript: the prompt of the short session
		JsonNode real = search("{\"q\": \"phx.server\", \"project\": \"" + RealDataLayout.SPOTTER + "\"}");
		assertThat(real.get("hits").findValuesAsText("uuid")).contains("7d48cbd2-6615-4dd8-87f6-38f12b8167d6");
		for (String bad : new String[] { "{}", "{\"q\": \"x\"}", "{\"q\": \" x  \"}",
				"{\"q\": \"ok\", \"project\": \"../x\"}", "{\"q\": \"ok\", \"limit\": 5}",
				// a number or a boolean is not the text searched for (Jackson coerced
				// 12345 to "12345")
				"{\"q\": 12345}", "{\"q\": true}", "{\"q\": \"ok\", \"project\": 7}" }) {
			assertThat(postJson("/api/search", bad).status()).as(bad).isEqualTo(400);
		}
		// the same rules, named, for the body and for the stream's parameters
		assertThat(postJson("/api/search", "{\"q\": \"ok\", \"limit\": 5}").body().get("detail").asText())
			.isEqualTo("unknown field 'limit'; fields are q and project");
		assertThat(postJson("/api/search", "{\"q\": \"ok\", \"limit\": 5, \"bogus\": 1}").body().get("detail").asText())
			.isEqualTo("unknown fields 'bogus', 'limit'; fields are q and project");
		// a field named as the records' own component for the others is one of them
		assertThat(postJson("/api/search", "{\"q\": \"ok\", \"unknown\": {}}").body().get("detail").asText())
			.isEqualTo("unknown field 'unknown'; fields are q and project");
		assertThat(postJson("/api/search", "{\"q\": \" x  \"}").body().get("detail").asText())
			.isEqualTo("q must be text of 2 to 200 characters");
		assertThat(get("/api/search/stream?q=%20x%20").status()).isEqualTo(400);
	}

	@Test
	void shouldStreamEveryHitNewestFirstWithoutTheCap() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search-stream"));
		String key = "ghp_" + "A".repeat(36);
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < 250; i++) {
			sb.append(String.format("{\"type\":\"user\",\"uuid\":\"w-%03d\",\"timestamp\":\"2026-03-02T10:%02d:%02dZ\","
					+ "\"message\":{\"role\":\"user\",\"content\":\"%s step %d of the WombatNeedle rollout with %s\"}}%n",
					i, i / 60, i % 60, "y".repeat(400), i, key));
		}
		Files.writeString(dir.resolve("ffffffff-0000-4000-8000-000000000002.jsonl"), sb);
		indexed();
		String body = get("/api/search/stream?q=wombatneedle").text();
		String[] lines = body.strip().split("\n");
		assertThat(lines).hasSize(250);
		Set<String> uuids = new HashSet<>();
		String previous = null;
		for (String line : lines) {
			JsonNode hit = this.json.readTree(line);
			assertThat(uuids.add(hit.get("uuid").asText())).isTrue();
			assertThat(hit.get("snippet").asText()).contains("WombatNeedle")
				.contains("[REDACTED]")
				.doesNotContain(key)
				.startsWith("…");
			assertThat(hit.get("link").asText()).startsWith("/api/sessions/-search-stream/");
			String ts = hit.get("timestamp").asText();
			if (previous != null) {
				assertThat(ts).isLessThanOrEqualTo(previous);
			}
			previous = ts;
		}
		// the job answers the first 200 and says it was cut; the stream has them all, in
		// the same order
		JsonNode capped = search("{\"q\": \"wombatneedle\"}");
		assertThat(capped.get("truncated").asBoolean()).isTrue();
		assertThat(capped.get("hits").findValuesAsText("uuid"))
			.containsExactlyElementsOf(Arrays.stream(lines).limit(200).map((l) -> {
				try {
					return this.json.readTree(l).get("uuid").asText();
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			}).toList());
		for (String bad : new String[] { "/api/search/stream", "/api/search/stream?q=x",
				"/api/search/stream?q=ok&project=..%2Fx" }) {
			assertThat(get(bad).status()).as(bad).isEqualTo(400);
		}
		// the page of the same search: cached, capped, every hit linked as NDJSON (no
		// empty
		// project in the link: an empty project is every project)
		String page = get("/search?q=wombatneedle").text();
		assertThat(page).contains("The newest 200 hits; there are more.")
			.contains("href=\"/api/search/stream?q=wombatneedle\"")
			.contains(", or narrow the search to a project");
		assertThat(get("/api/search/stream?q=wombatneedle&project=").text().strip().split("\n")).hasSize(250);
		search("{\"q\": \"wombatneedle\", \"project\": \"-search-stream\"}");
		assertThat(get("/search?q=wombatneedle&project=-search-stream").text())
			.contains("href=\"/api/search/stream?q=wombatneedle&amp;project=-search-stream\"")
			.doesNotContain("narrow the search");
		// a project that is not indexed: 404, on the page with the form
		assertThat(get("/api/search/stream?q=wombatneedle&project=-no-such-project").status()).isEqualTo(404);
		assertThat(postJson("/api/search", "{\"q\": \"ok\", \"project\": \"-no-such-project\"}").status())
			.isEqualTo(404);
		Response unknown = get("/search?q=wombatneedle&project=-no-such-project");
		assertThat(unknown.status()).isEqualTo(404);
		assertThat(unknown.text()).contains("id=\"search-form\"").contains("-no-such-project");
	}

	@Test
	void shouldRedactBeforeCuttingSoNoSnippetShowsAPieceOfASecret() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search-cut"));
		String body = "Q7xY9pL2mK4nR8sT1vW3zB6cD0eF5gH7jJ2kL9mN4pQ1rS8tU3vW6xY0zA5bC2d";
		// the key ends 40 characters before the match: a snippet of ±100 cut before
		// redaction began inside it (its prefix gone, the rest in clear); and a second
		// key
		// cut by the stream's window
		String near = "sk-ant-api03-" + body + " ".repeat(40) + "KoalaNeedle";
		String far = "sk-ant-api03-" + body + " " + "x ".repeat(330) + "KoalaNeedle";
		String lines = String
			.format("{\"type\":\"user\",\"uuid\":\"k-1\",\"timestamp\":\"2026-03-03T10:00:00Z\","
					+ "\"message\":{\"role\":\"user\",\"content\":\"%s then %s\"}}%n", near, "z".repeat(50))
				+ String.format("{\"type\":\"user\",\"uuid\":\"k-2\",\"timestamp\":\"2026-03-03T10:01:00Z\","
						+ "\"message\":{\"role\":\"user\",\"content\":\"%s\"}}%n", far);
		Files.writeString(dir.resolve("ffffffff-0000-4000-8000-000000000007.jsonl"), lines);
		indexed();
		List<String> snippets = new ArrayList<>();
		for (String line : get("/api/search/stream?q=koalaneedle").text().strip().split("\n")) {
			snippets.add(this.json.readTree(line).get("snippet").asText());
		}
		search("{\"q\": \"koalaneedle\"}").get("hits").forEach((h) -> snippets.add(h.get("snippet").asText()));
		assertThat(snippets).hasSize(4);
		for (String snippet : snippets) {
			assertThat(snippet).contains("KoalaNeedle");
			for (int i = 0; i + 8 <= body.length(); i++) {
				assertThat(snippet).doesNotContain(body.substring(i, i + 8));
			}
		}
		// the near key is masked whole in its snippet
		assertThat(snippets).anyMatch((s) -> s.contains("[REDACTED]"));
	}

	@Test
	void shouldStopStreamingHitsWhenTheClientDisconnects() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search-gone"));
		StringBuilder sb = new StringBuilder();
		int total = 40_000;
		for (int i = 0; i < total; i++) {
			sb.append("{\"type\":\"user\",\"uuid\":\"g")
				.append(i)
				.append("\",\"message\":{\"role\":\"user\",\"content\":\"PlatypusNeedle ")
				.append("z".repeat(300))
				.append("\"}}\n");
		}
		Files.writeString(dir.resolve("ffffffff-0000-4000-8000-000000000003.jsonl"), sb);
		indexed();
		double before = this.meters.counter("cctracer.stream.search_hits").count();
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write(("GET /api/search/stream?q=platypusneedle HTTP/1.1\r\nHost: localhost:" + this.port
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.ISO_8859_1));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
			for (int i = 0; i < 200; i++) {
				in.readLine();
			}
		}
		double last = -1;
		double now = this.meters.counter("cctracer.stream.search_hits").count();
		while (now != last) {
			Thread.sleep(500);
			last = now;
			now = this.meters.counter("cctracer.stream.search_hits").count();
		}
		assertThat(now - before).isGreaterThan(100).isLessThan(total);
	}

	/** A hit in a subagent's transcript names the subagent as its session's page does. */
	@Test
	void shouldNameTheSubagentOfAHitAsTheSessionPageDoes() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search-agent"));
		String session = "ffffffff-0000-4000-8000-000000000008";
		Files.writeString(dir.resolve(session + ".jsonl"),
				"{\"type\":\"user\",\"uuid\":\"q-u1\",\"timestamp\":" + "\"2026-03-04T10:00:00Z\",\"sessionId\":\""
						+ session + "\",\"message\":{\"role\":\"user\",\"content\":\"what next?\"}}\n");
		Path subagents = Files.createDirectories(dir.resolve(session + "/subagents"));
		Files.writeString(subagents.resolve("agent-aside_question-0c0c.jsonl"),
				"{\"type\":\"assistant\",\"uuid\":\"q-a1\",\"timestamp\":\"2026-03-04T10:00:05Z\",\"sessionId\":\""
						+ session + "\",\"isSidechain\":true,\"agentId\":\"aside_question-0c0c\",\"message\":"
						+ "{\"id\":\"msg_q1\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":"
						+ "[{\"type\":\"text\",\"text\":\"the PangolinMarker is next\"}],\"usage\":"
						+ "{\"input_tokens\":3,\"output_tokens\":5}}}\n");
		indexed();
		assertThat(pageOnceSearched("/search?q=PangolinMarker&project=-search-agent")).contains("id=\"search-hits\"")
			.contains("subagent side question aside_question-0c0c");
	}

	/**
	 * Two project dirs of one path (a project moved, two machines' dirs): the hits name
	 * each project as the project choice does, its path with its dir, not the bare path
	 * twice.
	 */
	@Test
	void shouldNameTheHitsProjectsAsTheProjectChoiceDoes() throws Exception {
		String[] dirs = { "-search-twin-a", "-search-twin-b" };
		for (int i = 0; i < dirs.length; i++) {
			Path dir = Files.createDirectories(ROOT.resolve("claude/projects/" + dirs[i]));
			String session = "ffffffff-0000-4000-8000-00000000007" + i;
			Files.writeString(dir.resolve(session + ".jsonl"), "{\"type\":\"user\",\"uuid\":\"t-u" + i
					+ "\",\"timestamp\":\"2026-03-05T10:00:0" + i + "Z\",\"sessionId\":\"" + session
					+ "\",\"cwd\":\"/home/dev/twin\",\"message\":{\"role\":\"user\",\"content\":\"find the TapirSignal\"}}\n");
		}
		indexed();
		String hits = pageOnceSearched("/search?q=TapirSignal");
		hits = hits.substring(hits.indexOf("id=\"search-hits\""));
		assertThat(hits).contains(">/home/dev/twin (-search-twin-a)</a>", ">/home/dev/twin (-search-twin-b)</a>")
			.doesNotContain(">/home/dev/twin</a>");
	}

	@Test
	void shouldShowTheHitsOnTheSearchPageWithTheirSessionsAndTheMatchesMarked() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search-page"));
		String session = "ffffffff-0000-4000-8000-000000000006";
		Files.writeString(dir.resolve(session + ".jsonl"), "{\"type\":\"user\",\"uuid\":\"p-u1\",\"timestamp\":"
				+ "\"2026-03-03T10:00:00Z\",\"sessionId\":\"" + session
				+ "\",\"message\":{\"role\":\"user\",\"content\":" + "\"restart the OcelotBeacon <b>now</b>\"}}\n"
				+ "{\"type\":\"assistant\",\"uuid\":\"p-a1\",\"timestamp\":\"2026-03-03T10:00:05Z\",\"sessionId\":\""
				+ session + "\",\"message\":{\"id\":\"msg_p1\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\","
				+ "\"content\":[{\"type\":\"text\",\"text\":\"ocelotbeacon restarted; OCELOTBEACON is up\"}],"
				+ "\"usage\":{\"input_tokens\":3,\"output_tokens\":5}}}\n");
		indexed();
		String page = "/search?q=%20OcelotBeacon%20&project=-search-page";
		Response first = get(page);
		assertThat(first.status()).isEqualTo(200);
		Matcher job = Pattern.compile("data-job-status=\"([^\"]+)\"").matcher(first.text());
		// never searched at this data version: the page started the job it polls
		assertThat(job.find()).as(first.text()).isTrue();
		assertThat(first.text()).contains("Searching…").doesNotContain("id=\"search-hits\"");
		String status = job.group(1);
		String jobId = status.substring(status.lastIndexOf('/') + 1);
		// its page asked for at once: the job still running (polled again) or its hits,
		// never "gone"
		assertThat(get(page + "&job=" + jobId).text()).doesNotContain("no longer kept")
			.containsAnyOf("data-job-status=\"" + status + "\"", "id=\"search-hits\"");
		// the page the script fetches once the job ends: that job's hits
		String reload = "/search?q=%20OcelotBeacon%20&amp;project=-search-page&amp;job=" + jobId;
		assertThat(first.text()).contains("data-job-reload=\"" + reload + "\"");
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get(status).body().get("state").asText().equals("succeeded"));
		// meanwhile a live session appends a line: a new data version, whose search is
		// not computed; the finished job's page still shows its hits, and a job of
		// another search is not taken for this one
		Files.writeString(dir.resolve("ffffffff-0000-4000-8000-000000000007.jsonl"),
				"{\"type\":\"user\",\"uuid\":\"p-u9\",\"timestamp\":\"2026-03-03T11:00:00Z\",\"message\":"
						+ "{\"role\":\"user\",\"content\":\"unrelated\"}}\n");
		indexed();
		// the page without the job: the hits of a moment ago, and a new job for the
		// newest lines
		assertThat(get(page).text()).contains("These hits are from a moment ago; searching the newest lines…")
			.contains("2 hits.")
			.contains("data-job-status=\"/api/jobs/")
			.doesNotContain("data-job-status=\"" + status + "\"");
		// a job id that is not this search's finished job shows no hits and starts
		// nothing: unknown, another text's, the same text's in another scope
		for (String other : new String[] { page + "&job=" + UUID.randomUUID(), "/search?q=unrelated&job=" + jobId,
				"/search?q=OcelotBeacon&project=" + RealDataLayout.SPOTTER + "&job=" + jobId,
				"/search?q=OcelotBeacon&job=" + jobId }) {
			assertThat(get(other).text()).as(other)
				.contains("The result of this search is no longer kept")
				.doesNotContain("id=\"search-hits\"")
				.doesNotContain("data-job-status");
		}
		// a job id that is not one: a 400 page with the form, not "no longer kept"
		Response malformed = get(page + "&job=garbage");
		assertThat(malformed.status()).isEqualTo(400);
		assertThat(malformed.text()).doesNotContain("no longer kept").contains("id=\"search-form\"");
		String hits = get(page + "&job=" + jobId).text();
		assertThat(hits).contains("2 hits.")
			.doesNotContain("data-job-status")
			// newest first, each match marked in its own case, the transcript's HTML as
			// text
			.containsSubsequence("<mark>ocelotbeacon</mark> restarted; <mark>OCELOTBEACON</mark> is up",
					"restart the <mark>OcelotBeacon</mark> &lt;b&gt;now&lt;/b&gt;")
			.doesNotContain("<b>now</b>")
			// the session called as the lists call it (its first prompt), each entry
			// linked
			.contains(">restart the OcelotBeacon &lt;b&gt;now&lt;/b&gt;</a>")
			.contains("href=\"/projects/-search-page/sessions/" + session + "/messages/p-a1\"")
			.contains("href=\"/projects/-search-page/sessions/" + session + "/messages/p-u1\"");
		assertThat(get("/projects/-search-page/sessions/" + session + "/messages/p-a1").text())
			.contains("OCELOTBEACON is up");
		// the search the page ran is the API's, cached for the same data
		assertThat(search("{\"q\": \"OcelotBeacon\", \"project\": \"-search-page\"}").get("hits")).hasSize(2);
		// the form alone, and searches the API refuses: the form again, the rule, a 400
		assertThat(get("/search").text()).contains("id=\"search-form\"").doesNotContain("id=\"search-results\"");
		Response tooShort = get("/search?q=%20x%20");
		assertThat(tooShort.status()).isEqualTo(400);
		assertThat(tooShort.text()).contains("id=\"search-form\"").contains("q must be text of 2 to 200 characters");
		assertThat(get("/search?q=ok&project=..%2Fx").status()).isEqualTo(400);
	}

	/**
	 * A real 2026 session's Bash call {@code grep -n "pendingContract" …}: a tool input
	 * is kept as compact JSON, where the quotes read {@code \"}; the text as the user
	 * sees it in the timeline is found by the search job, its stream, the session's own
	 * search and the page (which marks it), as often as an independent walk of the
	 * transcript's decoded strings finds it.
	 */
	@Test
	void shouldFindATextWithQuotesInAToolInputAsTheUserSeesIt() throws Exception {
		String session = "c0dddd8d-6c0f-4a12-8927-28271848cfc7";
		Path source = realData()
			.resolve("cc-2026/dotsv2/projects/-Users-devuser-uw-telecom-mobile/" + session + ".jsonl");
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-search-json"));
		Files.copy(source, dir.resolve(session + ".jsonl"));
		indexed();
		String phrase = "grep -n \"pendingContract\"";
		Set<String> expected = new HashSet<>();
		for (String line : Files.readAllLines(source)) {
			JsonNode entry = this.json.readTree(line);
			if (holds(entry.path("message").path("content"), phrase.toLowerCase(Locale.ROOT))) {
				expected.add(entry.path("uuid").asText());
			}
		}
		assertThat(expected).as("the transcript calls it").isNotEmpty();

		String body = this.json.writeValueAsString(Map.of("q", phrase, "project", "-search-json"));
		JsonNode hits = search(body).get("hits");
		assertThat(hits.findValuesAsText("uuid")).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(hits.get(0).get("snippet").asText()).contains("grep -n \\\"pendingContract\\\"");
		String q = URLEncoder.encode(phrase, StandardCharsets.UTF_8);
		String[] streamed = get("/api/search/stream?project=-search-json&q=" + q).text().strip().split("\n");
		assertThat(streamed).hasSize(expected.size());
		assertThat(this.json.readTree(streamed[0]).get("snippet").asText()).contains("pendingContract");
		JsonNode own = get("/api/sessions/-search-json/" + session + "/messages?search=" + q).body();
		assertThat(own.get("messages").findValuesAsText("uuid")).containsExactlyInAnyOrderElementsOf(expected);
		assertThat(get("/search?project=-search-json&q=" + q).text())
			.contains("<mark>grep -n \\&quot;pendingContract\\&quot;</mark>");
	}

	/** Whether a decoded string anywhere under {@code node} holds {@code lower}. */
	private static boolean holds(JsonNode node, String lower) {
		if (node.isTextual()) {
			return node.asText().toLowerCase(Locale.ROOT).contains(lower);
		}
		for (JsonNode child : node) {
			if (holds(child, lower)) {
				return true;
			}
		}
		return false;
	}

	private JsonNode search(String body) throws Exception {
		return resultOf(postJson("/api/search", body));
	}

	/**
	 * The search page of {@code page} once the job it started has searched: the page
	 * polls {@code data-job-status}, then is asked again with the job's id.
	 */
	private String pageOnceSearched(String page) throws IOException {
		Matcher job = Pattern.compile("data-job-status=\"([^\"]+)\"").matcher(get(page).text());
		assertThat(job.find()).as(page).isTrue();
		String status = job.group(1);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get(status).body().get("state").asText().equals("succeeded"));
		return get(page + "&job=" + status.substring(status.lastIndexOf('/') + 1)).text();
	}

}
