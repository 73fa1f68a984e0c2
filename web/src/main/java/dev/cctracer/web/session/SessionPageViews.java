package dev.cctracer.web.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.web.session.AnalysisDtos.SubagentDto;
import dev.cctracer.web.usage.AgentNames;
import dev.cctracer.web.usage.Dtos.AgentDto;
import dev.cctracer.web.usage.Dtos.CostDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.Dtos.TokensDto;

/**
 * What the session page shows besides the read model's answers: the scope of its header
 * cards (the session, or one subagent of it), subagents by name, tools in the chosen
 * order. Nothing here counts or prices: every number is the read model's.
 */
final class SessionPageViews {

	/** The orders of the tools table. */
	static final List<String> TOOL_SORTS = List.of("calls", "cost", "errors", "name");

	private SessionPageViews() {
	}

	/**
	 * The header cards' numbers: the whole session's, or ({@code agentId} not
	 * {@code null}) one subagent's. Costs USD, instants ISO-8601 UTC, durations seconds.
	 */
	record Scope(String agentId, String label, CostDto cost, TokensDto tokens, long totalTokens, long messages,
			List<String> models, String startTime, String endTime, Long durationSeconds, long toolCalls,
			long toolErrors, long apiErrors, long unpricedMessages, long estimatedMessages) {

	}

	/** The whole session's header. */
	static Scope session(SessionDto s) {
		return new Scope(null, null, s.cost(), s.tokens(), s.totalTokens(), s.messageCount(), s.modelsUsed(),
				s.startTime(), s.endTime(), s.durationSeconds(), s.toolCalls(), s.errors(), s.apiErrors(),
				s.unpricedMessages(), s.estimatedMessages());
	}

	/**
	 * One subagent's header: its usage from the read model, its time span from its
	 * transcript, its tool calls and errors as counted by the analyses.
	 */
	static Scope agent(SessionDto s, String agentId, String label, SubagentDto sub, long toolCalls, long toolErrors,
			long apiErrors) {
		AgentDto a = (s.agents() == null) ? null
				: s.agents().stream().filter((x) -> agentId.equals(x.agentId())).findFirst().orElse(null);
		TokensDto tokens = (a != null) ? a.tokens() : new TokensDto(0, 0, 0, 0, 0, 0);
		CostDto cost = (a != null) ? a.cost() : new CostDto(0, 0, 0, 0, 0, 0);
		String start = (sub != null) ? sub.startTime() : null;
		String end = (sub != null) ? sub.endTime() : null;
		Long duration = (start != null && end != null)
				? Duration.between(Instant.parse(start), Instant.parse(end)).toSeconds() : null;
		return new Scope(agentId, label, cost, tokens,
				tokens.inputTokens() + tokens.outputTokens() + tokens.cacheCreationInputTokens()
						+ tokens.cacheReadInputTokens(),
				(a != null) ? a.messageCount() : 0, (a != null) ? a.modelsUsed() : List.of(), start, end, duration,
				toolCalls, toolErrors, apiErrors, 0, 0);
	}

	/**
	 * A name per agent id of the session: the name Claude Code gave it
	 * ({@code agent-name}), else a fork's or a typed agent's description ("Fork: …",
	 * "Explore: …"), else its description, else its type, else its id.
	 */
	static Map<String, String> agentNames(SessionDto s, List<SubagentDto> subagents) {
		Map<String, String> names = new HashMap<>();
		Map<String, SubagentDto> subs = new HashMap<>();
		subagents.forEach((x) -> subs.put(x.agentId(), x));
		if (s.agents() != null) {
			for (AgentDto a : s.agents()) {
				if (a.agentId() != null) {
					SubagentDto sub = subs.get(a.agentId());
					String type = (a.agentType() != null) ? a.agentType() : (sub != null) ? sub.subagentType() : null;
					String description = (a.description() != null) ? a.description()
							: (sub != null) ? described(sub) : null;
					names.put(a.agentId(), AgentNames.of(a.agentId(), a.agentName(), type, description));
				}
			}
		}
		for (SubagentDto sub : subagents) {
			names.putIfAbsent(sub.agentId(), AgentNames.of(sub.agentId(), null, sub.subagentType(), described(sub)));
		}
		return names;
	}

	/** The longest question a side question is named by, in characters. */
	private static final int QUESTION_NAME_CHARS = 60;

	/**
	 * A subagent's description; a side question (which has none) is described by its
	 * question, cut to {@value #QUESTION_NAME_CHARS} characters (it read "side question
	 * aside_question-ac9e…").
	 */
	private static String described(SubagentDto sub) {
		if (sub.description() == null && sub.agentId() != null
				&& sub.agentId().startsWith(AgentNames.SIDE_QUESTION_PREFIX) && sub.promptPreview() != null
				&& !sub.promptPreview().isBlank()) {
			return DtoFields.preview(sub.promptPreview(), QUESTION_NAME_CHARS);
		}
		return sub.description();
	}

	/**
	 * The session's agents, the most expensive first (the main conversation included).
	 */
	static List<AgentDto> agentsByCost(SessionDto s) {
		return (s.agents() == null) ? List.of()
				: s.agents()
					.stream()
					.sorted(Comparator.comparingDouble((AgentDto a) -> a.cost().totalCost()).reversed())
					.toList();
	}

	/**
	 * Claude Code's web search tool: its calls come with no {@code web_search_requests}
	 * in the transcript (the searches run in requests it does not log; every WebSearch
	 * call of {@code ../shared/realdata} has 0), so their fees are not in the logs.
	 */
	static final String WEB_SEARCH_TOOL = "WebSearch";

	/** The calls of the tool named {@code name} among {@code tools}. */
	static long calls(List<ToolStat> tools, String name) {
		return tools.stream().filter((t) -> name.equals(t.name())).mapToLong(ToolStat::calls).sum();
	}

	/**
	 * The tools in an order: {@code calls} (the analysis' own), {@code cost} or
	 * {@code errors} (highest first), or {@code name}.
	 * @throws IllegalArgumentException for another order
	 */
	static List<ToolStat> sortTools(List<ToolStat> tools, String sort) {
		Comparator<ToolStat> order = switch (sort) {
			case "calls" -> null;
			case "cost" -> Comparator.comparingDouble(ToolStat::cost).reversed();
			case "errors" -> Comparator.comparingLong(ToolStat::errors).reversed();
			case "name" -> Comparator.comparing(ToolStat::name);
			default -> throw new IllegalArgumentException("toolSort must be one of " + String.join(", ", TOOL_SORTS));
		};
		return (order == null) ? tools : tools.stream().sorted(order.thenComparing(ToolStat::name)).toList();
	}

	/** Rows a list panel of the page (errors, prompts) shows at once. */
	static final int PANEL_ROWS = 100;

	/**
	 * The rows of a list panel shown at once: {@code rows} from index {@code from}
	 * (0-based) of {@code total}; {@code nextLink} and {@code previousLink} the page's
	 * address showing the neighbouring windows, or {@code null} at either end. A session
	 * of 70,000 messages has thousands of prompts and failed tool results: every one on
	 * the page made it megabytes of HTML that took a browser seconds to lay out.
	 */
	record Window<T>(List<T> rows, int from, int total, String nextLink, String previousLink) {

		/** The 1-based number of the last row shown (0 when none). */
		public int to() {
			return this.from + this.rows.size();
		}

		/** Whether the panel has rows outside this window. */
		public boolean paged() {
			return this.nextLink != null || this.previousLink != null;
		}

	}

	/**
	 * The window of {@code all} that starts at {@code from}, {@value #PANEL_ROWS} rows
	 * long; a {@code from} past the end shows the last window, a negative one the first.
	 * Its links are the page's own address ({@code path}, raw {@code query} or
	 * {@code null}) with {@code param} set to the other window's first row, at
	 * {@code #anchor}: every other parameter (the timeline's filters, the other panel's
	 * window) stays as it was.
	 */
	static <T> Window<T> window(List<T> all, int from, String path, String query, String param, String anchor) {
		int total = all.size();
		int start = (total == 0) ? 0 : Math.max(0, Math.min(from, ((total - 1) / PANEL_ROWS) * PANEL_ROWS));
		int end = Math.min(total, start + PANEL_ROWS);
		return new Window<>(all.subList(start, end), start, total,
				(end < total) ? link(path, query, param, end, anchor) : null,
				(start > 0) ? link(path, query, param, Math.max(0, start - PANEL_ROWS), anchor) : null);
	}

	/** {@code path?query} with {@code param=value} in place of any earlier value. */
	static String link(String path, String query, String param, int value, String anchor) {
		return link(path, query, param, Integer.toString(value), anchor);
	}

	/**
	 * The page's own address with each of the tools table's orders ({@link #TOOL_SORTS})
	 * as {@code toolSort}, at {@code #tools-panel}: the timeline's filters and the list
	 * panels' windows stay.
	 */
	static Map<String, String> toolSortLinks(String path, String query) {
		Map<String, String> links = new HashMap<>();
		for (String sort : TOOL_SORTS) {
			links.put(sort, link(path, query, "toolSort", sort, "tools-panel"));
		}
		return links;
	}

	/**
	 * {@code path?query} with {@code param=value} (a value safe in a URL as it is) in
	 * place of any earlier value.
	 */
	static String link(String path, String query, String param, String value, String anchor) {
		StringBuilder link = new StringBuilder(path).append('?');
		if (query != null) {
			for (String pair : query.split("&")) {
				if (!pair.isEmpty() && !pair.equals(param) && !pair.startsWith(param + "=")) {
					link.append(pair).append('&');
				}
			}
		}
		return link.append(param).append('=').append(value).append('#').append(anchor).toString();
	}

}
