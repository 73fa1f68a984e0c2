package dev.cctracer.generator;

import java.io.IOException;
import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonGenerator;

/**
 * The JSON shape of each kind of line Claude Code writes in one session's transcripts:
 * assistant lines (one per content block of an API response, each repeating the usage),
 * tool results, user prompts, hook progress, system turn durations, file-history
 * snapshots, and a truncated line. Shape only: what goes in (text, timestamps, tokens) is
 * decided by {@link SessionWriter}. Timestamps are epoch milliseconds, written as UTC
 * instants.
 */
final class TranscriptEntries {

	private final String cwd;

	private final String session;

	/**
	 * @param cwd the project's working directory, as Claude Code records it
	 * @param session the session id every line carries
	 */
	TranscriptEntries(String cwd, String session) {
		this.cwd = cwd;
		this.session = session;
	}

	/** An assistant line whose content block is a {@code tool_use} of {@code tool}. */
	void toolUse(JsonlFile out, ApiResponse r, String toolId, String tool, long outputTokens, long ts)
			throws IOException {
		assistant(out, r, outputTokens, ts, (g) -> {
			g.writeStringField("type", "tool_use");
			g.writeStringField("id", toolId);
			g.writeStringField("name", tool);
			g.writeObjectFieldStart("input");
			g.writeStringField("command", "make test");
			g.writeEndObject();
		});
	}

	/** An assistant line whose content block is {@code thinking}. */
	void thinking(JsonlFile out, ApiResponse r, String thinking, long outputTokens, long ts) throws IOException {
		assistant(out, r, outputTokens, ts, (g) -> {
			g.writeStringField("type", "thinking");
			g.writeStringField("thinking", thinking);
		});
	}

	/** An assistant line whose content block is {@code text}. */
	void text(JsonlFile out, ApiResponse r, String text, long outputTokens, long ts) throws IOException {
		assistant(out, r, outputTokens, ts, (g) -> {
			g.writeStringField("type", "text");
			g.writeStringField("text", text);
		});
	}

	/**
	 * One line of an API response: its content block, and its usage with
	 * {@code outputTokens} (partial until the response's last line) and the 5m/1h cache
	 * write split.
	 */
	private void assistant(JsonlFile out, ApiResponse r, long outputTokens, long ts, JsonlFile.LineBody block)
			throws IOException {
		out.line((g) -> {
			g.writeStartObject();
			g.writeStringField("parentUuid", UUID.randomUUID().toString());
			g.writeBooleanField("isSidechain", r.sidechain());
			if (r.agentId() != null) {
				g.writeStringField("agentId", r.agentId());
			}
			g.writeStringField("userType", "external");
			g.writeStringField("cwd", this.cwd);
			g.writeStringField("sessionId", this.session);
			g.writeStringField("version", "2.1.39");
			g.writeObjectFieldStart("message");
			g.writeStringField("model", r.model());
			g.writeStringField("id", r.messageId());
			g.writeStringField("type", "message");
			g.writeStringField("role", "assistant");
			g.writeArrayFieldStart("content");
			g.writeStartObject();
			block.write(g);
			g.writeEndObject();
			g.writeEndArray();
			g.writeNullField("stop_reason");
			writeUsage(g, r, outputTokens);
			g.writeEndObject();
			g.writeStringField("requestId", r.requestId());
			g.writeStringField("type", "assistant");
			g.writeStringField("uuid", UUID.randomUUID().toString());
			g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
			g.writeEndObject();
		});
	}

	private static void writeUsage(JsonGenerator g, ApiResponse r, long outputTokens) throws IOException {
		g.writeObjectFieldStart("usage");
		g.writeNumberField("input_tokens", r.usage().input());
		g.writeNumberField("cache_creation_input_tokens", r.usage().cacheWrite());
		g.writeNumberField("cache_read_input_tokens", r.usage().cacheRead());
		g.writeObjectFieldStart("cache_creation");
		g.writeNumberField("ephemeral_5m_input_tokens", r.usage().cacheWrite5m());
		g.writeNumberField("ephemeral_1h_input_tokens", r.usage().cacheWrite1h());
		g.writeEndObject();
		g.writeNumberField("output_tokens", outputTokens);
		g.writeStringField("service_tier", "standard");
		if (r.usage().fast()) {
			g.writeStringField("speed", "fast");
		}
		g.writeEndObject();
	}

	/**
	 * The user line answering a {@code tool_use}: a {@code tool_result} with its text.
	 */
	void toolResult(JsonlFile out, boolean sidechain, String toolId, String content, boolean error, long ts)
			throws IOException {
		out.line((g) -> {
			g.writeStartObject();
			g.writeBooleanField("isSidechain", sidechain);
			g.writeStringField("cwd", this.cwd);
			g.writeStringField("sessionId", this.session);
			g.writeStringField("type", "user");
			g.writeObjectFieldStart("message");
			g.writeStringField("role", "user");
			g.writeArrayFieldStart("content");
			g.writeStartObject();
			g.writeStringField("tool_use_id", toolId);
			g.writeStringField("type", "tool_result");
			g.writeStringField("content", content);
			g.writeBooleanField("is_error", error);
			g.writeEndObject();
			g.writeEndArray();
			g.writeEndObject();
			g.writeStringField("uuid", UUID.randomUUID().toString());
			g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
			g.writeEndObject();
		});
	}

	/** A user prompt in the main session. */
	void userPrompt(JsonlFile out, String text, long ts) throws IOException {
		out.line((g) -> {
			g.writeStartObject();
			g.writeBooleanField("isSidechain", false);
			g.writeStringField("cwd", this.cwd);
			g.writeStringField("sessionId", this.session);
			g.writeStringField("type", "user");
			g.writeObjectFieldStart("message");
			g.writeStringField("role", "user");
			g.writeStringField("content", text);
			g.writeEndObject();
			g.writeStringField("uuid", UUID.randomUUID().toString());
			g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
			g.writeEndObject();
		});
	}

	/** A {@code progress} line of a PostToolUse hook. */
	void hookProgress(JsonlFile out, long ts) throws IOException {
		out.line((g) -> {
			g.writeStartObject();
			g.writeStringField("type", "progress");
			g.writeStringField("sessionId", this.session);
			g.writeObjectFieldStart("data");
			g.writeStringField("type", "hook_progress");
			g.writeStringField("hookEvent", "PostToolUse");
			g.writeStringField("command", "echo ok");
			g.writeEndObject();
			g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
			g.writeEndObject();
		});
	}

	/** A {@code system} line with the turn's duration. */
	void turnDuration(JsonlFile out, long ts) throws IOException {
		out.line((g) -> {
			g.writeStartObject();
			g.writeStringField("type", "system");
			g.writeStringField("subtype", "turn_duration");
			g.writeNumberField("durationMs", 1234);
			g.writeStringField("sessionId", this.session);
			g.writeStringField("timestamp", Instant.ofEpochMilli(ts).toString());
			g.writeEndObject();
		});
	}

	/** A {@code file-history-snapshot} line (no session id, no timestamp). */
	void fileHistorySnapshot(JsonlFile out) throws IOException {
		out.raw("{\"type\":\"file-history-snapshot\",\"messageId\":\"" + UUID.randomUUID()
				+ "\",\"snapshot\":{\"trackedFileBackups\":{}},\"isSnapshotUpdate\":false}");
	}

	/** A malformed line: an assistant line cut off mid-object. */
	void truncatedAssistant(JsonlFile out) throws IOException {
		out.raw("{\"type\":\"assistant\",\"message\":{\"id\":\"msg_trunc");
	}

}
