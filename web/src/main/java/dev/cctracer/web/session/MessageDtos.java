package dev.cctracer.web.session;

import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.web.usage.Dtos.TokensDto;

/**
 * JSON bodies of the message endpoints (snake_case).
 */
final class MessageDtos {

	private MessageDtos() {
	}

	record ToolDto(String id, String name) {

	}

	/**
	 * A row of a message list: {@code timestamp} an ISO-8601 UTC instant, {@code index}
	 * the 1-based position in its transcript, {@code counted} whether the totals count
	 * its usage here (absent without usage; {@code false} when its response counts in
	 * another file or by another copy), {@code cost} what it adds to them (its usage
	 * priced, USD, see {@link MessageCosts}; {@code null} without usage or when not
	 * counted here), so a transcript's costs add up to its total; {@code priced}
	 * {@code false} for a model of no known family (its tokens cost 0) and
	 * {@code estimated} {@code true} for one the table does not list (its family's newest
	 * card), both absent where {@code counted} is, as the totals'
	 * {@code unpriced_messages} and {@code estimated_messages} say it. A row of a
	 * timeline from the facts ({@link FactPages}) is one line: {@code type} the line's
	 * own type, {@code index} its position among the file's JSON lines, {@code counted}
	 * as above, {@code cost}, {@code priced}, {@code estimated} and {@code parent_uuid}
	 * {@code null}.
	 */
	record MessageDto(String uuid, String parentUuid, String type, String timestamp, String model, String preview,
			TokensDto tokens, List<ToolDto> tools, String toolUseId, boolean isError, boolean isSidechain,
			String agentId, int index, Double cost, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean counted,
			@JsonInclude(JsonInclude.Include.NON_NULL) Boolean priced,
			@JsonInclude(JsonInclude.Include.NON_NULL) Boolean estimated) {

		/** A row without {@code counted} (a line without usage). */
		MessageDto(String uuid, String parentUuid, String type, String timestamp, String model, String preview,
				TokensDto tokens, List<ToolDto> tools, String toolUseId, boolean isError, boolean isSidechain,
				String agentId, int index, Double cost) {
			this(uuid, parentUuid, type, timestamp, model, preview, tokens, tools, toolUseId, isError, isSidechain,
					agentId, index, cost, null, null, null);
		}

		/** The original tracer's name of {@code preview}. */
		@JsonProperty("content")
		public String content() {
			return this.preview;
		}

		/**
		 * The original tracer's {@code tool_names}: the names of the row's tool calls,
		 * comma-joined, the subagent tool ({@code Task}, today {@code Agent}) left out as
		 * it left it out; empty for none.
		 */
		@JsonProperty("tool_names")
		public String toolNames() {
			return this.tools.stream()
				.map(ToolDto::name)
				.filter((n) -> n != null && !n.equals("Task") && !n.equals("Agent"))
				.collect(Collectors.joining(","));
		}

		/** The original tracer's {@code has_tool_result}: the row holds a tool result. */
		@JsonProperty("has_tool_result")
		public boolean hasToolResult() {
			return this.toolUseId != null;
		}

		/** How many characters of a message's text a row previews. */
		static final int PREVIEW_CHARS = 500;

		/**
		 * The row of an indexed message with a preview of its text, what it adds to the
		 * totals (USD; {@code null} when they count its response elsewhere) and whether
		 * they count it here ({@code null} without usage).
		 */
		static MessageDto of(MessageItem item, String preview, MessageCosts.Counted counted) {
			MessageCosts.Row cost = counted.row(item);
			List<ToolDto> tools = item.tools().stream().map((t) -> new ToolDto(t.id(), t.name())).toList();
			String toolUseId = item.toolUseIds().isEmpty() ? null : item.toolUseIds().get(0);
			return new MessageDto(item.uuid(), item.parentUuid(), item.kind().wireName(),
					DtoFields.iso(item.timestamp()), item.model(), preview, TokensDto.of(item.usage()), tools,
					toolUseId, item.failed(), item.sidechain(), item.agentId(), item.ordinal() + 1, cost.usd(),
					cost.counted(), cost.priced(), cost.estimated());
		}

	}

	/**
	 * A page of messages; {@code next_cursor} is {@code null} on the last page (always
	 * there, as in the original tracer's {@code MessageListResponse}); {@code facts} is
	 * set when they come from the facts (the transcript is not on this machine's disk),
	 * absent otherwise, as are the page mode's fields in cursor mode.
	 * {@code tail_cursor}, on a transcript's last page in cursor mode, is where to read
	 * from to follow it as it grows: the page's last assistant message again (an API
	 * response's later lines merge into it, also after a tool result), else its last row,
	 * and every message after; absent there, from the start (the page showed none of the
	 * transcript's messages before its own). {@code tail_from} is the 1-based index of
	 * the first row it reads again: a follower replaces its rows from there.
	 */
	@JsonInclude(JsonInclude.Include.NON_NULL)
	record MessagesDto(List<MessageDto> messages, boolean hasMore,
			@JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor, Integer total, Integer page, Integer perPage,
			Integer totalPages, FactsDto facts, String tailCursor, Integer tailFrom) {

		/** A page of a transcript's messages, with no tail to follow. */
		MessagesDto(List<MessageDto> messages, boolean hasMore, String nextCursor, Integer total, Integer page,
				Integer perPage, Integer totalPages) {
			this(messages, hasMore, nextCursor, total, page, perPage, totalPages, null, null, null);
		}

		/** A page of a timeline from the facts. */
		MessagesDto(List<MessageDto> messages, boolean hasMore, String nextCursor, Integer total, Integer page,
				Integer perPage, Integer totalPages, FactsDto facts) {
			this(messages, hasMore, nextCursor, total, page, perPage, totalPages, facts, null, null);
		}

	}

	/**
	 * Where a timeline from the facts comes from.
	 *
	 * @param origin the machine whose disk holds the transcript (empty when none was
	 * recorded)
	 * @param thisMachine whether that is this machine (the file is gone from its disk)
	 * @param entries the transcript's lines the facts hold
	 * @param complete whether the facts reach every indexed line (else its worker has not
	 * written the facts of its latest lines yet)
	 * @param coveredBytes how far the facts reach (bytes)
	 * @param committedBytes how far the transcript is indexed (bytes)
	 */
	record FactsDto(String origin, boolean thisMachine, long entries, boolean complete, long coveredBytes,
			long committedBytes) {

	}

	record TypeCountDto(String type, long count) {

	}

	record ToolCountDto(String name, long count) {

	}

	record FiltersDto(List<TypeCountDto> types, List<ToolCountDto> tools, long errorCount, long repeatedEntries) {

	}

	/**
	 * Another entry of the same transcript, for a link: its line uuid ({@code null} for a
	 * line without one, e.g. a {@code summary} line) and its 1-based index.
	 */
	record MessageRefDto(String uuid, int index) {

		static MessageRefDto of(MessageItem item) {
			return (item != null) ? new MessageRefDto(item.uuid(), item.ordinal() + 1) : null;
		}

	}

	/**
	 * A tool call; {@code result} is the entry that carries its result ({@code null}
	 * while none is logged).
	 */
	record ToolCallDto(String id, String name, JsonNode input, MessageRefDto result) {

	}

	/**
	 * A tool result; {@code persistedOutput} names the file of
	 * {@code <session>/tool-results/} where Claude Code saved an output too large for the
	 * transcript ({@code null} when none), served by {@code GET
	 * /api/sessions/{p}/{s}/tool-results/{name}}; {@code call} is the entry that made the
	 * call ({@code null} when it is not in this transcript).
	 */
	record ToolResultDto(String toolUseId, boolean isError, String content, String persistedOutput,
			MessageRefDto call) {

	}

	/**
	 * One entry in full. {@code messageIndex} is its 1-based position among the
	 * transcript's {@code totalMessages} timeline entries (every kind: prompts, tool
	 * results, hooks, system lines, API responses), not among the counted messages;
	 * {@code previous} and {@code next} are its neighbours in the transcript
	 * ({@code null} at either end); {@code cost}, {@code counted}, {@code priced} and
	 * {@code estimated} as a row's ({@link MessageDto}).
	 */
	record MessageDetailDto(String uuid, String parentUuid, String messageId, String type, String timestamp,
			String model, String content, String thinking, List<ToolCallDto> tools, List<ToolResultDto> toolResults,
			TokensDto tokens, String cwd, boolean isSidechain, String agentId, int messageIndex, int totalMessages,
			MessageRefDto previous, MessageRefDto next, Double cost,
			@JsonInclude(JsonInclude.Include.NON_NULL) Boolean counted,
			@JsonInclude(JsonInclude.Include.NON_NULL) Boolean priced,
			@JsonInclude(JsonInclude.Include.NON_NULL) Boolean estimated) {

		/** The original tracer's {@code is_error}: one of its tool results failed. */
		@JsonProperty("is_error")
		public boolean failed() {
			return this.toolResults != null && this.toolResults.stream().anyMatch(ToolResultDto::isError);
		}

	}

}
