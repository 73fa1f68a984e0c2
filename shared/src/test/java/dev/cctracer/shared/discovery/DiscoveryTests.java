package dev.cctracer.shared.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LogFile}, {@link ClaudeDirs}, {@link SafePaths} and {@link Ids}.
 */
class DiscoveryTests {

	private static final String S = "ae4a77f8-aedd-4bc1-888f-c94edc91af04";

	@TempDir
	Path tmp;

	@Test
	void homeIsTheHomeVariableAsForClaudeCode() {
		assertThat(ClaudeDirs.home("/srv/someone")).isEqualTo(Path.of("/srv/someone"));
		assertThat(ClaudeDirs.home("/srv/someone/")).isEqualTo(Path.of("/srv/someone"));
		// unset, empty or relative: the JVM's own
		Path jvm = Path.of(System.getProperty("user.home"));
		assertThat(ClaudeDirs.home(null)).isEqualTo(jvm);
		assertThat(ClaudeDirs.home(" ")).isEqualTo(jvm);
		assertThat(ClaudeDirs.home("relative/home")).isEqualTo(jvm);
	}

	@Test
	void shouldClassifyTheFourLayouts() {
		Path root = this.tmp;
		assertThat(LogFile.classify(root, "-home-me-repo/" + S + ".jsonl"))
			.isEqualTo(new LogFile(root, "-home-me-repo/" + S + ".jsonl", "-home-me-repo", FileKind.MAIN, S, null));
		assertThat(LogFile.classify(root, "p/" + S + "/subagents/agent-aac57f5.jsonl").kind())
			.isEqualTo(FileKind.SUBAGENT);
		LogFile wf = LogFile.classify(root, "p/" + S + "/subagents/workflows/wf1/agent-a1.jsonl");
		assertThat(wf.kind()).isEqualTo(FileKind.WORKFLOW_AGENT);
		assertThat(wf.sessionId()).isEqualTo(S);
		assertThat(wf.agentId()).isEqualTo("a1");
		LogFile legacy = LogFile.classify(root, "p/agent-acompact-946d2b.jsonl");
		assertThat(legacy.kind()).isEqualTo(FileKind.LEGACY_AGENT);
		assertThat(legacy.sessionId()).isNull();
		assertThat(LogFile.classify(root, "p/notes.jsonl")).isNull();
		assertThat(LogFile.classify(root, "p/" + S + "/tool-results/x.jsonl")).isNull();
		assertThat(LogFile.classify(root, "p/" + S + ".json")).isNull();
	}

	@Test
	void shouldTakeConfigDirsFromTheEnvironmentOrTheTwoDefaults() {
		Path home = this.tmp;
		assertThat(ClaudeDirs.candidates(null, null, home)).containsExactly(home.resolve(".config/claude/projects"),
				home.resolve(".claude/projects"));
		assertThat(ClaudeDirs.candidates(null, "/a, /b/projects ,", home)).containsExactly(Path.of("/a/projects"),
				Path.of("/b/projects"));
		assertThat(ClaudeDirs.candidates("~/x", "/a", home)).containsExactly(home.resolve("x/projects"));
	}

	@Test
	void shouldReturnOnlyExistingDirsOnce() throws IOException {
		Path projects = Files.createDirectories(this.tmp.resolve("c/projects"));
		assertThat(ClaudeDirs.existing(List.of(projects, this.tmp.resolve("c/./projects"), this.tmp.resolve("none"))))
			.containsExactly(projects.toRealPath());
	}

	@Test
	void shouldTellAnEmptyProjectsDirFromOneWithTranscripts() throws IOException {
		Path projects = Files.createDirectories(this.tmp.resolve("c/projects/-home-me-repo"));
		Files.writeString(projects.resolve("notes.txt"), "not a transcript");
		Path missing = this.tmp.resolve("none/projects");
		assertThat(ClaudeDirs.hasTranscripts(List.of(missing, this.tmp.resolve("c/projects")))).isFalse();
		Files.writeString(projects.resolve(S + ".jsonl"), "{}\n");
		assertThat(ClaudeDirs.hasTranscripts(List.of(missing, this.tmp.resolve("c/projects")))).isTrue();
	}

	@Test
	void shouldRefuseTraversalAbsolutePathsAndLinksOutOfTheRoot() throws IOException {
		Path root = Files.createDirectories(this.tmp.resolve("root"));
		Path outside = Files.writeString(this.tmp.resolve("secret.jsonl"), "{}\n");
		Files.createDirectories(root.resolve("p"));
		Files.writeString(root.resolve("p/ok.jsonl"), "{}\n");
		Files.createSymbolicLink(root.resolve("p/link.jsonl"), outside);
		assertThat(SafePaths.resolve(root, "p", "ok.jsonl")).isPresent();
		assertThat(SafePaths.resolve(root, "..", "secret.jsonl")).isEmpty();
		assertThat(SafePaths.resolve(root, "%2e%2e", "secret.jsonl")).isEmpty();
		assertThat(SafePaths.resolve(root, outside.toString())).isEmpty();
		assertThat(SafePaths.resolve(root, "p/../../secret.jsonl")).isEmpty();
		assertThat(SafePaths.resolve(root, "p", "link.jsonl")).isEmpty();
	}

	@Test
	void shouldValidateIds() {
		assertThat(Ids.isProjectDir("-Users-me-my.repo_1")).isTrue();
		assertThat(Ids.isProjectDir("..")).isFalse();
		assertThat(Ids.isProjectDir("a/b")).isFalse();
		assertThat(Ids.requireSessionId(S.toUpperCase())).isEqualTo(S);
		assertThatExceptionOfType(Ids.InvalidIdException.class).isThrownBy(() -> Ids.requireSessionId("../etc/passwd"))
			.withMessageNotContaining("/");
	}

	/**
	 * What {@code /health} and {@code /api/index/status}, which need no login, say of a
	 * path: below the home dir without it.
	 */
	@Test
	void aPathBelowTheHomeDirIsShownWithoutIt() {
		// homes under the test's own temporary dir: no path of a machine is named
		Path home = this.tmp.resolve("alice");
		Path projects = home.resolve(".claude/projects");
		assertThat(ClaudeDirs.shown(projects, home)).isEqualTo("~/.claude/projects");
		assertThat(ClaudeDirs.shown(home, home)).isEqualTo("~");
		// another user's home, a sibling whose name only starts the same, the root as
		// home
		Path other = this.tmp.resolve("alicia/.claude/projects");
		assertThat(ClaudeDirs.shown(other, home)).isEqualTo(other.toString());
		Path outside = this.tmp.resolve("srv/claude");
		assertThat(ClaudeDirs.shown(outside, home)).isEqualTo(outside.toString());
		assertThat(ClaudeDirs.shown(outside, outside.getRoot())).isEqualTo(outside.toString());
	}

}
