package dev.cctracer.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Transcript lines for tests that price by hand: a response of Sonnet 4.5 ($3 / $15 per
 * million input / output tokens, no cache, below the long-context tier).
 */
public final class TestTranscripts {

	private TestTranscripts() {
	}

	/**
	 * One assistant line of {@code claude-sonnet-4-5-20250929} with its usage.
	 * @param session the session id
	 * @param id the response's {@code message.id} (its uuid and request id follow from
	 * it)
	 * @param at its timestamp, or {@code null} for a line without one
	 * @param input input tokens
	 * @param output output tokens
	 * @return the line, with its line break
	 */
	public static String sonnetResponse(String session, String id, Instant at, long input, long output) {
		return "{\"type\":\"assistant\",\"uuid\":\"" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8))
				+ "\",\"sessionId\":\"" + session + "\",\"requestId\":\"req_" + id + "\","
				+ ((at != null) ? "\"timestamp\":\"" + at + "\"," : "") + "\"message\":{\"id\":\"" + id
				+ "\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
				+ "\"text\":\"ok\"}],\"usage\":{\"input_tokens\":" + input + ",\"output_tokens\":" + output + "}}}\n";
	}

}
