package dev.cctracer.web.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The demo dataset a first start showed (no logs yet) never counts with the user's own
 * logs: removed from the database at a later start without it, and while running as soon
 * as a transcript appears (a trial copied its logs in after the first start and saw the
 * demo's three projects until a restart; a restart would have added its own to them).
 */
class DemoToOwnLogsTests extends OwnRootWebTest {

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("demo-to-logs");
			Files.createDirectories(ROOT.resolve("claude/projects"));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("cctracer.claude-dirs", () -> ROOT.resolve("claude").toString());
		registry.add("cctracer.data-dir", () -> ROOT.resolve("data").toString());
		registry.add("cctracer.demo", () -> "auto");
		TestRoots.scansOnlyWhenAsked(registry);
	}

	@Autowired
	ClaudeRoots roots;

	@Autowired
	DemoRemoval removal;

	@Autowired
	TracerProperties properties;

	@Autowired
	Environment env;

	@Test
	void theDemoGoesOnceTheUsersLogsAreThere() throws Exception {
		this.indexer.scanAndIngest();
		assertThat(this.roots.isDemo()).isTrue();
		assertThat(projects()).containsExactlyInAnyOrder("-home-dev-acme-shop", "-home-dev-weather-cli",
				"-home-dev-dashboard-ui");
		// a later start without the demo (here: with it off) finds the demo's files of
		// the earlier one in its database and removes them, data version bumped
		long version = TestHttp.json(this.port, "/health").get("data_version").asLong();
		TracerProperties off = new TracerProperties(this.properties.claudeDirs(), this.properties.dataDir(), null,
				"calculate", null, "off", this.properties.ingest(), null, null, null);
		new DemoData(new ClaudeRoots(off, this.env), off, this.env, this.removal).afterPropertiesSet();
		// (the answers follow the data version, read at most every 100 ms)
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(projects()).isEmpty());
		assertThat(TestHttp.json(this.port, "/api/metrics/aggregate").get("message_count").asLong()).isZero();
		assertThat(TestHttp.json(this.port, "/health").get("data_version").asLong()).isGreaterThan(version);
		// this process still shows the demo (no logs yet): its next scan indexes it again
		this.indexer.scanAndIngest();
		await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(projects()).hasSize(3));
		// the user's first transcript: two responses, counted by hand below
		Path project = Files.createDirectories(ROOT.resolve("claude/projects/-home-me-shop"));
		Files.writeString(project.resolve("0b7e4a52-6d1f-4c3e-9a8b-2f4c6d8e0a1b.jsonl"),
				line("u1", null, "user", "{\"role\":\"user\",\"content\":\"fix the build\"}")
						+ line("a1", "u1", "assistant", message("msg_01own", 100, 10, 1000, 5))
						+ line("a2", "a1", "assistant", message("msg_02own", 200, 20, 0, 1005)));
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
			this.indexer.scanAndIngest();
			assertThat(projects()).containsExactly("-home-me-shop");
		});
		assertThat(this.roots.isDemo()).isFalse();
		JsonNode all = TestHttp.json(this.port, "/api/metrics/aggregate");
		assertThat(all.get("message_count").asLong()).isEqualTo(2);
		assertThat(all.get("project_count").asLong()).isEqualTo(1);
		JsonNode tokens = TestHttp.json(this.port, "/api/projects").get("projects").get(0).get("tokens");
		assertThat(tokens.get("input_tokens").asLong()).isEqualTo(100 + 200);
		assertThat(tokens.get("output_tokens").asLong()).isEqualTo(10 + 20);
		assertThat(tokens.get("cache_creation_input_tokens").asLong()).isEqualTo(1000);
		assertThat(tokens.get("cache_read_input_tokens").asLong()).isEqualTo(5 + 1005);
		// no page says "demo" any more
		String page = RestClient.create("http://127.0.0.1:" + this.port).get().uri("/").retrieve().body(String.class);
		assertThat(page).doesNotContainIgnoringCase("demo dataset");
	}

	private static String line(String uuid, String parent, String type, String message) {
		return "{\"type\":\"" + type + "\",\"uuid\":\"" + uuid + "\",\"parentUuid\":"
				+ ((parent != null) ? "\"" + parent + "\"" : "null")
				+ ",\"sessionId\":\"0b7e4a52-6d1f-4c3e-9a8b-2f4c6d8e0a1b\",\"timestamp\":\"2026-12-01T10:00:00.000Z\","
				+ "\"cwd\":\"/home/me/shop\",\"message\":" + message + "}\n";
	}

	private static String message(String id, long input, long output, long cacheWrite, long cacheRead) {
		return "{\"id\":\"" + id + "\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[{\"type\":"
				+ "\"text\",\"text\":\"done\"}],\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":" + output
				+ ",\"cache_creation_input_tokens\":" + cacheWrite + ",\"cache_read_input_tokens\":" + cacheRead + "}}";
	}

	private List<String> projects() throws IOException, InterruptedException {
		List<String> names = new ArrayList<>();
		TestHttp.json(this.port, "/api/projects")
			.get("projects")
			.forEach((p) -> names.add(p.get("path_hash").asText()));
		return names;
	}

}
