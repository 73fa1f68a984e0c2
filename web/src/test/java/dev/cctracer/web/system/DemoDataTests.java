package dev.cctracer.web.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;
import org.springframework.web.servlet.mvc.support.RedirectAttributesModelMap;

import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DemoData}: {@code auto} means "no transcript anywhere", not "no
 * directory".
 */
public class DemoDataTests {

	@TempDir
	Path tmp;

	@Test
	void shouldShowTheDemoWhenTheProjectsDirExistsButHoldsNoTranscript() throws IOException {
		Files.createDirectories(this.tmp.resolve("claude/projects/-home-me-empty"));
		ClaudeRoots roots = start("auto");
		assertThat(roots.isDemo()).isTrue();
		assertThat(roots.current()).singleElement()
			.satisfies((dir) -> assertThat(dir.toString()).endsWith("demo/claude/projects"));
		try (var files = Files.walk(roots.current().get(0))) {
			assertThat(files.filter((f) -> f.toString().endsWith(".jsonl")).count()).isPositive();
		}
		// the demo of DemoDataset: its three projects, the newest session within the last
		// day
		try (var dirs = Files.list(roots.current().get(0))) {
			assertThat(dirs.map((d) -> d.getFileName().toString())).containsExactlyInAnyOrder("-home-dev-acme-shop",
					"-home-dev-weather-cli", "-home-dev-dashboard-ui");
		}
		String newest = newestTimestamp(roots.current().get(0));
		assertThat(Instant.parse(newest)).isBetween(Instant.now().minus(Duration.ofDays(1)), Instant.now());
	}

	private static String newestTimestamp(Path projects) throws IOException {
		Pattern timestamp = Pattern.compile("\"timestamp\":\"([^\"]+)\"");
		String newest = "";
		try (var files = Files.walk(projects)) {
			for (Path f : files.filter((p) -> p.toString().endsWith(".jsonl")).toList()) {
				Matcher m = timestamp.matcher(Files.readString(f));
				while (m.find()) {
					newest = (m.group(1).compareTo(newest) > 0) ? m.group(1) : newest;
				}
			}
		}
		return newest;
	}

	@Test
	void shouldShowTheDemoWhenNoClaudeDirExists() {
		assertThat(start("auto").isDemo()).isTrue();
	}

	@Test
	void shouldIndexTheUsersLogsWhenThereIsOneTranscript() throws IOException {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-home-me-repo"));
		Files.writeString(project.resolve("ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl"), "{}\n");
		ClaudeRoots roots = start("auto");
		assertThat(roots.isDemo()).isFalse();
		assertThat(roots.current()).containsExactly(this.tmp.resolve("claude/projects").toRealPath());
	}

	@Test
	void shouldNeverShowTheDemoWhenOff() {
		assertThat(start("off").isDemo()).isFalse();
	}

	@Test
	void shouldNeverWriteDemoDataFromAProcessThatDoesNotIngest() {
		assertThat(start("on", false).isDemo()).isFalse();
		assertThat(this.tmp.resolve("data/demo")).doesNotExist();
	}

	@Test
	void shouldRefuseTheDemoButtonInAProcessThatDoesNotIngestOrWithDemoOff() throws Exception {
		for (TracerProperties properties : new TracerProperties[] {
				new TracerProperties(this.tmp.resolve("claude").toString(), this.tmp.resolve("data"), null, "calculate",
						null, "auto", ingest(false), null, null, null),
				new TracerProperties(this.tmp.resolve("claude").toString(), this.tmp.resolve("data"), null, "calculate",
						null, "off", ingest(true), null, null, null) }) {
			MockEnvironment env = new MockEnvironment().withProperty("cctracer.data-dir",
					this.tmp.resolve("data").toString());
			ClaudeRoots roots = new ClaudeRoots(properties, env);
			var redirect = new RedirectAttributesModelMap();
			new DemoController(new DemoData(roots, properties, env), roots, null, properties).loadDemo(redirect);
			assertThat(roots.isDemo()).isFalse();
			assertThat(redirect.getFlashAttributes().get("notice").toString()).contains("does not load demo data");
		}
		assertThat(this.tmp.resolve("data/demo")).doesNotExist();
	}

	public static TracerProperties.Ingest ingest(boolean enabled) {
		return new TracerProperties.Ingest(enabled, Duration.ofSeconds(30), true, Duration.ofMillis(150),
				DataSize.ofMegabytes(64), Duration.ofMinutes(5), 2, 200, "inline", true, DataSize.ofMegabytes(64));
	}

	private ClaudeRoots start(String mode) {
		return start(mode, true);
	}

	private ClaudeRoots start(String mode, boolean ingest) {
		Path data = this.tmp.resolve("data");
		TracerProperties properties = new TracerProperties(this.tmp.resolve("claude").toString(), data, null,
				"calculate", null, mode, ingest(ingest), null, null, null);
		MockEnvironment env = new MockEnvironment().withProperty("cctracer.data-dir", data.toString());
		ClaudeRoots roots = new ClaudeRoots(properties, env);
		new DemoData(roots, properties, env).afterPropertiesSet();
		return roots;
	}

}
