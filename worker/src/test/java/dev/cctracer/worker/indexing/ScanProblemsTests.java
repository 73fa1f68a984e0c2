package dev.cctracer.worker.indexing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.cctracer.worker.PathProblem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * What the scan says of the paths it cannot index: a link that leads back to itself is a
 * loop, not a broken link (a fault trial), and a transcript this process may not read is
 * listed as such and not read (and failed, and logged) at every scan.
 */
class ScanProblemsTests {

	private static final String S1 = "aaaaaaaa-0000-4000-8000-000000000001";

	@TempDir
	Path tmp;

	private TracerContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void shouldTellALinkLoopFromABrokenLink() throws Exception {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		Path self = project.resolve("bbbbbbbb-0000-4000-8000-000000000001.jsonl");
		Files.createSymbolicLink(self, self);
		Path a = project.resolve("bbbbbbbb-0000-4000-8000-000000000002.jsonl");
		Path b = project.resolve("bbbbbbbb-0000-4000-8000-000000000003.jsonl");
		Files.createSymbolicLink(a, b);
		Files.createSymbolicLink(b, a);
		Path broken = project.resolve("bbbbbbbb-0000-4000-8000-000000000004.jsonl");
		Files.createSymbolicLink(broken, project.resolve("gone.jsonl"));
		List<String> problems = new ArrayList<>();
		ScanService.walk(this.tmp.resolve("claude/projects"), true,
				(path, reason) -> problems.add(path.getFileName() + ": " + reason), (file, attrs) -> {
				});
		assertThat(problems).containsExactlyInAnyOrder(self.getFileName() + ": link loop",
				a.getFileName() + ": link loop", b.getFileName() + ": link loop",
				broken.getFileName() + ": broken link");
	}

	/**
	 * A transcript in a directory none of the layouts has (a later Claude Code's
	 * {@code agents/} or {@code subagents/teams/}, a workflow's nested dir past the
	 * deepest layout, a project dir copied into another) is listed, not indexed: a drift
	 * trial's files there had been missing without a word. A session's
	 * {@code tool-results} and a project's {@code memory} are not looked into.
	 */
	@Test
	void shouldListATranscriptInADirectoryNoLayoutHas() throws Exception {
		Path projects = this.tmp.resolve("claude/projects");
		Path session = Files.createDirectories(projects.resolve("-p/" + S1));
		Files.writeString(projects.resolve("-p/" + S1 + ".jsonl"), "{}\n");
		List<Path> stray = List.of(session.resolve("agents/agent-b1111.jsonl"),
				session.resolve("subagents/teams/t1/agent-a3333.jsonl"),
				session.resolve("subagents/workflows/wf1/nested/agent-b2222.jsonl"),
				projects.resolve("-p/nested-proj/bbbbbbbb-0000-4000-8000-000000000001.jsonl"));
		for (Path p : stray) {
			Files.createDirectories(p.getParent());
			Files.writeString(p, "{}\n");
		}
		Path known = session.resolve("subagents/workflows/wf1/agent-a4444.jsonl");
		Files.writeString(Files.createDirectories(session.resolve("subagents")).resolve("agent-a5555.jsonl"), "{}\n");
		Files.writeString(known, "{}\n");
		Files.writeString(Files.createDirectories(session.resolve("tool-results")).resolve("out.jsonl"), "{}\n");
		Files.writeString(Files.createDirectories(projects.resolve("-p/memory")).resolve("notes.jsonl"), "{}\n");
		Map<Path, String> problems = new TreeMap<>();
		List<String> visited = new ArrayList<>();
		ScanService.walk(projects, true, problems::put, (file, attrs) -> visited.add(file.relativePath()));
		assertThat(problems).containsOnlyKeys(stray);
		assertThat(problems.values()).allSatisfy((reason) -> assertThat(reason).contains("not indexed"));
		assertThat(visited).containsExactlyInAnyOrder("-p/" + S1 + ".jsonl",
				"-p/" + S1 + "/subagents/agent-a5555.jsonl", "-p/" + S1 + "/subagents/workflows/wf1/agent-a4444.jsonl");
	}

	@Test
	void shouldListATranscriptItMayNotReadAndReadItOnceItMay() throws Exception {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		Path file = project.resolve(S1 + ".jsonl");
		Files.writeString(file, IngestIntegrationTests.assistant("m1", "r1", 5, S1, false));
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
		// root reads whatever its permissions say: nothing to see there
		assumeFalse(Files.isReadable(file), "run as root");
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"));
		this.app.indexer().scanAndIngest();
		this.app.indexer().scanAndIngest();
		Map<String, String> problems = new TreeMap<>();
		for (PathProblem p : this.app.indexer().lastProblems()) {
			problems.put(Path.of(p.path()).getFileName().toString(), p.reason());
		}
		assertThat(problems).containsEntry(S1 + ".jsonl", "permission denied");
		assertThat(this.app.jdbc().sql("SELECT COUNT(*) FROM source_file").query(Long.class).single()).isZero();
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
		this.app.indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsEntry("-p", List.of(1L, 5L, 0L));
		assertThat(this.app.indexer().lastProblems()).isEmpty();
		// one moved in while the app runs: the watcher's path registers nothing either
		String s2 = "aaaaaaaa-0000-4000-8000-000000000002";
		Path outside = this.tmp.resolve(s2 + ".jsonl");
		Files.writeString(outside, IngestIntegrationTests.assistant("m2", "r2", 7, s2, false));
		Files.setPosixFilePermissions(outside, PosixFilePermissions.fromString("---------"));
		Files.move(outside, project.resolve(s2 + ".jsonl"));
		Thread.sleep(1500);
		assertThat(this.app.jdbc()
			.sql("SELECT COUNT(*) FROM source_file WHERE rel_path LIKE :p")
			.param("p", "%" + s2 + "%")
			.query(Long.class)
			.single()).isZero();
	}

	/**
	 * A project dir whose name holds a token is listed and logged as not indexed, its
	 * name redacted in the log as on every page (a trial found the log's line whole).
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldLogAPathItDoesNotIndexRedacted(CapturedOutput output) throws Exception {
		String token = "ghp_Qm8Zx2Rt6Yw1Lp9Kv3Nb7Hd5Fs0Jc4Gx8Ta2E";
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-tmp-'><b>" + token));
		Files.writeString(project.resolve(S1 + ".jsonl"), IngestIntegrationTests.assistant("m1", "r1", 5, S1, false));
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"));
		this.app.indexer().scanAndIngest();
		assertThat(this.app.indexer().lastProblems()).isNotEmpty();
		assertThat(output.getOut()).contains("not indexed: ").contains("-tmp-'><b>[REDACTED]").doesNotContain(token);
	}

}
