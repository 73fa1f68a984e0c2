package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.worker.SessionFacts;
import dev.cctracer.worker.SessionFacts.Entry;
import dev.cctracer.worker.SessionFacts.Timeline;
import dev.cctracer.worker.SessionFacts.ToolCall;
import dev.cctracer.worker.SessionFacts.ToolResult;
import dev.cctracer.worker.WorkerApplication;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link FactTimeline}: a hand-written session (a prompt with a secret and a
 * long text, a response streamed as two lines of one message, a response calling two
 * tools, their results, one failed, a line that is not JSON, a summary line) and a
 * subagent, read back from the facts in file order, page by page, also once the
 * transcripts are gone from the disk; it reads only (it writes no facts of its own).
 */
class FactTimelineTests {

	private static final String PROJECT = "-work-timeline";

	private static final String SESSION = "aaaaaaaa-0000-4000-8000-00000000000a";

	private static final String SECRET = "sk-ant-api03-" + "Q".repeat(24);

	@TempDir
	Path tmp;

	private ConfigurableApplicationContext app;

	private SessionFacts facts;

	private Path main;

	private Path agent;

	@BeforeEach
	void start() throws Exception {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects").resolve(PROJECT));
		this.main = project.resolve(SESSION + ".jsonl");
		Files.writeString(this.main, String.join("",
				"{\"type\":\"user\",\"timestamp\":\"2026-11-02T10:00:00Z\",\"uuid\":\"u-1\",\"message\":{\"role\":\"user\","
						+ "\"content\":\"  please use " + SECRET + " then " + "x".repeat(400) + "\"}}\n",
				assistant("u-2", "m1", "2026-11-02T10:00:05Z", 5, "[{\"type\":\"text\",\"text\":\"thinking aloud\"}]"),
				assistant("u-3", "m1", "2026-11-02T10:00:06Z", 9, "[{\"type\":\"text\",\"text\":\"thinking aloud\"}]"),
				"not json at all\n",
				assistant("u-4", "m2", "2026-11-02T10:01:00Z", 7,
						"[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}},"
								+ "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"Read\",\"input\":{\"file_path\":\"x\"}}]"),
				result("u-5", "t1", false, "2026-11-02T10:01:02Z"), result("u-6", "t2", true, "2026-11-02T10:01:05Z"),
				"{\"type\":\"summary\",\"summary\":\"Listing files\",\"leafUuid\":\"u-6\"}\n"), StandardCharsets.UTF_8);
		Path subagents = Files.createDirectories(project.resolve(SESSION).resolve("subagents"));
		this.agent = subagents.resolve("agent-a1b2.jsonl");
		Files.writeString(this.agent, assistant("s-1", "m9", "2026-11-02T10:02:00Z", 3, "\"from the subagent\"")
			.replace("\"type\":", "\"isSidechain\":true,\"agentId\":\"a1b2\",\"type\":"), StandardCharsets.UTF_8);
		this.app = new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + this.tmp.resolve("claude"),
					"cctracer.data-dir=" + this.tmp.resolve("data"), "cctracer.origin=box-a",
					"cctracer.ingest.watch=false", "cctracer.ingest.enabled=false",
					"jobrunr.background-job-server.enabled=false", "cctracer.facts.after-commit=false",
					"spring.main.banner-mode=off", "logging.level.root=WARN")
			.run();
		this.app.getBean(Indexer.class).scanAndIngest();
		this.app.getBean(FactsStore.class).sync((n) -> {
		});
		this.facts = this.app.getBean(SessionFacts.class);
	}

	@AfterEach
	void close() {
		this.app.close();
	}

	@Test
	void readsEveryJsonLineInFileOrderWithTokensToolsAndARedactedPreview() {
		Timeline timeline = this.facts.entries(PROJECT, SESSION, null, 0, SessionFacts.MAX_LIMIT).orElseThrow();
		assertThat(timeline.total()).isEqualTo(7);
		assertThat(timeline.complete()).isTrue();
		assertThat(timeline.hasMore()).isFalse();
		assertThat(timeline.origin()).isEqualTo("box-a");
		assertThat(timeline.thisMachine()).isTrue();
		List<Entry> entries = timeline.entries();
		assertThat(entries).extracting(Entry::index).containsExactly(1, 2, 3, 4, 5, 6, 7);
		assertThat(entries).extracting(Entry::uuid).containsExactly("u-1", "u-2", "u-3", "u-4", "u-5", "u-6", null);
		assertThat(entries).extracting(Entry::type)
			.containsExactly("user", "assistant", "assistant", "assistant", "user", "user", "summary");
		assertThat(entries.get(0).time()).isEqualTo(Instant.parse("2026-11-02T10:00:00Z"));
		assertThat(entries.get(6).time()).isNull();

		Entry prompt = entries.get(0);
		assertThat(prompt.tokens()).isNull();
		assertThat(prompt.counted()).isFalse();
		assertThat(prompt.preview()).startsWith("please use [REDACTED] then xxx")
			.doesNotContain("sk-ant")
			.endsWith("…")
			.hasSize(SessionFacts.PREVIEW_CHARS);

		// the streamed response: both lines carry usage, the larger copy is the one
		// counted
		assertThat(entries.get(1).tokens().output()).isEqualTo(5);
		assertThat(entries.get(1).counted()).isFalse();
		assertThat(entries.get(2).tokens()).isEqualTo(new SessionFacts.Tokens(1, 9, 0, 0, 2));
		assertThat(entries.get(2).counted()).isTrue();
		assertThat(entries.get(2).model()).isEqualTo("claude-sonnet-4-5");
		assertThat(entries.get(2).preview()).isEqualTo("thinking aloud");

		Entry calls = entries.get(3);
		assertThat(calls.counted()).isTrue();
		assertThat(calls.toolCalls()).containsExactly(new ToolCall("t1", "Bash"), new ToolCall("t2", "Read"));
		assertThat(calls.toolResults()).isEmpty();
		assertThat(entries.get(4).toolResults()).containsExactly(new ToolResult("t1", false));
		assertThat(entries.get(5).toolResults()).containsExactly(new ToolResult("t2", true));
		assertThat(entries.get(5).toolCalls()).isEmpty();
		// counted usage of the file equals its totals
		long output = entries.stream().filter(Entry::counted).mapToLong((e) -> e.tokens().output()).sum();
		assertThat(output).isEqualTo(16);
		assertThat(jdbc().sql("SELECT output_tokens FROM source_file WHERE kind = 'MAIN'").query(Long.class).single())
			.isEqualTo(16);
	}

	@Test
	void pagesByOffsetAndLimit() {
		Timeline page = this.facts.entries(PROJECT, SESSION, null, 2, 3).orElseThrow();
		assertThat(page.offset()).isEqualTo(2);
		assertThat(page.entries()).extracting(Entry::index).containsExactly(3, 4, 5);
		assertThat(page.entries()).extracting(Entry::uuid).containsExactly("u-3", "u-4", "u-5");
		assertThat(page.hasMore()).isTrue();
		Timeline last = this.facts.entries(PROJECT, SESSION, null, 5, 3).orElseThrow();
		assertThat(last.entries()).extracting(Entry::uuid).containsExactly("u-6", null);
		assertThat(last.hasMore()).isFalse();
		assertThat(this.facts.entries(PROJECT, SESSION, null, 7, 3).orElseThrow().entries()).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.facts.entries(PROJECT, SESSION, null, 0, 0));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.facts.entries(PROJECT, SESSION, null, 0, SessionFacts.MAX_LIMIT + 1));
		assertThatIllegalArgumentException().isThrownBy(() -> this.facts.entries(PROJECT, SESSION, null, -1, 1));
	}

	@Test
	void readsASubagentsOwnTranscriptAndNothingForAnUnknownOne() {
		Timeline sub = this.facts.entries(PROJECT, SESSION, "a1b2", 0, 10).orElseThrow();
		assertThat(sub.entries()).singleElement().satisfies((e) -> {
			assertThat(e.uuid()).isEqualTo("s-1");
			assertThat(e.sidechain()).isTrue();
			assertThat(e.agentId()).isEqualTo("a1b2");
			assertThat(e.counted()).isTrue();
			assertThat(e.preview()).isEqualTo("from the subagent");
		});
		assertThat(this.facts.entries(PROJECT, SESSION, "nobody", 0, 10)).isEmpty();
		assertThat(this.facts.entries(PROJECT, "bbbbbbbb-0000-4000-8000-00000000000b", null, 0, 10)).isEmpty();
		assertThat(this.facts.entries("-elsewhere", SESSION, null, 0, 10)).isEmpty();
	}

	/**
	 * A teammate's transcript: another origin's, not on this disk. Its facts are read as
	 * they are; lines it commits later show once its worker has written their facts.
	 */
	@Test
	void readsAnotherMachinesFactsWithoutTheTranscriptAndWritesNone() throws IOException {
		jdbc().sql("UPDATE source_file SET origin = 'box-b'").update();
		Files.delete(this.main);
		Files.delete(this.agent);
		long segments = jdbc().sql("SELECT COUNT(*) FROM fact_segment").query(Long.class).single();

		Timeline timeline = this.facts.entries(PROJECT, SESSION, null, 0, 100).orElseThrow();
		assertThat(timeline.origin()).isEqualTo("box-b");
		assertThat(timeline.thisMachine()).isFalse();
		assertThat(timeline.entries()).hasSize(7);
		assertThat(this.facts.entries(PROJECT, SESSION, "a1b2", 0, 100).orElseThrow().entries()).hasSize(1);

		// box-b commits more lines; until its worker writes their facts they are not
		// shown
		long committed = jdbc().sql("SELECT committed_offset FROM source_file WHERE kind = 'MAIN'")
			.query(Long.class)
			.single();
		jdbc().sql("UPDATE source_file SET committed_offset = committed_offset + 100 WHERE kind = 'MAIN'").update();
		Timeline lagging = this.facts.entries(PROJECT, SESSION, null, 0, 100).orElseThrow();
		assertThat(lagging.complete()).isFalse();
		assertThat(lagging.coveredBytes()).isEqualTo(committed);
		assertThat(lagging.committedBytes()).isEqualTo(committed + 100);
		assertThat(lagging.entries()).hasSize(7);
		assertThat(jdbc().sql("SELECT COUNT(*) FROM fact_segment").query(Long.class).single()).isEqualTo(segments);
	}

	/** A segment whose files are lost ends what is read; its record is left alone. */
	@Test
	void stopsAtALostSegment() throws IOException {
		String entries = jdbc().sql("""
				SELECT s.entries_path FROM fact_segment s JOIN source_file f ON f.id = s.file_id WHERE f.kind = 'MAIN'
				""").query(String.class).single();
		Files.delete(this.app.getBean(FactsStore.class).resolve(entries));
		Timeline timeline = this.facts.entries(PROJECT, SESSION, null, 0, 100).orElseThrow();
		assertThat(timeline.entries()).isEmpty();
		assertThat(timeline.total()).isZero();
		assertThat(timeline.complete()).isFalse();
		assertThat(jdbc().sql("SELECT COUNT(*) FROM fact_segment").query(Long.class).single()).isEqualTo(2);
	}

	/** Facts of two segments (an append synced later) read as one run of entries. */
	@Test
	void readsAcrossSegments() throws Exception {
		Files.writeString(this.main, result("u-7", "t9", false, "2026-11-02T10:05:00Z"), StandardOpenOption.APPEND);
		this.app.getBean(Indexer.class).scanAndIngest();
		Timeline before = this.facts.entries(PROJECT, SESSION, null, 0, 100).orElseThrow();
		assertThat(before.complete()).isFalse();
		assertThat(before.entries()).hasSize(7);
		this.app.getBean(FactsStore.class).sync((n) -> {
		});
		Timeline after = this.facts.entries(PROJECT, SESSION, null, 6, 100).orElseThrow();
		assertThat(after.complete()).isTrue();
		assertThat(after.total()).isEqualTo(8);
		assertThat(after.entries()).extracting(Entry::uuid).containsExactly(null, "u-7");
		assertThat(after.entries().get(1).toolResults()).containsExactly(new ToolResult("t9", false));
	}

	private JdbcClient jdbc() {
		return this.app.getBean(JdbcClient.class);
	}

	private static String assistant(String uuid, String id, String ts, int output, String content) {
		return "{\"type\":\"assistant\",\"timestamp\":\"" + ts + "\",\"uuid\":\"" + uuid + "\",\"requestId\":\"r-" + id
				+ "\",\"message\":{\"id\":\"" + id + "\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":1,"
				+ "\"output_tokens\":" + output + ",\"cache_read_input_tokens\":2},\"content\":" + content + "}}\n";
	}

	private static String result(String uuid, String toolUseId, boolean error, String ts) {
		return "{\"type\":\"user\",\"timestamp\":\"" + ts + "\",\"uuid\":\"" + uuid
				+ "\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
				+ toolUseId + "\",\"is_error\":" + error + ",\"content\":\"done\"}]}}\n";
	}

}
