package dev.cctracer.shared.transcript;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import dev.cctracer.shared.RealData;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Hook runs read from transcripts: the real ones of {@code ../shared/realdata} pinned
 * against {@code shared/src/test/python/hooks_recount.py} (an independent recount,
 * {@code json.loads} per line), and the outcomes those transcripts do not hold (blocks,
 * successes and failures that name no command, a stop summary alone) on lines of the
 * shapes Claude Code writes.
 */
class HookRunsTests {

	private static final String STOP_SESSION = "cc-2026/dotsv2/projects/-Users-devuser-uw-kubernetes-manifests/"
			+ "74f505ae-fa88-4fed-8eea-2a85cb5d4c3e.jsonl";

	private static final String NOTIFY = "Failed with non-blocking status code: /bin/sh: notify-send: command not found";

	@Test
	void aFailingStopHookOfClaudeCode2145IsOneRunOfItsSummaryAndItsAttachment() {
		List<HookRuns.Row> rows = runs(RealData.file(STOP_SESSION)).rows();
		// recount: one run, failed with exit code 127, 43 ms (the summary and the
		// attachment say the same run)
		assertThat(rows).hasSize(1);
		HookRuns.Row row = rows.get(0);
		assertThat(row.event()).isEqualTo("Stop");
		assertThat(row.command()).startsWith("p=$(pgrep -x dunst | head -1);").contains("notify-send -u normal");
		assertThat(row.names()).containsExactly("Stop");
		assertThat(row)
			.extracting(HookRuns.Row::runs, HookRuns.Row::failures, HookRuns.Row::blocks, HookRuns.Row::exitCodes,
					HookRuns.Row::durationMs, HookRuns.Row::timedRuns)
			.containsExactly(1L, 1L, 0L, List.of(127), 43L, 1L);
		assertThat(row.lastError()).isEqualTo(NOTIFY);
		assertThat(row.lastErrorAt()).isEqualTo(java.time.Instant.parse("2026-05-28T13:45:32.282Z").toEpochMilli());
	}

	@Test
	void everyStopHookOfTheDotsv2ConfigDirIsCounted() throws IOException {
		// recount over cc-2026/dotsv2: 118 runs, all failed, 4,324 ms in all
		HookRuns runs = new HookRuns();
		try (Stream<Path> files = Files.walk(RealData.file("cc-2026/dotsv2"))) {
			// folded file by file, as the job folds session by session
			files.filter((p) -> p.toString().endsWith(".jsonl")).sorted().forEach((p) -> {
				add(runs, p);
				runs.flush();
			});
		}
		assertThat(runs.rows()).singleElement()
			.extracting(HookRuns.Row::runs, HookRuns.Row::failures, HookRuns.Row::exitCodes, HookRuns.Row::durationMs,
					HookRuns.Row::timedRuns)
			.containsExactly(118L, 118L, List.of(127), 4324L, 118L);
	}

	@Test
	void aSessionOfClaudeCode2139WithItsSubagentsCountsEachStartedHookOnce() throws IOException {
		HookRuns runs = new HookRuns();
		Path main = RealData.file("spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl");
		add(runs, main);
		try (Stream<Path> files = Files.walk(RealData.file("spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04"))) {
			files.filter((p) -> p.toString().endsWith(".jsonl")).sorted().forEach((p) -> add(runs, p));
		}
		List<HookRuns.Row> rows = runs.rows();
		// recount: 20 rows, 1,459 runs, none failed; its stop hooks have a progress line
		// and a summary each (2 runs per command, not 4)
		assertThat(rows).hasSize(20);
		assertThat(rows.stream().mapToLong(HookRuns.Row::runs).sum()).isEqualTo(1459);
		assertThat(rows.stream().mapToLong(HookRuns.Row::failures).sum()).isZero();
		assertThat(rows).extracting(HookRuns.Row::event, HookRuns.Row::command, HookRuns.Row::runs)
			.startsWith(tuple("PostToolUse", "${CLAUDE_PLUGIN_ROOT}/scripts/tool-call-capture.sh", 242L),
					tuple("PreToolUse", "${CLAUDE_PLUGIN_ROOT}/scripts/pre-tool-capture.sh", 191L),
					tuple("PreToolUse", "cd ${CLAUDE_PLUGIN_ROOT}/hooks && bun run ./guardian.ts", 191L),
					tuple("PostToolUse", "${CLAUDE_PLUGIN_ROOT}/scripts/post-tool-capture.sh", 182L))
			.contains(tuple("PostToolUse", "callback", 113L),
					tuple("Stop", "/home/USER/.claude/hooks/tmux-waiting.sh mark", 2L),
					tuple("PostToolUseFailure", "${CLAUDE_PLUGIN_ROOT}/scripts/tool-call-capture.sh", 1L));
		// the tool name is the hook's matcher
		assertThat(rows.stream().filter((r) -> "callback".equals(r.command())).findFirst().orElseThrow().names())
			.contains("PostToolUse:Read", "PostToolUse:Edit");
	}

	@Test
	void aBlockNamesItsCommandInsideTheBlockingErrorAndIsNotAFailure() {
		HookRuns runs = lines(
				"""
						{"type":"progress","data":{"type":"hook_progress","hookEvent":"PreToolUse","hookName":"PreToolUse:Bash","command":"guard.sh"},"toolUseID":"toolu_1","timestamp":"2026-11-01T10:00:00Z","uuid":"a"}
						{"type":"attachment","attachment":{"type":"hook_blocking_error","hookName":"PreToolUse:Bash","toolUseID":"toolu_1","hookEvent":"PreToolUse","blockingError":{"blockingError":"rm -rf is not allowed","command":"guard.sh"}},"toolUseID":"toolu_1","timestamp":"2026-11-01T10:00:01Z","uuid":"b"}
						""");
		assertThat(runs.rows()).singleElement()
			.extracting(HookRuns.Row::command, HookRuns.Row::runs, HookRuns.Row::failures, HookRuns.Row::blocks,
					HookRuns.Row::lastError)
			.containsExactly("guard.sh", 1L, 0L, 1L, "rm -rf is not allowed");
	}

	@Test
	void outcomesWithoutACommandJoinTheOneStartedOrStandAloneWhenTheyFail() {
		HookRuns runs = lines(
				"""
						{"type":"progress","data":{"type":"hook_progress","hookEvent":"PostToolUse","hookName":"PostToolUse:Edit","command":"fmt.sh"},"toolUseID":"toolu_2","uuid":"c"}
						{"type":"attachment","attachment":{"type":"hook_success","hookName":"PostToolUse:Edit","toolUseID":"toolu_2","hookEvent":"PostToolUse","content":"Success","stdout":"","stderr":"","exitCode":0},"uuid":"d"}
						{"type":"progress","data":{"type":"hook_progress","hookEvent":"PostToolUse","hookName":"PostToolUse:Edit","command":"lint.sh"},"toolUseID":"toolu_3","uuid":"e"}
						{"type":"progress","data":{"type":"hook_progress","hookEvent":"PostToolUse","hookName":"PostToolUse:Edit","command":"test.sh"},"toolUseID":"toolu_3","uuid":"f"}
						{"type":"attachment","attachment":{"type":"hook_success","hookName":"PostToolUse:Edit","toolUseID":"toolu_3","hookEvent":"PostToolUse","content":"Success"},"uuid":"g"}
						{"type":"attachment","attachment":{"type":"hook_cancelled","hookName":"PostToolUse:Edit","toolUseID":"toolu_3","hookEvent":"PostToolUse"},"timestamp":"2026-11-01T10:00:05Z","uuid":"h"}
						{"type":"attachment","attachment":{"type":"hook_error_during_execution","hookName":"PostToolUse:Edit","toolUseID":"toolu_2","hookEvent":"PostToolUse","content":"spawn fmt.sh ENOENT"},"uuid":"i"}
						""");
		// fmt.sh: one run (its success and its error join it), failed; lint.sh and
		// test.sh
		// one run each; the cancel of toolu_3 names neither: it is put on the first of
		// them (no run counted twice, no more failures than runs)
		assertThat(runs.rows())
			.extracting(HookRuns.Row::command, HookRuns.Row::runs, HookRuns.Row::failures, HookRuns.Row::lastError)
			.containsExactly(tuple("fmt.sh", 1L, 1L, "spawn fmt.sh ENOENT"), tuple("lint.sh", 1L, 1L, "cancelled"),
					tuple("test.sh", 1L, 0L, null));
	}

	@Test
	void aStopSummarysErrorsCountWhenNoAttachmentSaysThem() {
		HookRuns runs = lines(
				"""
						{"type":"system","subtype":"stop_hook_summary","hookCount":1,"hookInfos":[{"command":"notify.sh","durationMs":12}],"hookErrors":["exit 1"],"toolUseID":"s1","uuid":"j","timestamp":"2026-11-01T11:00:00Z"}
						{"type":"system","subtype":"stop_hook_summary","hookCount":2,"hookInfos":[{"command":"a.sh"},{"command":"b.sh","durationMs":7}],"hookErrors":[],"toolUseID":"s2","uuid":"k"}
						{"type":"system","subtype":"stop_hook_summary","hookCount":2,"hookInfos":[{"command":"c.sh"},{"command":"d.sh"}],"hookErrors":["one failed"],"toolUseID":"s3","uuid":"l"}
						{"type":"system","subtype":"stop_hook_summary","hookCount":2,"hookInfos":[{"command":"e.sh"},{"command":"f.sh"}],"hookErrors":["e failed","f failed"],"toolUseID":"s4","uuid":"m"}
						""");
		// s3: one of two failed, which one is not logged: one failure, on the first; s4:
		// both failed, each with its own text
		assertThat(runs.rows())
			.extracting(HookRuns.Row::event, HookRuns.Row::command, HookRuns.Row::runs, HookRuns.Row::failures,
					HookRuns.Row::durationMs, HookRuns.Row::timedRuns, HookRuns.Row::lastError)
			.containsExactly(tuple("Stop", "c.sh", 1L, 1L, 0L, 0L, "one failed"),
					tuple("Stop", "e.sh", 1L, 1L, 0L, 0L, "e failed"),
					tuple("Stop", "f.sh", 1L, 1L, 0L, 0L, "f failed"),
					tuple("Stop", "notify.sh", 1L, 1L, 12L, 1L, "exit 1"), tuple("Stop", "a.sh", 1L, 0L, 0L, 0L, null),
					tuple("Stop", "b.sh", 1L, 0L, 7L, 1L, null), tuple("Stop", "d.sh", 1L, 0L, 0L, 0L, null));
	}

	@Test
	void aSummarysErrorsBeyondItsAttachmentsAndABlockedStopAreCounted() {
		HookRuns runs = lines(
				"""
						{"type":"attachment","attachment":{"type":"hook_non_blocking_error","hookName":"Stop","toolUseID":"s5","hookEvent":"Stop","stderr":"g broke","exitCode":1,"command":"g.sh"},"uuid":"n"}
						{"type":"system","subtype":"stop_hook_summary","hookCount":2,"hookInfos":[{"command":"g.sh"},{"command":"h.sh"}],"hookErrors":["g broke","h broke"],"toolUseID":"s5","uuid":"o"}
						{"type":"system","subtype":"stop_hook_summary","hookCount":1,"hookInfos":[{"command":"todo.sh"}],"hookErrors":["2 todos left"],"preventedContinuation":true,"toolUseID":"s6","uuid":"p"}
						""");
		// s5: two errors, one said by its attachment: the other goes on h.sh; s6 kept
		// Claude Code from stopping: a block, not a failure
		assertThat(runs.rows())
			.extracting(HookRuns.Row::command, HookRuns.Row::runs, HookRuns.Row::failures, HookRuns.Row::blocks,
					HookRuns.Row::lastError)
			.containsExactly(tuple("g.sh", 1L, 1L, 0L, "g broke"), tuple("h.sh", 1L, 1L, 0L, "h broke"),
					tuple("todo.sh", 1L, 0L, 1L, "2 todos left"));
	}

	@Test
	void shownTextsAreRedactedBeforeTheirCutAndNeverEndInHalfACharacter() {
		String token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
		String command = "x".repeat(HookLine.COMMAND_CHARS - 10) + " " + token;
		assertThat(HookLine.shown(command, HookLine.COMMAND_CHARS)).doesNotContain("ghp_").endsWith("…");
		String emoji = "a".repeat(HookLine.MESSAGE_CHARS - 2) + "😀😀";
		String shown = HookLine.shown(emoji, HookLine.MESSAGE_CHARS);
		assertThat(shown).endsWith("a…");
		assertThat(Character.isHighSurrogate(shown.charAt(shown.length() - 2))).isFalse();
	}

	@Test
	void otherLinesAreNotHookLinesAndLongTextsAreCut() {
		assertThat(parse("""
				{"type":"user","message":{"role":"user","content":"add a hook_progress hook"},"uuid":"u"}""")).isNull();
		assertThat(parse("{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non")).isNull();
		assertThat(parse("""
				{"type":"attachment","attachment":{"type":"task_reminder","hookName":"x"}}""")).isNull();
		// an outcome without its event is not of a known shape
		assertThat(
				parse("""
						{"type":"attachment","attachment":{"type":"hook_non_blocking_error","hookEvent":42,"stderr":"x"},"toolUseID":17}"""))
			.isNull();
		// a secret across the cut of a long text is masked, not cut into a piece
		String token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8";
		HookLine cut = parse("{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non_blocking_error\","
				+ "\"hookEvent\":\"Stop\",\"command\":\"x\",\"stderr\":\"" + "x".repeat(HookLine.MAX_TEXT - 20) + " "
				+ token + " tail\"}}");
		assertThat(cut.message()).doesNotContain("ghp_").endsWith(Redactor.MASK + " tail");
		String huge = "e".repeat(100_000);
		String line = "{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non_blocking_error\",\"hookEvent\":\"Stop\","
				+ "\"command\":\"x\",\"stderr\":\"" + huge + "\",\"exitCode\":1}}";
		HookLine fromBuffer = parse(line);
		HookLine fromStream = HookLine.parse(new ByteArrayInputStream(line.getBytes(StandardCharsets.UTF_8)));
		assertThat(fromBuffer.message()).hasSize(HookLine.MAX_TEXT);
		assertThat(fromStream).isEqualTo(fromBuffer);
		assertThat(fromBuffer.kind()).isEqualTo(HookLine.Kind.NON_BLOCKING_ERROR);
		assertThat(fromBuffer.exitCode()).isEqualTo(1);
	}

	private static HookLine parse(String line) {
		byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
		return HookLine.mayBeHook(bytes, 0, bytes.length) ? HookLine.parse(bytes, 0, bytes.length) : null;
	}

	private static HookRuns lines(String jsonl) {
		HookRuns runs = new HookRuns();
		jsonl.lines().map(HookRunsTests::parse).forEach(runs::add);
		return runs;
	}

	private static HookRuns runs(Path file) {
		HookRuns runs = new HookRuns();
		add(runs, file);
		return runs;
	}

	/**
	 * The hook job keeps each session's runs folded and merges them into its next scan:
	 * every real transcript folded in its own instance and merged gives the rows of one
	 * instance that folded them in turn (sources, latest errors and their order
	 * included).
	 */
	@Test
	void shouldGiveTheRowsOfOneFoldForSessionsFoldedApartAndMerged() throws IOException {
		HookRuns once = new HookRuns();
		HookRuns merged = new HookRuns();
		HookRuns mergedAgain = new HookRuns();
		List<Path> transcripts = new ArrayList<>();
		for (String set : List.of("spotter", "cc-2026")) {
			try (Stream<Path> files = Files.walk(RealData.file(set))) {
				files.filter((p) -> p.toString().endsWith(".jsonl")).sorted().forEach(transcripts::add);
			}
		}
		for (Path p : transcripts) {
			String source = p.getFileName().toString();
			add(once, p, source);
			once.flush();
			HookRuns session = new HookRuns();
			add(session, p, source);
			session.flush();
			merged.merge(session);
			// kept for the next scan: merged again elsewhere, it gives the same
			mergedAgain.merge(session);
		}
		assertThat(once.rows()).hasSizeGreaterThan(20);
		assertThat(merged.rows()).isEqualTo(once.rows());
		assertThat(mergedAgain.rows()).isEqualTo(once.rows());
		HookRuns pending = new HookRuns();
		add(pending, transcripts.get(0), "pending");
		assertThat(pending.isEmpty()).isFalse();
		assertThatThrownBy(() -> merged.merge(pending)).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("not flushed");
	}

	private static void add(HookRuns runs, Path file) {
		add(runs, file, null);
	}

	private static void add(HookRuns runs, Path file, String source) {
		try {
			for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				HookLine hook = parse(line);
				if (hook != null) {
					runs.add(hook, source);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
