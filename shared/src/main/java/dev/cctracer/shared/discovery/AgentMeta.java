package dev.cctracer.shared.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What Claude Code writes beside a subagent's transcript in {@code agent-<id>.meta.json}:
 * {@code {"agentType":"Explore","description":"…","toolUseId":"toolu_…"}}; a fork
 * subagent has {@code "agentType":"fork"} (and {@code isFork:true}). Side questions
 * ({@code agent-aside_question-*}) and compactions ({@code agent-acompact-*}) have none.
 *
 * @param agentType the subagent's type, or {@code null}
 * @param description the task it was given (at most 1,000 characters), or {@code null}
 */
public record AgentMeta(String agentType, String description) {

	public static final AgentMeta NONE = new AgentMeta(null, null);

	/** Larger files are not read. */
	static final long MAX_BYTES = 64 * 1024;

	private static final ObjectMapper MAPPER = new ObjectMapper();

	/**
	 * Reads the meta file of a subagent transcript; {@link #NONE} when there is none or
	 * it is not a JSON object of at most 64 KiB (never throws).
	 * @param transcript the subagent's {@code agent-<id>.jsonl}
	 */
	public static AgentMeta read(Path transcript) {
		String name = transcript.getFileName().toString();
		if (!name.endsWith(".jsonl")) {
			return NONE;
		}
		Path meta = transcript.resolveSibling(name.substring(0, name.length() - ".jsonl".length()) + ".meta.json");
		try {
			if (!Files.isRegularFile(meta) || Files.size(meta) > MAX_BYTES) {
				return NONE;
			}
			try (InputStream in = Files.newInputStream(meta)) {
				JsonNode node = MAPPER.readTree(in);
				if (node == null || !node.isObject()) {
					return NONE;
				}
				String type = text(node, "agentType", 128);
				if (type == null && node.path("isFork").asBoolean(false)) {
					type = "fork";
				}
				return new AgentMeta(type, text(node, "description", 1000));
			}
		}
		catch (IOException | RuntimeException ex) {
			return NONE;
		}
	}

	private static String text(JsonNode node, String field, int max) {
		JsonNode v = node.get(field);
		if (v == null || !v.isTextual() || v.asText().isBlank()) {
			return null;
		}
		String s = v.asText();
		return (s.length() <= max) ? s : s.substring(0, max);
	}

}
