package dev.cctracer.shared.log;

import java.util.List;

/**
 * What the indexer needs from one JSONL line. Text content is never kept here.
 *
 * @param type the entry type
 * @param rawType the {@code type} field as written (null when missing)
 * @param timestamp epoch milliseconds, or {@code null} when missing or unparsable
 * @param sessionId {@code sessionId}
 * @param cwd {@code cwd}
 * @param sidechain {@code isSidechain}
 * @param agentId {@code agentId}
 * @param requestId {@code requestId}
 * @param costUsd a logged {@code costUSD}, or {@code null}
 * @param messageId {@code message.id}
 * @param model {@code message.model}
 * @param usage {@code message.usage} when it is an object, else {@code null}
 * @param toolUses number of {@code tool_use} content blocks
 * @param toolUseIds the {@code id} of each {@code tool_use} block that has one, in line
 * order (empty when none): a response's lines written again repeat them
 * @param toolErrors number of {@code tool_result} blocks with {@code is_error:true}
 * @param interrupted a user line reporting that the user interrupted the request
 * @param apiError {@code isApiErrorMessage:true}: a local notice of a failed API call
 * @param label the text of a labelling entry: {@code customTitle} of
 * {@code custom-title}, {@code aiTitle} of {@code ai-title}, {@code agentName} of
 * {@code agent-name} (at most {@value #LABEL_READ_MAX} characters as read; redacted and
 * cut to {@value #LABEL_MAX} where kept), else {@code null}
 * @param errorText the first text block of a {@code <synthetic>} message (an API error's
 * text, at most {@value #LABEL_READ_MAX} characters as read), else {@code null}
 * @param errorKind the top-level {@code error} string of an API error line (e.g.
 * {@code rate_limit}, {@code server_error}, {@code authentication_failed}), else
 * {@code null}
 * @param toolErrorIds the {@code tool_use_id} of each {@code tool_result} block with
 * {@code is_error:true} that names one, in line order (empty when none): what a side
 * question's replay of the result repeats
 * @param forked the line has a {@code forkedFrom} object: Claude Code copied it from
 * another session into this one ({@code /branch}, {@code --fork-session}, the Agent SDK's
 * {@code forkSession}), stamping the source's session id and the line's uuid there
 */
public record LogEntry(EntryType type, String rawType, Long timestamp, String sessionId, String cwd, boolean sidechain,
		String agentId, String requestId, Double costUsd, String messageId, String model, Usage usage, int toolUses,
		List<String> toolUseIds, int toolErrors, boolean interrupted, boolean apiError, String label, String errorText,
		String errorKind, List<String> toolErrorIds, boolean forked) {

	/** Longest label or error text kept, in characters. */
	public static final int LABEL_MAX = 500;

	/**
	 * Longest label or error text the parser reads, in characters: a secret that starts
	 * before {@link #LABEL_MAX} is whole in it (a private key block is ~3,300), so it is
	 * redacted before the text is cut to {@link #LABEL_MAX}
	 * ({@code Redactor.redactThenCut}).
	 */
	public static final int LABEL_READ_MAX = 8192;

	/** The model Claude Code writes on lines it made itself rather than the API. */
	public static final String SYNTHETIC_MODEL = "<synthetic>";

	public boolean hasUsage() {
		return this.usage != null;
	}

	/**
	 * Whether Claude Code wrote this line itself (model {@code <synthetic>} or
	 * {@code isApiErrorMessage}): not an API response, so never a message, a model or a
	 * cost.
	 */
	public boolean synthetic() {
		return this.apiError || SYNTHETIC_MODEL.equals(this.model);
	}

}
