package dev.cctracer.web.session;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session's hooks follow its transcript as it grows (the answer is cached by the
 * transcripts' committed offsets), on lines of the shapes Claude Code 2.1.145 writes: a
 * stop hook's summary, its failure attachment, a blocking PreToolUse hook.
 */
class SessionHooksTests extends RealDataWebTest {

	private static final String SESSION = "4004a000-0000-4000-8000-000000000001";

	private static String stop(int turn, String error) {
		String id = "stop-" + turn;
		String summary = "{\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"hookCount\":1,\"hookInfos\":"
				+ "[{\"command\":\"notify-send done\",\"durationMs\":" + (40 + turn) + "}],\"hookErrors\":["
				+ ((error != null) ? "\"" + error + "\"" : "") + "],\"preventedContinuation\":false,\"toolUseID\":\""
				+ id + "\",\"uuid\":\"s-" + turn + "\",\"timestamp\":\"2026-03-0" + turn
				+ "T10:00:00Z\",\"sessionId\":\"" + SESSION + "\"}\n";
		String attachment = (error == null) ? ""
				: "{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_non_blocking_error\",\"hookName\":\"Stop\","
						+ "\"toolUseID\":\"" + id + "\",\"hookEvent\":\"Stop\",\"stderr\":\"" + error
						+ "\",\"stdout\":\"\",\"exitCode\":127,\"command\":\"notify-send done\",\"durationMs\":"
						+ (40 + turn) + "},\"uuid\":\"a-" + turn + "\",\"timestamp\":\"2026-03-0" + turn
						+ "T10:00:00Z\",\"sessionId\":\"" + SESSION + "\"}\n";
		return attachment + summary;
	}

	@Test
	void aSessionsHooksFollowItsTranscriptAsItGrows() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-hooks-live"));
		Path main = dir.resolve(SESSION + ".jsonl");
		Files.writeString(main,
				"{\"type\":\"user\",\"uuid\":\"h-u1\",\"timestamp\":\"2026-03-01T09:59:00Z\"," + "\"sessionId\":\""
						+ SESSION + "\",\"message\":{\"role\":\"user\",\"content\":\"hello\"}}\n"
						+ stop(1, "notify-send: command not found"));
		indexed();
		String api = "/api/sessions/-hooks-live/" + SESSION + "/hooks";
		JsonNode first = get(api).body();
		assertThat(first.get("runs").asLong()).isOne();
		assertThat(first.get("failures").asLong()).isOne();
		assertThat(first.get("hooks").get(0).get("duration_ms").asLong()).isEqualTo(41);
		// a turn whose stop hook ran fine, and one where a PreToolUse hook blocked a call
		Files.writeString(main, stop(2, null)
				+ "{\"type\":\"attachment\",\"attachment\":{\"type\":\"hook_blocking_error\",\"hookName\":\"PreToolUse:Bash\","
				+ "\"toolUseID\":\"toolu_h1\",\"hookEvent\":\"PreToolUse\",\"blockingError\":{\"blockingError\":"
				+ "\"rm -rf is not allowed\",\"command\":\"guard.sh\"}},\"uuid\":\"b-1\",\"timestamp\":"
				+ "\"2026-03-03T10:00:00Z\",\"sessionId\":\"" + SESSION + "\"}\n", StandardOpenOption.APPEND);
		indexed();
		JsonNode grown = get(api).body();
		assertThat(grown.get("runs").asLong()).isEqualTo(3);
		assertThat(grown.get("failures").asLong()).isOne();
		assertThat(grown.get("blocks").asLong()).isOne();
		JsonNode notify = grown.get("hooks").get(0);
		assertThat(notify.get("command").asText()).isEqualTo("notify-send done");
		assertThat(notify.get("runs").asLong()).isEqualTo(2);
		assertThat(notify.get("duration_ms").asLong()).isEqualTo(41 + 42);
		JsonNode guard = grown.get("hooks").get(1);
		assertThat(guard.get("event").asText()).isEqualTo("PreToolUse");
		assertThat(guard.get("blocks").asLong()).isOne();
		assertThat(guard.get("last_error").asText()).isEqualTo("rm -rf is not allowed");
		assertThat(get("/projects/-hooks-live/sessions/" + SESSION).text())
			.contains("Hooks (3 runs, 1 failed, 1 blocked)", "rm -rf is not allowed", "PreToolUse:Bash");
		// the timeline's hook entries: the two turns' stop summaries, and the block (the
		// stop hook's failure attachment is said by its summary)
		JsonNode entries = get("/api/sessions/-hooks-live/" + SESSION + "/messages?type=hook").body().get("messages");
		assertThat(entries).extracting((m) -> m.get("uuid").asText()).containsExactly("s-1", "s-2", "b-1");
		assertThat(entries.get(0).get("preview").asText()).contains("notify-send: command not found");
		assertThat(entries.get(2).get("preview").asText())
			.isEqualTo("PreToolUse:Bash hook blocked: rm -rf is not allowed [command: guard.sh]");
		// a stop summary's entry names its hooks' commands
		assertThat(entries.get(0).get("preview").asText()).contains("1 hook ran [notify-send done]");
	}

	/**
	 * A project's hook statistics after one of its sessions grew read that session again
	 * and count the other's runs as folded before, with the same totals as a first read:
	 * 2 stop runs of session A (1 failed) and 1 of B, then 2 more of B (1 failed).
	 */
	@Test
	void shouldReadOnlyTheSessionsThatGrewForTheHookStatistics() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-hooks-reuse"));
		String a = SESSION.replace("4004a000", "4004a001");
		String b = SESSION.replace("4004a000", "4004a002");
		Path fileA = dir.resolve(a + ".jsonl");
		Path fileB = dir.resolve(b + ".jsonl");
		Files.writeString(fileA, (stop(1, "notify-send: command not found") + stop(2, null)).replace(SESSION, a));
		Files.writeString(fileB, stop(3, null).replace(SESSION, b));
		indexed();
		String api = "/api/projects/-hooks-reuse/hooks";
		JsonNode first = resultOf(get(api));
		assertThat(first.get("runs").asLong()).isEqualTo(3);
		assertThat(first.get("failures").asLong()).isOne();
		assertThat(first.get("transcripts").asLong()).isEqualTo(2);
		assertThat(first.get("reused").asLong()).isZero();
		assertThat(first.get("bytes").asLong()).isEqualTo(Files.size(fileA) + Files.size(fileB));
		Files.writeString(fileB, (stop(4, "notify-send: command not found") + stop(5, null)).replace(SESSION, b),
				StandardOpenOption.APPEND);
		indexed();
		JsonNode grown = resultOf(get(api));
		assertThat(grown.get("transcripts").asLong()).isEqualTo(2);
		assertThat(grown.get("reused").asLong()).isOne();
		assertThat(grown.get("bytes").asLong()).isEqualTo(Files.size(fileB));
		assertThat(grown.get("runs").asLong()).isEqualTo(5);
		assertThat(grown.get("failures").asLong()).isEqualTo(2);
		JsonNode notify = grown.get("hooks").get(0);
		assertThat(notify.get("command").asText()).isEqualTo("notify-send done");
		assertThat(notify.get("runs").asLong()).isEqualTo(5);
		assertThat(notify.get("sessions").asLong()).isEqualTo(2);
		assertThat(notify.get("failed_sessions").asLong()).isEqualTo(2);
		assertThat(notify.get("duration_ms").asLong()).isEqualTo(41 + 42 + 43 + 44 + 45);
		// the latest failure: B's turn 4 (2026-03-04), not A's earlier one kept from the
		// first read
		assertThat(notify.get("last_error_at").asText()).isEqualTo("2026-03-04T10:00:00Z");
		assertThat(notify.get("last_error_session").asText()).isEqualTo(b);
	}

}
