package dev.cctracer.web.session;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.web.session.AnalysisDtos.SubagentDto;
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
	 * The id prefix of a side question's (/btw) transcript: {@code aside_question-<hex>}.
	 */
	static final String SIDE_QUESTION_PREFIX = "aside_question-";

	/** The id prefix of a compaction's transcript: {@code acompact-<hex>}. */
	static final String COMPACTION_PREFIX = "acompact";

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
							: (sub != null) ? sub.description() : null;
					names.put(a.agentId(), name(a.agentId(), a.agentName(), type, description));
				}
			}
		}
		for (SubagentDto sub : subagents) {
			names.putIfAbsent(sub.agentId(), name(sub.agentId(), null, sub.subagentType(), sub.description()));
		}
		return names;
	}

	static String name(String id, String agentName, String type, String description) {
		if (agentName != null && !agentName.isBlank()) {
			return agentName;
		}
		if (type == null && id != null && id.startsWith(SIDE_QUESTION_PREFIX)) {
			// a /btw side question's transcript: no type logged, only its id's prefix
			type = "side question";
		}
		else if (type == null && id != null && id.startsWith(COMPACTION_PREFIX)) {
			// a compaction's transcript, as SubagentAnalysis judges it
			type = "compaction";
		}
		if (description != null && !description.isBlank()) {
			String kind = "fork".equals(type) ? "Fork" : type;
			return (kind != null) ? kind + ": " + description : description;
		}
		if ("fork".equals(type)) {
			return "Fork " + id;
		}
		return (type != null) ? type + " " + id : id;
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

}
