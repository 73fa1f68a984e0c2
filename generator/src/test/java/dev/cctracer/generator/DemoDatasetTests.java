package dev.cctracer.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DemoDataset}: every line is JSON in today's shapes, the ground truth
 * equals a recount of the files, and the showcase session has every feature a page shows.
 */
class DemoDatasetTests {

	private static final Instant END = Instant.parse("2026-11-30T18:00:00Z");

	private final ObjectMapper json = new ObjectMapper();

	@TempDir
	Path tmp;

	@Test
	void shouldWriteTheSameDatasetForTheSameSeedAndEnd() throws IOException {
		GroundTruth a = new DemoDataset(42, END).generate(this.tmp.resolve("a"));
		GroundTruth b = new DemoDataset(42, END).generate(this.tmp.resolve("b"));
		assertThat(a.global.toString()).isEqualTo(b.global.toString());
		assertThat(a.sessions.keySet()).isEqualTo(b.sessions.keySet());
		assertThat(a.bytes).isEqualTo(b.bytes);
		for (Path file : jsonl(this.tmp.resolve("a"))) {
			assertThat(Files.readString(this.tmp.resolve("b").resolve(this.tmp.resolve("a").relativize(file))))
				.isEqualTo(Files.readString(file));
		}
	}

	@Test
	void shouldCountWhatARecountOfTheFilesFinds() throws IOException {
		GroundTruth truth = new DemoDataset(42, END).generate(this.tmp);
		Map<String, JsonNode> lastUsage = new HashMap<>();
		long lines = 0;
		for (Path file : jsonl(this.tmp)) {
			for (String line : Files.readAllLines(file)) {
				lines++;
				JsonNode n = this.json.readTree(line);
				assertThat(Instant.parse(n.path("timestamp").asText(END.toString()))).isBeforeOrEqualTo(END);
				if (n.path("type").asText().equals("assistant") && !n.path("isApiErrorMessage").asBoolean()) {
					lastUsage.put(n.at("/message/id").asText(), n.at("/message/usage"));
				}
			}
		}
		assertThat(lines).isEqualTo(truth.lines);
		assertThat((long) lastUsage.size()).isEqualTo(truth.global.messages);
		assertThat(lastUsage.values().stream().mapToLong((u) -> u.path("output_tokens").asLong()).sum())
			.isEqualTo(truth.global.usage.output());
		assertThat(lastUsage.values().stream().mapToLong((u) -> u.path("cache_read_input_tokens").asLong()).sum())
			.isEqualTo(truth.global.usage.cacheRead());
		assertThat(lastUsage.values()
			.stream()
			.mapToLong((u) -> u.at("/server_tool_use/web_search_requests").asLong())
			.sum()).isEqualTo(truth.global.usage.webSearches()).isPositive();
		assertThat(truth.projects).containsOnlyKeys("-home-dev-acme-shop", "-home-dev-weather-cli",
				"-home-dev-dashboard-ui");
		assertThat(truth.sessions).hasSize(3 * DemoDataset.SESSIONS);
	}

	@Test
	void shouldShowEveryFeatureInTheShowcaseSession() throws IOException {
		DemoDataset demo = new DemoDataset(42, END);
		demo.generate(this.tmp);
		Path main = this.tmp.resolve("projects/" + demo.showcase() + ".jsonl");
		List<JsonNode> lines = new ArrayList<>();
		for (String line : Files.readAllLines(main)) {
			lines.add(this.json.readTree(line));
		}
		assertThat(lines)
			.anySatisfy((n) -> assertThat(n.path("customTitle").asText()).isEqualTo("retry-catalog-client"));
		assertThat(lines).anySatisfy((n) -> assertThat(n.path("aiTitle").asText())
			.isEqualTo("Add retry with backoff to the catalog HTTP client"));
		assertThat(lines).filteredOn((n) -> n.path("isApiErrorMessage").asBoolean()).hasSize(2);
		assertThat(lines).anySatisfy((n) -> assertThat(n.path("subtype").asText()).isEqualTo("compact_boundary"));
		assertThat(lines).anySatisfy((n) -> assertThat(n.path("isCompactSummary").asBoolean()).isTrue());
		assertThat(lines).anySatisfy(
				(n) -> assertThat(n.at("/message/usage/server_tool_use/web_search_requests").asInt()).isEqualTo(2));
		assertThat(lines).anySatisfy((n) -> assertThat(n.at("/message/content/0/is_error").asBoolean()).isTrue());
		// the retry loop as Claude Code's patch of the file shows it
		assertThat(lines).anySatisfy((n) -> assertThat(n.at("/toolUseResult/structuredPatch/0/lines").toString())
			.contains("+        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {")
			.contains("-        if (response.statusCode() != 200) {"));
		JsonNode agentResult = lines.stream()
			.filter((n) -> n.at("/toolUseResult/agentId").isTextual())
			.findFirst()
			.orElseThrow();
		String agentId = agentResult.at("/toolUseResult/agentId").asText();
		Path subagents = main.resolveSibling(main.getFileName().toString().replace(".jsonl", "")).resolve("subagents");
		assertThat(Files.readString(subagents.resolve("agent-" + agentId + ".jsonl")))
			.contains("\"agentName\":\"call-site-finder\"");
		assertThat(this.json.readTree(subagents.resolve("agent-" + agentId + ".meta.json").toFile())
			.path("agentType")
			.asText()).isEqualTo("Explore");
	}

	private static List<Path> jsonl(Path dir) throws IOException {
		try (Stream<Path> files = Files.walk(dir)) {
			return files.filter((f) -> f.toString().endsWith(".jsonl")).sorted().toList();
		}
	}

}
