package dev.cctracer.web.session;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same session in two Claude config dirs (a synced or backed-up {@code ~/.claude}
 * beside the live one; in a team database, the same transcripts on two machines): its
 * responses count once (the dedup is global), and so does each of its transcripts — one
 * subagent row per subagent, one tool call per call — however many copies of the file are
 * indexed. Expected values are read from the transcripts' directory, not from the app.
 */
class CopiedTranscriptsTests extends OwnRootWebTest {

	private static final String PROJECT = "-home-devuser2-Claude";

	/** A cc-2026 session with nine subagent transcripts. */
	private static final String SESSION = "512f6c74-f82f-4adb-9719-4ae90076677c";

	private static final Path SOURCE = RealDataWebTest.realData().resolve("cc-2026/omarchy-backup/projects/" + PROJECT);

	private static final Path ROOT;

	static {
		try {
			Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
			ROOT = Files.createTempDirectory("copied-transcripts");
			for (String dir : List.of("z-live", "a-synced")) {
				Path project = Files.createDirectories(ROOT.resolve(dir + "/projects/" + PROJECT));
				FileSystemUtils.copyRecursively(SOURCE, project);
			}
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		// the live dir first (its files registered first), the synced copy second: the
		// copy whose responses count is the first by path, the synced one
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.claude-dirs",
				() -> ROOT.resolve("z-live").toString() + "," + ROOT.resolve("a-synced").toString());
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "100000");
	}

	private RestClient http;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void index() throws InterruptedException {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.indexer.scanAndIngest();
	}

	@Test
	void eachTranscriptOfASessionInTwoConfigDirsCountsOnce() throws IOException {
		Set<String> subagentIds = new HashSet<>();
		try (Stream<Path> files = Files.list(SOURCE.resolve(SESSION + "/subagents"))) {
			files.map((p) -> p.getFileName().toString())
				.filter((n) -> n.startsWith("agent-") && n.endsWith(".jsonl"))
				.forEach((n) -> subagentIds.add(n.substring("agent-".length(), n.length() - ".jsonl".length())));
		}
		assertThat(subagentIds).hasSize(9);
		String api = "/api/sessions/" + PROJECT + "/" + SESSION;
		JsonNode session = get(api);
		assertThat(session.get("subagent_count").asInt()).isEqualTo(9);
		JsonNode subagents = get(api + "/subagents");
		List<String> listed = new ArrayList<>();
		subagents.get("subagents").forEach((s) -> {
			if ("subagents".equals(s.get("layout").asText())) {
				listed.add(s.get("agent_id").asText());
			}
		});
		assertThat(listed).containsExactlyInAnyOrderElementsOf(subagentIds);
		// the tools panel counts each call once, as the session's card does
		assertThat(get(api + "/tools").get("total_calls").asLong()).isEqualTo(session.get("tool_calls").asLong())
			.isPositive();
	}

	private JsonNode get(String path) throws IOException {
		return this.json.readTree(this.http.get().uri(path).retrieve().body(String.class));
	}

}
