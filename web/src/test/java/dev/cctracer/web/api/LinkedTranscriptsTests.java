package dev.cctracer.web.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Transcripts reached through links, and paths named like transcripts that are not files
 * (found by a user's trial, issue 18's stop of 2026-12-04): an append to a linked project
 * dir or to a linked transcript shows within seconds with the recurring scan an hour away
 * (the watcher watches a linked file's own directory), and a link made before its target
 * is followed once the target exists; a pipe or a link to a device is never registered as
 * a session, by the scan or the watcher, and is listed among the unreadable paths. Also
 * the session list's {@code order} check and its null fields.
 */
class LinkedTranscriptsTests extends OwnRootWebTest {

	private static final String LINKED_PROJECT = "-home-dev-linked";

	/** A second link to the same project dir: one directory the OS watches once. */
	private static final String LINKED_AGAIN = "-home-dev-linked-again";

	private static final String PROJECT = "-home-dev-plain";

	private static final String IN_LINKED_DIR = "11111111-1111-4111-8111-111111111111";

	private static final String LINKED_FILE = "22222222-2222-4222-8222-222222222222";

	private static final String PIPE = "33333333-3333-4333-8333-333333333333";

	private static final String DEVICE = "44444444-4444-4444-8444-444444444444";

	private static final String LATE_PIPE = "55555555-5555-4555-8555-555555555555";

	/** A project dir whose transcript is a link made before its target. */
	private static final String EARLY_PROJECT = "-home-dev-early";

	private static final String EARLY_LINK = "66666666-6666-4666-8666-666666666666";

	/** A project dir that is a link made before its target. */
	private static final String EARLY_DIR_PROJECT = "-home-dev-early-dir";

	private static final String IN_EARLY_DIR = "77777777-7777-4777-8777-777777777777";

	private static final Path ROOT = layout();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		// only the watcher can see an append within the test
		registry.add("cctracer.ingest.scan-interval", () -> "1h");
	}

	@Autowired
	JdbcClient jdbc;

	/**
	 * {@code store/} outside the Claude dir holds a project dir and a loose transcript;
	 * {@code projects/} links to both, and holds a pipe and a link to {@code /dev/zero}.
	 */
	private static Path layout() {
		try {
			Path root = TestRoots.create("links");
			Path projects = root.resolve("claude/projects");
			Path storeProject = Files.createDirectories(root.resolve("store/" + LINKED_PROJECT));
			Files.writeString(storeProject.resolve(IN_LINKED_DIR + ".jsonl"), line("msg_a1", 100));
			Files.createSymbolicLink(projects.resolve(LINKED_PROJECT), storeProject);
			Files.createSymbolicLink(projects.resolve(LINKED_AGAIN), storeProject);
			Path loose = Files.createDirectories(root.resolve("store/loose"));
			Files.writeString(loose.resolve(LINKED_FILE + ".jsonl"), line("msg_b1", 200));
			Path plain = Files.createDirectories(projects.resolve(PROJECT));
			Files.createSymbolicLink(plain.resolve(LINKED_FILE + ".jsonl"), loose.resolve(LINKED_FILE + ".jsonl"));
			mkfifo(plain.resolve(PIPE + ".jsonl"));
			Files.createSymbolicLink(plain.resolve(DEVICE + ".jsonl"), Path.of("/dev/zero"));
			Files.createDirectories(projects.resolve(EARLY_PROJECT));
			// a transcript renamed by hand: not read, but said
			Files.writeString(plain.resolve("renamed-session.jsonl"), line("msg_r1", 5));
			// a session that opens with /model opus, then a prompt; one with a command
			// only
			Path commands = Files.createDirectories(projects.resolve("-home-user-commands"));
			Files.writeString(commands.resolve("c0000000-0000-4000-8000-000000000001.jsonl"),
					userLine("c1", "<command-name>/model</command-name>\\n<command-args>opus</command-args>")
							+ userLine("c2", "Fix the login form") + line("msg_c1", 3));
			Files.writeString(commands.resolve("c0000000-0000-4000-8000-000000000002.jsonl"),
					userLine("c3",
							"<command-name>/review</command-name>\\n<command-args>the auth module</command-args>")
							+ line("msg_c2", 4));
			// project dirs named by hand, not as Claude Code names them: not read, but
			// said
			for (String odd : new String[] { "-home-user-a+b", "-home-user-a b" }) {
				Files.writeString(Files.createDirectories(projects.resolve(odd)).resolve(LINKED_FILE + ".jsonl"),
						line("msg_odd", 7));
			}
			return root;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void mkfifo(Path path) throws IOException {
		try {
			Process p = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start();
			assertThat(p.waitFor()).isZero();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException(ex);
		}
	}

	private static String userLine(String uuid, String text) {
		return "{\"type\":\"user\",\"uuid\":\"" + uuid + "\",\"timestamp\":\"2026-11-30T09:59:00Z\","
				+ "\"message\":{\"role\":\"user\",\"content\":\"" + text + "\"}}\n";
	}

	private static String line(String messageId, long output) {
		return "{\"type\":\"assistant\",\"timestamp\":\"2026-11-30T10:00:00Z\",\"requestId\":\"req_" + messageId
				+ "\",\"message\":{\"id\":\"" + messageId + "\",\"model\":\"claude-opus-4-6\","
				+ "\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output + "}}}\n";
	}

	/**
	 * A session is called by its first prompt though a slash command came first
	 * ({@code /model opus}), and by its first command typed with arguments when it has no
	 * prompt.
	 */
	@Test
	void aPromptNamesASessionBeforeACommandThatCameFirst() throws Exception {
		this.indexer.scanAndIngest();
		JsonNode sessions = get("/api/sessions?project=-home-user-commands").get("sessions");
		assertThat(sessions).hasSize(2);
		for (JsonNode s : sessions) {
			assertThat(s.get("first_prompt").asText()).isEqualTo(
					s.get("session_id").asText().endsWith("1") ? "Fix the login form" : "/review the auth module");
		}
	}

	@Test
	void appendsThroughLinksShowWithoutTheScan() throws Exception {
		this.indexer.scanAndIngest();
		long before = output();
		assertThat(outputOf(LINKED_PROJECT, LINKED_AGAIN, PROJECT)).isEqualTo(300);
		Files.writeString(ROOT.resolve("store/" + LINKED_PROJECT + "/" + IN_LINKED_DIR + ".jsonl"),
				line("msg_a2", 1000), StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(output()).isEqualTo(before + 1000));
		// both paths to the directory follow it (the dedup counts its responses once)
		long size = Files.size(ROOT.resolve("store/" + LINKED_PROJECT + "/" + IN_LINKED_DIR + ".jsonl"));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(this.jdbc
				.sql("SELECT committed_offset FROM source_file WHERE rel_path LIKE '%" + IN_LINKED_DIR + "%'")
				.query(Long.class)
				.list()).containsExactly(size, size));
		Files.writeString(ROOT.resolve("store/loose/" + LINKED_FILE + ".jsonl"), line("msg_b2", 10_000),
				StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output()).isEqualTo(before + 1000 + 10_000));
	}

	/**
	 * A link made before the file it points to (a sync tool, a dotfiles manager): once
	 * the file appears it is read, and its appends show, without the scan.
	 */
	@Test
	void aLinkMadeBeforeItsTargetIsFollowedOnceTheTargetExists() throws Exception {
		this.indexer.scanAndIngest();
		// in a directory no other link leads to, made after the link: only the watch the
		// link's target gets sees the append below
		Path target = ROOT.resolve("store/early/" + EARLY_LINK + ".jsonl");
		Files.createSymbolicLink(ROOT.resolve("claude/projects/" + EARLY_PROJECT + "/" + EARLY_LINK + ".jsonl"),
				target);
		// the watcher has seen the link, with nothing behind it
		Thread.sleep(1500);
		assertThat(outputOf(EARLY_PROJECT)).isZero();
		writtenThenAppended(target, EARLY_PROJECT, 100_000, 1_000_000);
	}

	/**
	 * A project dir's link made before its target: once the directory appears, its
	 * transcripts are read and their appends show, without the scan.
	 */
	@Test
	void aProjectDirLinkMadeBeforeItsTargetIsWatchedOnceTheTargetExists() throws Exception {
		this.indexer.scanAndIngest();
		Path target = ROOT.resolve("store/" + EARLY_DIR_PROJECT);
		Files.createSymbolicLink(ROOT.resolve("claude/projects/" + EARLY_DIR_PROJECT), target);
		Thread.sleep(1500);
		writtenThenAppended(target.resolve(IN_EARLY_DIR + ".jsonl"), EARLY_DIR_PROJECT, 30_000, 300_000);
	}

	/**
	 * Writes a transcript (and its directory) with one response, then appends another:
	 * the project's output shows each within 5 s, the scan an hour away.
	 */
	private void writtenThenAppended(Path file, String project, long first, long second) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, line("msg_" + project + "_1", first));
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(outputOf(project)).isEqualTo(first));
		Files.writeString(file, line("msg_" + project + "_2", second), StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(outputOf(project)).isEqualTo(first + second));
	}

	@Test
	void pipesAndDevicesAreNeverSessions() throws Exception {
		this.indexer.scanAndIngest();
		JsonNode unreadable = get("/api/index/status").get("unreadable_paths");
		assertThat(unreadable.findValuesAsText("path")).anyMatch((p) -> p.endsWith(PIPE + ".jsonl"))
			.anyMatch((p) -> p.endsWith(DEVICE + ".jsonl"));
		assertThat(unreadable.findValuesAsText("reason")).contains("not a regular file");
		assertThat(unreadable).anySatisfy((p) -> {
			assertThat(p.get("path").asText()).endsWith(PROJECT + "/renamed-session.jsonl");
			assertThat(p.get("reason").asText()).startsWith("not named as a transcript");
		});
		for (String odd : new String[] { "-home-user-a+b", "-home-user-a b" }) {
			assertThat(unreadable).as(odd).anySatisfy((p) -> {
				assertThat(p.get("path").asText()).endsWith("/projects/" + odd);
				assertThat(p.get("reason").asText()).startsWith("a project dir not named as Claude Code names them");
			});
		}
		// a pipe made while the app runs: the watcher's event registers nothing either
		mkfifo(ROOT.resolve("claude/projects/" + PROJECT + "/" + LATE_PIPE + ".jsonl"));
		Thread.sleep(1500);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE rel_path LIKE :p")
			.param("p", "%" + PROJECT + "/%")
			.query(Long.class)
			.single()).isEqualTo(1);
		JsonNode sessions = get("/api/projects/" + PROJECT + "/sessions").get("sessions");
		assertThat(sessions.findValuesAsText("session_id")).containsExactly(LINKED_FILE);
	}

	@Test
	void sessionListsCheckTheirOrderAndKeepNullFields() throws Exception {
		this.indexer.scanAndIngest();
		HttpResponse<String> bad = send("/api/sessions?order=sideways");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("order must be asc or desc");
		assertThat(send("/api/projects/" + PROJECT + "/sessions?order=sideways").statusCode()).isEqualTo(400);
		// a malformed request is a 400 before the project is looked up
		assertThat(send("/api/projects/-home-dev-nowhere/sessions?order=sideways").statusCode()).isEqualTo(400);
		assertThat(send("/api/projects/-home-dev-nowhere/sessions").statusCode()).isEqualTo(404);
		JsonNode ascending = get("/api/sessions?order=ASC&sort=messages");
		// no titles or agents' names here: the keys are there, null; no prompt to show
		JsonNode first = ascending.get("sessions").get(0);
		assertThat(first.has("title")).isTrue();
		assertThat(first.get("title").isNull()).isTrue();
		assertThat(first.has("agent_name")).isTrue();
		assertThat(first.has("first_prompt")).isFalse();
		// a list row has no agents (a session's own answer has)
		assertThat(first.has("agents")).isFalse();
	}

	@Test
	void aRefusedFormWithAMalformedAcceptHeaderIsStillA403() throws Exception {
		HttpResponse<String> refused = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/logout"))
				.header("Accept", "garbage")
				.POST(HttpRequest.BodyPublishers.noBody())
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("\"status\":403");
	}

	@Test
	void pricesAreWrittenAsPlainNumbers() throws Exception {
		String body = send("/api/metrics/pricing").body();
		assertThat(body).contains("\"claude-opus-4-6\"").doesNotContainPattern("[0-9][eE][+-]?[0-9]");
	}

	/** The counted output tokens of these projects' transcripts. */
	private long outputOf(String... projects) {
		return this.jdbc.sql("SELECT COALESCE(SUM(output_tokens), 0) FROM source_file WHERE project_dir IN (:p)")
			.param("p", List.of(projects))
			.query(Long.class)
			.single();
	}

	private long output() throws Exception {
		return get("/api/metrics/aggregate").get("tokens").get("output_tokens").asLong();
	}

	private JsonNode get(String path) throws Exception {
		return TestHttp.json(this.port, path);
	}

	private HttpResponse<String> send(String path) throws Exception {
		return TestHttp.send(this.port, path);
	}

}
