package dev.cctracer.shared.transcript;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.cctracer.shared.RealData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Claude Code 2.1's system lines say beyond their subtype, read from a real
 * transcript of {@code ../shared/realdata/cc-2026} (version 2.1.145): a turn's duration
 * and a stop hook's run with its error, which the timeline showed as the bare subtype.
 */
class SystemDetailTests {

	private static final String FILE = "cc-2026/dotsv2/projects/-Users-devuser-uw-kubernetes-manifests/"
			+ "74f505ae-fa88-4fed-8eea-2a85cb5d4c3e.jsonl";

	private final ObjectMapper json = new ObjectMapper();

	@Test
	void aTurnsDurationAndAStopHooksRunAreSaid() throws IOException {
		List<String> details = new ArrayList<>();
		for (String text : Files.readAllLines(RealData.file(FILE))) {
			JsonNode line = this.json.readTree(text);
			String subtype = line.path("subtype").asText();
			if (subtype.equals("turn_duration") || subtype.equals("stop_hook_summary")) {
				details.add(subtype + ": " + TranscriptText.systemDetail(line));
			}
		}
		// the file's first turn: 12,173 ms over 13 messages; its stop hook's one
		// command failed (notify-send missing), as the line's hookErrors say
		assertThat(details).contains("turn_duration: took 12.2 s, 13 messages",
				"stop_hook_summary: 1 hook ran; error: Failed with non-blocking status code: /bin/sh: "
						+ "notify-send: command not found");
		assertThat(details).allSatisfy((d) -> assertThat(d).doesNotEndWith(": null"));
	}

	@Test
	void minutesStoppedTurnsAndOtherLines() throws IOException {
		assertThat(TranscriptText.systemDetail(this.json
			.readTree("{\"type\":\"system\",\"subtype\":\"turn_duration\",\"durationMs\":125400,\"messageCount\":40}")))
			.isEqualTo("took 2 min 5 s, 40 messages");
		assertThat(TranscriptText.systemDetail(this.json.readTree("{\"type\":\"system\",\"subtype\":"
				+ "\"stop_hook_summary\",\"hookCount\":2,\"hookErrors\":[],\"preventedContinuation\":true,"
				+ "\"stopReason\":\"tests fail\"}")))
			.isEqualTo("2 hooks ran; stopped the turn: tests fail");
		// a subtype without details, and a line of another type with the same fields
		assertThat(
				TranscriptText.systemDetail(this.json.readTree("{\"type\":\"system\",\"subtype\":\"informational\"}")))
			.isNull();
		assertThat(TranscriptText.systemDetail(this.json.readTree("{\"type\":\"user\",\"durationMs\":5}"))).isNull();
	}

	@Test
	void aHooksFailureOrBlockSaysWhatHappened() throws IOException {
		assertThat(TranscriptText.hookDetail(this.json.readTree(
				"""
						{"type":"attachment","attachment":{"type":"hook_non_blocking_error","hookName":"PostToolUse:Edit","hookEvent":"PostToolUse","stderr":"lint.sh: not found\\n","exitCode":127}}""")))
			.isEqualTo("PostToolUse:Edit hook failed (exit 127): lint.sh: not found");
		assertThat(TranscriptText.hookDetail(this.json.readTree(
				"""
						{"type":"attachment","attachment":{"type":"hook_blocking_error","hookName":"PreToolUse:Bash","hookEvent":"PreToolUse","blockingError":{"blockingError":"no rm -rf","command":"guard.sh"}}}""")))
			.isEqualTo("PreToolUse:Bash hook blocked: no rm -rf");
		assertThat(TranscriptText.hookDetail(this.json.readTree("""
				{"type":"attachment","attachment":{"type":"hook_cancelled","hookEvent":"PreToolUse"}}""")))
			.isEqualTo("PreToolUse hook was cancelled");
		assertThat(TranscriptText.hookDetail(this.json.readTree(
				"""
						{"type":"attachment","attachment":{"type":"hook_error_during_execution","hookName":"SessionStart:startup","hookEvent":"SessionStart","content":"spawn ENOENT"}}""")))
			.isEqualTo("SessionStart:startup hook could not be run: spawn ENOENT");
		assertThat(TranscriptText.hookDetail(this.json.readTree(
				"""
						{"type":"attachment","attachment":{"type":"hook_success","hookEvent":"PreToolUse","content":"Success"}}""")))
			.isNull();
	}

}
