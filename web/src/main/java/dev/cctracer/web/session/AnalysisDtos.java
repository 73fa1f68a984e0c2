package dev.cctracer.web.session;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.web.usage.Dtos.CostDto;
import dev.cctracer.web.usage.Dtos.TokensDto;

/**
 * JSON bodies of the session analysis endpoints (snake_case).
 */
final class AnalysisDtos {

	private AnalysisDtos() {
	}

	record ToolsDto(List<ToolStat> tools, long totalCalls, String attribution) {

	}

	record SubagentDto(String agentId, String layout, boolean compaction, String subagentType, String description,
			String promptPreview, String parentToolUseId, String startTime, String endTime, String status,
			long messageCount, long toolCalls, TokensDto tokens, CostDto cost) {

	}

	record SubagentsDto(List<SubagentDto> subagents, int totalCount) {

	}

	/**
	 * A failed tool result: when (UTC), which tool, the start of its output, its entry's
	 * uuid, its subagent ({@code null}: the main transcript), and what the failure was
	 * ({@link dev.cctracer.shared.transcript.ToolFailure#label}: {@code failed},
	 * {@code declined} or {@code cancelled}).
	 */
	record ErrorDto(String timestamp, String toolName, String errorMessage, String uuid, String agentId, String kind) {

	}

	record ErrorsDto(List<ErrorDto> errors, int total) {

	}

	/**
	 * A user prompt and what it led to: {@code tokens} and {@code cost} (USD) of its
	 * assistant steps, subagents not included.
	 */
	record CommandDto(String userMessage, String timestamp, String uuid, int assistantSteps, int toolsUsed,
			List<String> toolNames, long tokens, boolean followedByInterruption, String model, double cost) {

		/** The original tracer's name of {@code tokens}. */
		@JsonProperty("estimated_tokens")
		public long estimatedTokens() {
			return this.tokens;
		}

	}

	record CommandsSummaryDto(int totalCommands, double avgStepsPerCommand, double avgToolsPerCommand,
			double percentageRequiringTools, double interruptionRate) {

	}

	record CommandsDto(List<CommandDto> commands, CommandsSummaryDto summary) {

	}

	/**
	 * A compaction: when (UTC), its {@code trigger} ({@code auto} or {@code manual}, as
	 * logged), the context's tokens before it ({@code pre_tokens}, {@code null} when not
	 * logged) and after it ({@code post_tokens}, logged by Claude Code 2.1.x), its
	 * boundary entry's uuid and its subagent ({@code null}: the main transcript).
	 */
	record CompactionDto(String timestamp, String trigger, Long preTokens, Long postTokens, String uuid,
			String agentId) {

	}

	record CompactionsDto(List<CompactionDto> compactions, int total) {

	}

	record SkillDto(String skillName, long invocationCount, String lastUsed) {

	}

	record SkillsDto(List<SkillDto> skills, long totalInvocations) {

	}

	/**
	 * A hook's event and command, and its runs
	 * ({@link dev.cctracer.shared.transcript.HookRuns.Row}): {@code duration_ms} in
	 * milliseconds over the {@code timed_runs} that logged one, {@code last_error_at} a
	 * UTC instant; {@code command} {@code null} when not logged.
	 */
	record HookDto(String event, String command, List<String> names, long runs, long failures, long blocks,
			List<Integer> exitCodes, long durationMs, long timedRuns, String lastError, String lastErrorAt) {

	}

	/**
	 * A session's hooks, those with failures or blocks first, their totals, and how many
	 * of its transcripts could not be read (gone or unreadable since they were listed).
	 */
	record HooksDto(List<HookDto> hooks, long runs, long failures, long blocks, int transcriptsNotRead) {

	}

	record FileChangeDto(String filePath, String operation, long linesAdded, long linesRemoved, int edits) {

	}

	record CodeChangesDto(int filesCreated, int filesModified, long linesAdded, long linesRemoved, long netLines,
			List<FileChangeDto> changesByFile) {

	}

}
