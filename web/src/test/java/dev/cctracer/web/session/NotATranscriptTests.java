package dev.cctracer.web.session;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A binary file named as a transcript beside a real 2026 project: its lines are counted
 * malformed, it lists no session and no project (a trial saw a "completed" session of 0
 * messages), and the real sessions are untouched.
 */
class NotATranscriptTests extends OwnRootWebTest {

	private static final String PROJECT = "-home-devuser2-Claude";

	private static final String BINARY = "44444444-0000-4000-8000-000000000000";

	/**
	 * Random bytes in lines of 100, none a JSON object, a blank line after every tenth (a
	 * trial's random file had one: no malformed line, so "every line malformed" missed
	 * it).
	 */
	private static final int LINES = 60;

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("not-a-transcript");
			FileSystemUtils.copyRecursively(
					RealDataWebTest.realData().resolve("cc-2026/omarchy-backup/projects/" + PROJECT),
					Files.createDirectories(ROOT.resolve("claude/projects/" + PROJECT)));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		TestRoots.scansOnlyWhenAsked(registry);
		registry.add("cctracer.web.admin-password", () -> "not-a-transcript-password");
		// the smallest line cap, so that a line over it is cheap to write
		registry.add("cctracer.ingest.max-line-bytes", () -> "64KB");
	}

	@Test
	void aBinaryFileNamedAsATranscriptListsNoSessionAndItsLinesAreCounted() throws Exception {
		RestClient http = RestClient.create("http://127.0.0.1:" + this.port);
		this.indexer.scanAndIngest();
		JsonNode before = TestHttp.json(this.port, "/api/projects/" + PROJECT + "/sessions?limit=500");
		// the other test's lines may be counted already
		long invalidBefore = TestHttp.json(this.port, "/api/index/status").get("invalid_lines").asLong();
		long sessionCount = project(http, PROJECT).get("session_count").asLong();

		Random random = new Random(4);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int line = 0; line < LINES; line++) {
			for (int i = 0; i < 100; i++) {
				int b = random.nextInt(256);
				bytes.write((b == '\n' || b == '\r' || b == '{' || b == ' ') ? 'x' : b);
			}
			bytes.write('\n');
			if (line % 10 == 9) {
				bytes.write('\n');
			}
		}
		Files.write(ROOT.resolve("claude/projects/" + PROJECT + "/" + BINARY + ".jsonl"), bytes.toByteArray());
		Path elsewhere = Files.createDirectories(ROOT.resolve("claude/projects/-home-devuser2-binary"));
		Files.write(elsewhere.resolve(BINARY + ".jsonl"), bytes.toByteArray());
		this.indexer.scanAndIngest();

		assertThat(TestHttp.json(this.port, "/api/index/status").get("invalid_lines").asLong())
			.isEqualTo(invalidBefore + 2L * LINES);
		JsonNode after = TestHttp.json(this.port, "/api/projects/" + PROJECT + "/sessions?limit=500");
		assertThat(after.get("total").asLong()).isEqualTo(before.get("total").asLong());
		assertThat(after.toString()).doesNotContain(BINARY);
		assertThat(project(http, PROJECT).get("session_count").asLong()).isEqualTo(sessionCount);
		assertThat(TestHttp.json(this.port, "/api/projects").toString()).doesNotContain("-home-devuser2-binary");
		assertThat(TestHttp.json(this.port, "/api/sessions?limit=500").toString()).doesNotContain(BINARY);
		// the console names both, marked; the real transcripts are not in that list
		String skipped = skippedFiles(http);
		assertThat(skipped.split("not a transcript</span>", -1)).hasSize(3);
		assertThat(skipped).contains(PROJECT + "/" + BINARY + ".jsonl", "-home-devuser2-binary/" + BINARY + ".jsonl");

		// one removed: its lines stay counted among the skipped ones, and the list the
		// overview's banner links still names it, marked removed
		Files.delete(elsewhere.resolve(BINARY + ".jsonl"));
		this.indexer.scanAndIngest();
		assertThat(TestHttp.json(this.port, "/api/index/status").get("invalid_lines").asLong())
			.isEqualTo(invalidBefore + 2L * LINES);
		String listed = skippedFiles(http);
		assertThat(listed.split(">removed</span>", -1)).hasSize(2);
		assertThat(listed).containsPattern("-home-devuser2-binary/" + BINARY
				+ "\\.jsonl</code>\\s*<span class=\"badge warn\"[^>]*>not a transcript</span><span class=\"badge\"[^>]*>removed</span>");
	}

	/**
	 * A session one of whose lines could not be read says so on its page, with how many
	 * and why (a trial's response on a line over the cap was dropped without a word
	 * there); a session without one does not.
	 */
	@Test
	void shouldSayOnASessionsPageWhenItsLinesCouldNotBeRead() throws Exception {
		String session = "512f6c74-f82f-4adb-9719-4ae90076677c";
		this.indexer.scanAndIngest();
		String before = TestHttp.send(this.port, "/projects/" + PROJECT + "/sessions/" + session).body();
		assertThat(before).doesNotContain("id=\"skipped-lines\"");
		Files.writeString(ROOT.resolve("claude/projects/" + PROJECT + "/" + session + ".jsonl"),
				"{\"type\":\"assistant\",\"message\":{\"usage\":\n", StandardOpenOption.APPEND);
		Files.writeString(ROOT.resolve("claude/projects/" + PROJECT + "/" + session + ".jsonl"), "not json at all\n",
				StandardOpenOption.APPEND);
		this.indexer.scanAndIngest();
		String after = TestHttp.send(this.port, "/projects/" + PROJECT + "/sessions/" + session).body();
		assertThat(after).contains("id=\"skipped-lines\"", "2 lines", "2 not JSON", "href=\"/admin#skipped-files\"")
			.doesNotContain("over the line cap");
		// a response on a line over the cap (100 KB of text)
		Files.writeString(ROOT.resolve("claude/projects/" + PROJECT + "/" + session + ".jsonl"),
				"{\"type\":\"assistant\",\"sessionId\":\"" + session + "\",\"message\":{\"id\":\"msg_big\",\"content\":"
						+ "[{\"type\":\"text\",\"text\":\"" + "x".repeat(100_000)
						+ "\"}],\"usage\":{\"input_tokens\":5," + "\"output_tokens\":7}}}\n",
				StandardOpenOption.APPEND);
		this.indexer.scanAndIngest();
		assertThat(TestHttp.send(this.port, "/projects/" + PROJECT + "/sessions/" + session).body()).contains("3 lines",
				"1 over the line cap", "2 not JSON");
		assertThat(TestHttp.send(this.port, "/projects/" + PROJECT + "/sessions/44ef5cbf-9cc3-4f7b-ac40-337a4d39713b")
			.body()).doesNotContain("id=\"skipped-lines\"");
	}

	/** The console's table of transcripts with skipped lines. */
	private static String skippedFiles(RestClient http) {
		String admin = http.get()
			.uri("/admin")
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString("admin:not-a-transcript-password".getBytes(StandardCharsets.UTF_8)))
			.retrieve()
			.body(String.class);
		String table = admin.substring(admin.indexOf("id=\"skipped-files\""));
		return table.substring(0, table.indexOf("</table>"));
	}

	private JsonNode project(RestClient http, String dir) throws IOException, InterruptedException {
		for (JsonNode p : TestHttp.json(this.port, "/api/projects").get("projects")) {
			if (p.get("path_hash").asText().equals(dir)) {
				return p;
			}
		}
		throw new AssertionError("no project " + dir);
	}

}
