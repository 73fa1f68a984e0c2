package dev.cctracer.web.usage;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.cctracer.shared.log.Usage;

/**
 * JSON bodies of the API (snake_case, field names of the original tracer).
 */
public final class Dtos {

	private Dtos() {
	}

	public record TokensDto(long inputTokens, long outputTokens, long cacheCreationInputTokens,
			long cacheReadInputTokens, @JsonProperty("cache_creation_5m_input_tokens") long cacheCreation5mInputTokens,
			@JsonProperty("cache_creation_1h_input_tokens") long cacheCreation1hInputTokens) {

		public static TokensDto of(Usage u) {
			return (u == null) ? null : new TokensDto(u.input(), u.output(), u.cacheWrite(), u.cacheRead(),
					u.cacheWrite5m(), u.cacheWrite1h());
		}

		long total() {
			return this.inputTokens + this.outputTokens + this.cacheCreationInputTokens + this.cacheReadInputTokens;
		}

		/**
		 * The original tracer's cache-hit rate: cache reads over all input (cache reads,
		 * cache writes and input), in percent; 0 without input.
		 */
		public double cacheHitRate() {
			long all = this.cacheReadInputTokens + this.cacheCreationInputTokens + this.inputTokens;
			return (all == 0) ? 0 : this.cacheReadInputTokens * 100.0 / all;
		}

	}

	/**
	 * Cost in USD; {@code web_search_cost} is the web-search fee ($10 per 1,000
	 * searches), included in {@code total_cost}.
	 */
	public record CostDto(double inputCost, double outputCost, double cacheCreationCost, double cacheReadCost,
			double webSearchCost, double totalCost) {

	}

	/**
	 * A project. {@code unpriced_messages}: responses of a model of no known family (cost
	 * 0); {@code estimated_messages}: responses of a model the price table does not list,
	 * priced by its family's newest card.
	 */
	public record ProjectDto(String pathHash, String projectPath, long sessionCount, TokensDto tokens, long totalTokens,
			double totalCost, String firstActivity, String lastActivity, long messageCount, long unpricedMessages,
			long estimatedMessages, long webSearchRequests) {

		/**
		 * How a list of projects names each: its path, with its project dir when another
		 * project of the list has the same path (two machines' dirs, a copy: a team
		 * trial's search page offered one path three times), its dir when it has no path.
		 * One pass over the list (a page of thousands of projects named each by a scan of
		 * all the others).
		 * @return project dir → label, in the list's order
		 */
		public static Map<String, String> labels(List<ProjectDto> projects) {
			Map<String, Integer> dirsPerPath = new HashMap<>();
			for (ProjectDto p : projects) {
				if (p.projectPath != null && !p.projectPath.isBlank()) {
					dirsPerPath.merge(p.projectPath, 1, Integer::sum);
				}
			}
			Map<String, String> labels = new LinkedHashMap<>();
			for (ProjectDto p : projects) {
				String label = (p.projectPath == null || p.projectPath.isBlank()) ? p.pathHash
						: (dirsPerPath.get(p.projectPath) > 1) ? p.projectPath + " (" + p.pathHash + ")"
								: p.projectPath;
				labels.put(p.pathHash, label);
			}
			return labels;
		}

	}

	public record ProjectsDto(List<ProjectDto> projects) {

	}

	public record OriginDto(String origin, List<String> roots, long fileCount, long sessionCount, TokensDto tokens,
			long totalTokens, double totalCost, long messageCount, String firstActivity, String lastActivity) {

	}

	public record OriginsDto(List<OriginDto> origins) {

	}

	public record SessionDto(String sessionId, String projectPath, String startTime, String endTime,
			Long durationSeconds, long messageCount, long toolCalls, long errors, long subagentCount, TokensDto tokens,
			long totalTokens, CostDto cost, List<String> modelsUsed, String status, long unpricedMessages,
			@JsonInclude(JsonInclude.Include.NON_NULL) List<AgentDto> agents, String title, String agentName,
			long estimatedMessages, long webSearchRequests, long apiErrors, String pathHash,
			@JsonInclude(JsonInclude.Include.NON_NULL) String firstPrompt) {

		/** How long a first prompt may be as a title (characters). */
		public static final int TITLE_CHARS = 80;

		/**
		 * The original tracer's {@code slug}: always {@code null} (it read it from an
		 * index that had none, so it was null there too).
		 */
		@JsonProperty("slug")
		public String slug() {
			return null;
		}

		/** The original tracer's {@code skills_used}: always empty, as it was there. */
		@JsonProperty("skills_used")
		public List<String> skillsUsed() {
			return List.of();
		}

		/**
		 * The same session with its first prompt (the user's first words, shortened to
		 * {@link #TITLE_CHARS}), {@code null} when it has none.
		 */
		public SessionDto withFirstPrompt(String prompt) {
			return new SessionDto(this.sessionId, this.projectPath, this.startTime, this.endTime, this.durationSeconds,
					this.messageCount, this.toolCalls, this.errors, this.subagentCount, this.tokens, this.totalTokens,
					this.cost, this.modelsUsed, this.status, this.unpricedMessages, this.agents, this.title,
					this.agentName, this.estimatedMessages, this.webSearchRequests, this.apiErrors, this.pathHash,
					prompt);
		}

		/**
		 * What a page calls the session: its title (custom, else AI), else its first
		 * prompt, else {@code null} (the page shows the id).
		 */
		public String displayTitle() {
			return (this.title != null) ? this.title : this.firstPrompt;
		}

	}

	public record AgentDto(String agentId, String kind, long messageCount, TokensDto tokens, CostDto cost,
			List<String> modelsUsed, String agentType, String description, String agentName) {

	}

	public record SessionsDto(List<SessionDto> sessions, long total, String nextCursor) {

	}

	/**
	 * Usage over a range: tokens, cost (USD) and counts; {@code cost} the cost by kind
	 * (input, output, cache writes, cache reads, web searches; its {@code total_cost} the
	 * cost mode's, as {@code total_cost}), {@code cache_hit_rate} cache reads over all
	 * input in percent, as a session's metrics give it.
	 */
	public record AggregateDto(TokensDto tokens, long totalTokens, double totalCost, long sessionCount,
			Long projectCount, long messageCount, String firstActivity, String lastActivity, long unpricedMessages,
			String costMode, long estimatedMessages, long webSearchRequests, double webSearchCost, CostDto cost,
			double cacheHitRate) {

	}

	/**
	 * A model's usage in a day, week or month. {@code unpriced_messages}: its responses
	 * when it is a model of no known family (their tokens cost 0);
	 * {@code estimated_messages}: when the price table does not list it and its family's
	 * newest card priced them.
	 */
	public record ModelDayDto(String model, TokensDto tokens, long messageCount, double cost, long unpricedMessages,
			long estimatedMessages) {

	}

	/**
	 * A day in the report's zone: tokens, responses, cost in USD, per model, web
	 * searches, API errors, and how many of its responses are unpriced or estimated (as
	 * {@link ModelDayDto}).
	 */
	public record DayDto(String date, long inputTokens, long outputTokens, long cacheCreation, long cacheRead,
			@JsonProperty("cache_creation_5m") long cacheCreation5m,
			@JsonProperty("cache_creation_1h") long cacheCreation1h, long messageCount, double cost,
			List<ModelDayDto> models, long webSearchRequests, long apiErrors, long unpricedMessages,
			long estimatedMessages) {

	}

	public record DailyDto(String timezone, List<DayDto> metrics) {

	}

	/**
	 * A week, Monday ({@code week_start}) to Sunday ({@code week_end}) in the report's
	 * zone: tokens, responses, cost in USD, per model; the fields of {@link DayDto}.
	 */
	public record WeekDto(String weekStart, String weekEnd, long inputTokens, long outputTokens, long cacheCreation,
			long cacheRead, @JsonProperty("cache_creation_5m") long cacheCreation5m,
			@JsonProperty("cache_creation_1h") long cacheCreation1h, long messageCount, double cost,
			List<ModelDayDto> models, long webSearchRequests, long apiErrors, long unpricedMessages,
			long estimatedMessages) {

	}

	/** Weeks with usage or API errors, oldest first, in the zone {@code timezone}. */
	public record WeeklyDto(String timezone, List<WeekDto> metrics) {

	}

	/**
	 * A calendar month ({@code yyyy-MM}) in the report's zone: tokens, responses, cost in
	 * USD, per model; the fields of {@link DayDto}.
	 */
	public record MonthDto(String month, long inputTokens, long outputTokens, long cacheCreation, long cacheRead,
			@JsonProperty("cache_creation_5m") long cacheCreation5m,
			@JsonProperty("cache_creation_1h") long cacheCreation1h, long messageCount, double cost,
			List<ModelDayDto> models, long webSearchRequests, long apiErrors, long unpricedMessages,
			long estimatedMessages) {

	}

	/** Months with usage or API errors, oldest first, in the zone {@code timezone}. */
	public record MonthlyDto(String timezone, List<MonthDto> metrics) {

	}

	/**
	 * A model's totals. {@code priced}: a card applies; {@code estimated}: the table does
	 * not list the id and {@code priced_as} (its family's newest card) priced it.
	 */
	public record ModelDto(String model, boolean priced, TokensDto tokens, long totalTokens, long messageCount,
			CostDto cost, boolean estimated, String pricedAs) {

	}

	public record ModelsDto(List<ModelDto> models) {

	}

	public record IndexStatusDto(List<String> roots, long filesKnown, long filesDeleted, long filesPending,
			long bytesIndexed, String lastScan, long lastScanFiles, long lines, long invalidLines,
			long unknownTypeLines, long overlongLines, long resets, long dataVersion, long filesOpenedByThisProcess,
			long filesArchived, long parquetBytes, Map<String, Long> unknownEntryTypes,
			List<PathProblemDto> unreadablePaths, long apiErrors) {

	}

	/**
	 * An API error Claude Code logged ({@code isApiErrorMessage}): never a message or a
	 * cost. {@code kind} is the logged {@code error} (e.g. {@code rate_limit},
	 * {@code server_error}) or read from the text; {@code text} is redacted.
	 */
	public record ApiErrorDto(String timestamp, String kind, String text, String agentId) {

	}

	/** A session's API errors, oldest first. */
	public record ApiErrorsDto(List<ApiErrorDto> errors, long total) {

	}

	/**
	 * A model id the price table does not list: first and last seen (UTC instants of its
	 * 15-minute buckets), its responses and tokens, and the card that priced them
	 * ({@code null}: unpriced, cost 0).
	 */
	public record UnknownModelDto(String model, String firstSeen, String lastSeen, long messages, long tokens,
			long estimatedMessages, long unpricedMessages, String pricedAs) {

	}

	/**
	 * The original tracer's {@code SessionMetricsResponse}, for a session or summed over
	 * a project's sessions. {@code duration_seconds}: first to last line (summed for a
	 * project); {@code error_count}: tool results with {@code is_error};
	 * {@code api_errors}: failed API calls Claude Code logged; {@code cache_hit_rate}:
	 * cache reads / (cache reads + cache writes + input) × 100;
	 * {@code interruption_rate}: percent of sessions whose last prompt the user
	 * interrupted (a session: 0 or 100).
	 */
	public record MetricsDto(TokensDto tokens, CostDto cost, long durationSeconds, long messageCount, long toolCalls,
			long errorCount, double cacheHitRate, List<String> modelsUsed, double interruptionRate, long apiErrors,
			long sessionCount) {

		/**
		 * The original tracer's metrics summed over sessions: tokens added, cache-hit
		 * rate = cache reads over all input (percent), interruption rate = interrupted
		 * sessions over sessions (percent).
		 * @param cost the sessions' cost, summed where it is exact (their pico-USD sums:
		 * adding their dollars as doubles printed 0.016232999999999997)
		 */
		static MetricsDto of(List<SessionDto> sessions, CostDto cost) {
			long in = 0, out = 0, w = 0, r = 0, w5 = 0, w1 = 0, messages = 0, tools = 0, errors = 0, apiErrors = 0;
			long duration = 0, interrupted = 0;
			TreeSet<String> models = new TreeSet<>();
			for (SessionDto s : sessions) {
				in += s.tokens().inputTokens();
				out += s.tokens().outputTokens();
				w += s.tokens().cacheCreationInputTokens();
				r += s.tokens().cacheReadInputTokens();
				w5 += s.tokens().cacheCreation5mInputTokens();
				w1 += s.tokens().cacheCreation1hInputTokens();
				messages += s.messageCount();
				tools += s.toolCalls();
				errors += s.errors();
				apiErrors += s.apiErrors();
				duration += (s.durationSeconds() != null) ? s.durationSeconds() : 0;
				interrupted += "interrupted".equals(s.status()) ? 1 : 0;
				models.addAll(s.modelsUsed());
			}
			TokensDto tokens = new TokensDto(in, out, w, r, w5, w1);
			double interruption = sessions.isEmpty() ? 0 : interrupted * 100.0 / sessions.size();
			return new MetricsDto(tokens, cost, duration, messages, tools, errors, tokens.cacheHitRate(),
					List.copyOf(models), interruption, apiErrors, sessions.size());
		}

	}

	/** A path under a Claude dir that was not indexed, and why. */
	public record PathProblemDto(String path, String reason) {

	}

}
