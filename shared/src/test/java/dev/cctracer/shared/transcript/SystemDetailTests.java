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
		// command (a notify-send of "Slave is done") failed (notify-send missing), as the
		// line's hookInfos and hookErrors say
		assertThat(details).contains("turn_duration: took 12.2 s, 13 messages");
		assertThat(details)
			.anySatisfy((d) -> assertThat(d).startsWith("stop_hook_summary: 1 hook ran [p=$(pgrep -x dunst")
				.contains("'Slave is done']")
				.endsWith("; error: Failed with non-blocking status code: /bin/sh: notify-send: command not found"));
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
		// its commands, and a reason given without stopping the turn
		assertThat(TranscriptText.systemDetail(this.json.readTree("{\"type\":\"system\",\"subtype\":"
				+ "\"stop_hook_summary\",\"hookCount\":2,\"hookInfos\":[{\"command\":\"beep.sh\"},{\"command\":\" \"},"
				+ "{\"command\":\"notify-send done\"},{\"command\":\"beep.sh\"}],\"stopReason\":\" lint is slow \"}")))
			.isEqualTo("2 hooks ran [beep.sh; notify-send done]; stop reason: lint is slow");
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
			.isEqualTo("PreToolUse:Bash hook blocked: no rm -rf [command: guard.sh]");
		// each text once, its stdout left out (the timeline never showed it)
		assertThat(TranscriptText.hookDetail(this.json.readTree(
				"""
						{"type":"attachment","attachment":{"type":"hook_non_blocking_error","hookName":"PostToolUse:Write","hookEvent":"PostToolUse","stderr":"E501 line too long","content":"E501 line too long ","stdout":"checked 3 files","command":"ruff check","exitCode":1}}""")))
			.isEqualTo("PostToolUse:Write hook failed (exit 1): E501 line too long [command: ruff check]");
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
