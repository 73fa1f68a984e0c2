package dev.cctracer.generator;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The lines of one demo transcript (a main session or one subagent) in the shape Claude
 * Code 2.1.150 writes them (compare {@code ../shared/realdata/cc-2026}): user prompts,
 * assistant lines (one per content block, each repeating the usage with
 * {@code server_tool_use} and the 5m/1h cache split), tool results with their
 * {@code toolUseResult}, {@code ai-title}, {@code custom-title} and {@code agent-name}
 * entries, API error notices ({@code isApiErrorMessage}, model {@code <synthetic>}), a
 * {@code compact_boundary} with its summary, and turn durations. Lines chain by
 * {@code parentUuid}; uuids come from the seeded {@link Random}, so a transcript is the
 * same for the same seed. Timestamps are epoch milliseconds, written as UTC instants.
 */
final class DemoEntries {

	static final String VERSION = "2.1.150";

	private static final ObjectMapper JSON = new ObjectMapper();

	private final JsonlFile out;

	private final Random random;

	private final String cwd;

	private final String session;

	private final String agentId;

	private String parent;

	/**
	 * @param out the file the lines go to
	 * @param random the dataset's seeded random (uuids)
	 * @param cwd the project's working directory
	 * @param session the session id every line carries
	 * @param agentId the subagent's id, or {@code null} for the main session
	 */
	DemoEntries(JsonlFile out, Random random, String cwd, String session, String agentId) {
		this.out = out;
		this.random = random;
		this.cwd = cwd;
		this.session = session;
		this.agentId = agentId;
	}

	private String uuid() {
		return uuid(this.random);
	}

	/** A version 4 UUID drawn from {@code random}. */
	static String uuid(Random random) {
		long high = (random.nextLong() & ~0xF000L) | 0x4000L;
		long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
		return new UUID(high, low).toString();
	}

	/**
	 * A JSON object of {@code keysAndValues} in that order (the same bytes on every run,
	 * unlike {@link Map#of}).
	 */
	static Map<String, Object> map(Object... keysAndValues) {
		Map<String, Object> m = new LinkedHashMap<>();
		for (int i = 0; i < keysAndValues.length; i += 2) {
			m.put((String) keysAndValues[i], keysAndValues[i + 1]);
		}
		return m;
	}

	/** The fields every conversation line starts with; advances the parent chain. */
	private Map<String, Object> line(String type, String uuid) {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("parentUuid", this.parent);
		m.put("isSidechain", this.agentId != null);
		if (this.agentId != null) {
			m.put("agentId", this.agentId);
		}
		m.put("type", type);
		this.parent = uuid;
		return m;
	}

	private void tail(Map<String, Object> m, String uuid, long ts) throws IOException {
		m.put("uuid", uuid);
		m.put("timestamp", Instant.ofEpochMilli(ts).toString());
		m.put("userType", "external");
		m.put("entrypoint", "cli");
		m.put("cwd", this.cwd);
		m.put("sessionId", this.session);
		m.put("version", VERSION);
		m.put("gitBranch", "main");
		write(m);
	}

	private void write(Map<String, Object> m) throws IOException {
		this.out.raw(JSON.writeValueAsString(m));
	}

	/**
	 * A user prompt (or, with {@code compactSummary}, the summary after a compaction).
	 */
	void user(String text, long ts, boolean compactSummary) throws IOException {
		String uuid = uuid();
		Map<String, Object> m = line("user", uuid);
		if (compactSummary) {
			m.put("isCompactSummary", true);
			m.put("isVisibleInTranscriptOnly", true);
		}
		m.put("message", map("role", "user", "content", text));
		tail(m, uuid, ts);
	}

	/**
	 * One line of an API response: its content {@code block}, with {@code outputTokens}
	 * (partial until the response's last line).
	 * @return the line's uuid
	 */
	String assistant(ApiResponse r, Map<String, Object> block, long outputTokens, boolean last, long ts)
			throws IOException {
		String uuid = uuid();
		Map<String, Object> m = line("assistant", uuid);
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("model", r.model());
		message.put("id", r.messageId());
		message.put("type", "message");
		message.put("role", "assistant");
		message.put("content", List.of(block));
		message.put("stop_reason", last ? ("tool_use".equals(block.get("type")) ? "tool_use" : "end_turn") : null);
		message.put("stop_sequence", null);
		message.put("usage", usage(r, outputTokens));
		m.put("message", message);
		m.put("requestId", r.requestId());
		tail(m, uuid, ts);
		return uuid;
	}

	private static Map<String, Object> usage(ApiResponse r, long outputTokens) {
		Map<String, Object> u = new LinkedHashMap<>();
		u.put("input_tokens", r.usage().input());
		u.put("cache_creation_input_tokens", r.usage().cacheWrite());
		u.put("cache_read_input_tokens", r.usage().cacheRead());
		u.put("output_tokens", outputTokens);
		u.put("server_tool_use", map("web_search_requests", r.usage().webSearches(), "web_fetch_requests", 0));
		u.put("service_tier", "standard");
		u.put("cache_creation", map("ephemeral_1h_input_tokens", r.usage().cacheWrite1h(), "ephemeral_5m_input_tokens",
				r.usage().cacheWrite5m()));
		u.put("inference_geo", "");
		u.put("speed", "standard");
		return u;
	}

	/**
	 * The user line answering a {@code tool_use}: its {@code tool_result} text, and
	 * Claude Code's structured {@code toolUseResult} (or, for an error, the error text).
	 */
	void toolResult(String toolId, String content, boolean error, Object toolUseResult, String sourceUuid, long ts)
			throws IOException {
		String uuid = uuid();
		Map<String, Object> m = line("user", uuid);
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("tool_use_id", toolId);
		result.put("type", "tool_result");
		result.put("content", content);
		if (error) {
			result.put("is_error", true);
		}
		m.put("message", map("role", "user", "content", List.of(result)));
		m.put("toolUseResult", error ? "Error: " + content : toolUseResult);
		m.put("sourceToolAssistantUUID", sourceUuid);
		tail(m, uuid, ts);
	}

	/**
	 * An API error Claude Code logged: a {@code <synthetic>} assistant line with zero
	 * usage and {@code isApiErrorMessage}; {@code kind} is its {@code error} field, or
	 * {@code null}.
	 */
	void apiError(String text, String kind, long ts) throws IOException {
		String uuid = uuid();
		Map<String, Object> m = line("assistant", uuid);
		Map<String, Object> message = new LinkedHashMap<>();
		message.put("id", uuid());
		message.put("container", null);
		message.put("model", "<synthetic>");
		message.put("role", "assistant");
		message.put("stop_reason", "stop_sequence");
		message.put("stop_sequence", "");
		message.put("type", "message");
		message.put("usage", map("input_tokens", 0, "output_tokens", 0, "cache_creation_input_tokens", 0,
				"cache_read_input_tokens", 0, "server_tool_use", map("web_search_requests", 0)));
		message.put("content", List.of(map("type", "text", "text", text)));
		m.put("message", message);
		if (kind != null) {
			m.put("error", kind);
		}
		m.put("isApiErrorMessage", true);
		tail(m, uuid, ts);
	}

	/**
	 * The {@code compact_boundary} system line of a compaction the user asked for
	 * ({@code /compact}).
	 */
	void compactBoundary(long preTokens, long postTokens, long durationMs, long ts) throws IOException {
		String uuid = uuid();
		String logicalParent = this.parent;
		this.parent = null;
		Map<String, Object> m = line("system", uuid);
		m.put("logicalParentUuid", logicalParent);
		m.put("subtype", "compact_boundary");
		m.put("content", "Conversation compacted");
		m.put("isMeta", false);
		m.put("level", "info");
		m.put("compactMetadata",
				map("trigger", "manual", "preTokens", preTokens, "postTokens", postTokens, "durationMs", durationMs));
		tail(m, uuid, ts);
	}

	/** The {@code system} line with the turn's duration. */
	void turnDuration(long durationMs, long ts) throws IOException {
		String uuid = uuid();
		Map<String, Object> m = line("system", uuid);
		m.put("subtype", "turn_duration");
		m.put("durationMs", durationMs);
		m.put("isMeta", false);
		tail(m, uuid, ts);
	}

	/** An {@code ai-title} entry: the title Claude Code generated for the session. */
	void aiTitle(String title) throws IOException {
		label("ai-title", "aiTitle", title);
	}

	/** A {@code custom-title} entry: the title the user gave ({@code /rename}). */
	void customTitle(String title) throws IOException {
		label("custom-title", "customTitle", title);
	}

	/** An {@code agent-name} entry: the name of the agent writing this transcript. */
	void agentName(String name) throws IOException {
		label("agent-name", "agentName", name);
	}

	private void label(String type, String field, String value) throws IOException {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("type", type);
		m.put(field, value);
		m.put("sessionId", this.session);
		write(m);
	}

	/** The {@code agent-<id>.meta.json} Claude Code writes beside a subagent. */
	static String meta(String agentType, String description, String toolUseId) throws IOException {
		Map<String, Object> m = new LinkedHashMap<>();
		m.put("agentType", agentType);
		m.put("description", description);
		m.put("toolUseId", toolUseId);
		return JSON.writeValueAsString(m);
	}

}
