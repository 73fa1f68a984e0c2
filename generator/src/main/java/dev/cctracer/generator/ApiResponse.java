package dev.cctracer.generator;

import dev.cctracer.shared.log.Usage;

/**
 * One generated API response: what every line of it repeats, and, once written, the
 * timestamp of its final line (the one that counts).
 *
 * @param messageId the response's {@code message.id} ({@code msg_01…}), the dedup key
 * @param requestId its {@code requestId} ({@code req_011C…})
 * @param model the model id, as priced by the bundled price table
 * @param usage its tokens (input, output, cache write 5m/1h, cache read) and fast mode
 * @param finalTs epoch milliseconds (UTC) of its final line; 0 until written
 * @param blocks content blocks before any tool_use block (one line each)
 * @param sidechain whether it belongs to a subagent or an inline sidechain
 * @param agentId the subagent's id, or {@code null} in a main session
 */
record ApiResponse(String messageId, String requestId, String model, Usage usage, long finalTs, int blocks,
		boolean sidechain, String agentId) {

	/** The same response, its final line written at {@code finalTs} (epoch ms). */
	ApiResponse writtenAt(long finalTs) {
		return new ApiResponse(this.messageId, this.requestId, this.model, this.usage, finalTs, this.blocks,
				this.sidechain, this.agentId);
	}

}
