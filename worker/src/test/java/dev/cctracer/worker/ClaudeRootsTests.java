package dev.cctracer.worker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.mock.env.MockEnvironment;

import dev.cctracer.worker.startup.DataDirEnvironmentPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the logs and the data dir are when nothing is configured: under {@code $HOME},
 * where Claude Code writes (Node's {@code os.homedir()}), not the JVM's
 * {@code user.home}, which Java takes from the password database.
 */
class ClaudeRootsTests {

	@TempDir
	Path home;

	@Test
	void theLogsAndTheDataDirAreUnderTheHomeVariable() throws Exception {
		Path projects = Files.createDirectories(this.home.resolve(".claude/projects/-p"));
		Files.writeString(projects.resolve("aaaaaaaa-0000-4000-8000-000000000001.jsonl"), "{}\n");
		MockEnvironment env = new MockEnvironment().withProperty("HOME", this.home.toString());
		new DataDirEnvironmentPostProcessor(Supplier::get).postProcessEnvironment(env, null);
		assertThat(env.getProperty("cctracer.data-dir")).isEqualTo(this.home.resolve(".cctracer").toString());
		TracerProperties properties = new TracerProperties(null, this.home.resolve(".cctracer"), null, "calculate",
				null, "off", null, null, null, null);
		ClaudeRoots roots = new ClaudeRoots(properties, env);
		assertThat(roots.candidates()).containsExactly(this.home.resolve(".config/claude/projects"),
				this.home.resolve(".claude/projects"));
		assertThat(roots.current()).containsExactly(this.home.resolve(".claude/projects").toRealPath());
		assertThat(roots.hasTranscripts()).isTrue();
	}

}
