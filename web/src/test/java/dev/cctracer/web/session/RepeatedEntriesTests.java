package dev.cctracer.web.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Claude Code writes entries again into the same transcript: VSCode reopening a session
 * re-appends them (anthropics/claude-code#56196: hundreds of byte-identical pairs but for
 * {@code cwd}), concurrent sessions wrote one four times in a row (#66454), and
 * {@code --input-format stream-json} re-appends the history (#5034). A real session
 * followed by a copy of itself, appended after its first index, answers as the session
 * did: its calls, prompts and tools' tokens once (a trial counted 7 calls as 14, 11
 * prompts as 22 and split each call's tokens in half).
 */
class RepeatedEntriesTests extends OwnRootWebTest {

	private static final String PROJECT = "-Users-devuser";

	private static final String SESSION = "4bb63645-c6ef-443f-aec1-53d354b98a7a";

	private static final Path SOURCE = RealDataWebTest.realData()
		.resolve("cc-2026/dotsv2/projects/" + PROJECT + "/" + SESSION + ".jsonl");

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("repeated-entries");
			Path project = Files.createDirectories(ROOT.resolve("claude/projects/" + PROJECT));
			Files.copy(SOURCE, project.resolve(SESSION + ".jsonl"));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		TestRoots.scansOnlyWhenAsked(registry);
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "100000");
	}

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void aSessionWrittenAgainIntoItsTranscriptAnswersAsItDid() throws Exception {
		this.indexer.scanAndIngest();
		String api = "/api/sessions/" + PROJECT + "/" + SESSION;
		JsonNode session = TestHttp.json(this.port, api);
		JsonNode tools = TestHttp.json(this.port, api + "/tools");
		JsonNode commands = TestHttp.json(this.port, api + "/commands");
		JsonNode filtersBefore = TestHttp.json(this.port, api + "/messages/filters");
		// recount (python): 7 tool_use blocks, 7 distinct ids
		assertThat(session.get("tool_calls").asLong()).isEqualTo(7);
		assertThat(tools.get("total_calls").asLong()).isEqualTo(7);
		assertThat(commands.get("commands")).isNotEmpty();
		Path file = ROOT.resolve("claude/projects/" + PROJECT + "/" + SESSION + ".jsonl");
		Files.write(file, Files.readAllBytes(SOURCE), StandardOpenOption.APPEND);
		this.indexer.scanAndIngest();
		JsonNode again = TestHttp.json(this.port, api);
		assertThat(again.get("tool_calls").asLong()).isEqualTo(7);
		assertThat(again.get("tokens")).isEqualTo(session.get("tokens"));
		assertThat(again.get("cost")).isEqualTo(session.get("cost"));
		assertThat(TestHttp.json(this.port, api + "/metrics").get("tool_calls").asLong()).isEqualTo(7);
		assertThat(TestHttp.json(this.port, api + "/tools").get("tools")).isEqualTo(tools.get("tools"));
		assertThat(TestHttp.json(this.port, api + "/commands")).isEqualTo(commands);
		assertThat(TestHttp.json(this.port, "/api/projects/" + PROJECT + "/sessions")
			.get("sessions")
			.get(0)
			.get("tool_calls")
			.asLong()).isEqualTo(7);
		// the entries written again are counted and said: none before the copy; after
		// it, some, at most every line with a uuid, and a third copy adds as many again
		assertThat(filtersBefore.get("repeated_entries").asLong()).isZero();
		long repeated = TestHttp.json(this.port, api + "/messages/filters").get("repeated_entries").asLong();
		// recount: the file's user, assistant and system lines with a uuid (its other
		// lines with one are 16 attachments, none of a hook: no timeline entry)
		long messageLines = 0;
		for (String line : Files.readAllLines(SOURCE)) {
			JsonNode entry = this.json.readTree(line);
			if (entry.hasNonNull("uuid")
					&& List.of("user", "assistant", "system").contains(entry.path("type").asText())) {
				messageLines++;
			}
		}
		assertThat(messageLines).isEqualTo(73);
		assertThat(repeated).isEqualTo(messageLines);
		assertThat(RestClient.create("http://127.0.0.1:" + this.port)
			.get()
			.uri("/projects/" + PROJECT + "/sessions/" + SESSION)
			.retrieve()
			.body(String.class)).contains("id=\"repeated-entries\"",
					String.format(Locale.ROOT, "%,d entries Claude Code wrote again into this transcript", repeated));
		Files.write(file, Files.readAllBytes(SOURCE), StandardOpenOption.APPEND);
		this.indexer.scanAndIngest();
		assertThat(TestHttp.json(this.port, api + "/messages/filters").get("repeated_entries").asLong())
			.isEqualTo(2 * repeated);
		assertThat(TestHttp.json(this.port, api).get("tool_calls").asLong()).isEqualTo(7);
	}

}
