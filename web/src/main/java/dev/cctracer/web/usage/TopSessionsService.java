package dev.cctracer.web.usage;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Dtos.SessionDto;

/**
 * The most expensive sessions, subagents and projects across every project, ranked by
 * their cost in USD in a period; cached per data version.
 */
@Service
@Transactional(readOnly = true)
public class TopSessionsService {

	private final UsageService usage;

	private final UsageQueries queries;

	private final FileQueries files;

	private final VersionedAnswers answers;

	TopSessionsService(UsageService usage, UsageQueries queries, FileQueries files, VersionedAnswers answers) {
		this.usage = usage;
		this.queries = queries;
		this.files = files;
		this.answers = answers;
	}

	/**
	 * A subagent (its own transcript) or an inline sidechain, ranked by its cost.
	 *
	 * @param project the project dir ({@code path_hash} in JSON, as the session lists)
	 * @param sessionId its session
	 * @param agentId its id
	 * @param name what it is called wherever it is listed ({@link AgentNames#of}),
	 * redacted
	 * @param inline whether it was logged inside the main transcript (a sidechain)
	 * @param messages its counted responses in the period ({@code message_count})
	 * @param totalTokens its tokens in the period
	 * @param cost its cost in the period (USD)
	 */
	public record RankedSubagentDto(@JsonProperty("path_hash") String project, String sessionId, String agentId,
			String name, boolean inline, @JsonProperty("message_count") long messages, long totalTokens, double cost) {

	}

	/**
	 * The {@code limit} subagents and sidechains that cost the most (USD) in the period
	 * (their usage in it, to the millisecond), of one origin or every one ({@code null}),
	 * most expensive first; cached per data version.
	 * @param limit 1 or more
	 */
	public List<RankedSubagentDto> mostExpensiveSubagents(String origin, Period period, int limit, CostMode mode) {
		return this.answers.get(key("top-subagents", origin, period, limit, mode), () -> {
			List<UsageQueries.SessionAgentRow> rows = new ArrayList<>(
					this.queries.sessionAgents(origin, period.from(), period.to()));
			rows.sort(Comparator.comparingDouble((UsageQueries.SessionAgentRow r) -> r.sums().totalCost(mode))
				.reversed()
				.thenComparing(UsageQueries.SessionAgentRow::agentId));
			List<RankedSubagentDto> top = new ArrayList<>();
			// a session's labels read once, however many of its subagents are listed
			Map<String, Map<String, FileQueries.AgentLabels>> bySession = new HashMap<>();
			for (UsageQueries.SessionAgentRow r : rows.subList(0, Math.min(limit, rows.size()))) {
				FileQueries.AgentLabels labels = bySession
					.computeIfAbsent(r.projectDir() + "/" + r.sessionId(),
							(k) -> this.files.agentLabels(r.projectDir(), r.sessionId()))
					.getOrDefault(r.agentId(), FileQueries.AgentLabels.NONE);
				top.add(new RankedSubagentDto(r.projectDir(), r.sessionId(), r.agentId(), name(r.agentId(), labels),
						"MAIN".equals(r.kind()), r.sums().messages(), r.sums().tokens().total(),
						r.sums().totalCost(mode)));
			}
			return List.copyOf(top);
		});
	}

	/**
	 * A project ranked by its cost in a period.
	 *
	 * @param project the project (its all-time totals, path and last activity)
	 * @param sessions its sessions with usage in the period
	 * @param totalTokens its tokens in the period
	 * @param cost its cost in the period (USD)
	 */
	public record RankedProjectDto(ProjectDto project, long sessions, long totalTokens, double cost) {

	}

	/**
	 * The {@code limit} projects that cost the most (USD) in the period (their usage in
	 * it, to the millisecond, as the daily report's), of one origin or every one
	 * ({@code null}), most expensive first, ties by project dir; cached per data version.
	 * @param limit 1 or more
	 */
	public List<RankedProjectDto> mostExpensiveProjects(String origin, Period period, int limit, CostMode mode) {
		return this.answers.get(key("top-projects", origin, period, limit, mode), () -> {
			Map<String, ProjectDto> projects = new HashMap<>();
			this.usage.projects(mode).projects().forEach((p) -> projects.put(p.pathHash(), p));
			List<UsageQueries.ProjectUsageRow> rows = new ArrayList<>(
					this.queries.projectUsage(origin, period.from(), period.to()));
			rows.removeIf((r) -> !projects.containsKey(r.projectDir()));
			rows.sort(Comparator.comparingDouble((UsageQueries.ProjectUsageRow r) -> r.sums().totalCost(mode))
				.reversed()
				.thenComparing(UsageQueries.ProjectUsageRow::projectDir));
			return rows.subList(0, Math.min(limit, rows.size()))
				.stream()
				.map((r) -> new RankedProjectDto(projects.get(r.projectDir()), r.sessions(), r.sums().tokens().total(),
						r.sums().totalCost(mode)))
				.toList();
		});
	}

	/** A subagent's name as a person reads it (redacted: it comes from a transcript). */
	private static String name(String agentId, FileQueries.AgentLabels labels) {
		return UsageService.redact(AgentNames.of(agentId, labels.name(), labels.type(), labels.description()));
	}

	/**
	 * A session ranked by its cost in a period, and the project dir it belongs to (for
	 * its page's URL).
	 *
	 * @param project the project dir
	 * @param session the session, its totals over its whole life
	 * @param totalTokens its tokens in the period (subagents included)
	 * @param cost its cost in the period (USD, subagents included)
	 */
	public record RankedSessionDto(String project, SessionDto session, long totalTokens, double cost) {

		/** The same ranking with the session as listed otherwise (e.g. titled). */
		public RankedSessionDto with(SessionDto listed) {
			return new RankedSessionDto(this.project, listed, this.totalTokens, this.cost);
		}

	}

	/**
	 * The {@code limit} sessions that cost the most (USD) in the period (their usage in
	 * it, to the millisecond, as the top projects'; over all time their whole cost), of
	 * one origin's transcripts or every one's ({@code null}), most expensive first, ties
	 * by the later start; a session without usage in the period is not listed (a session
	 * ranked by its whole cost had topped a "today" list with a month's spend). Cached
	 * per data version: a session's {@code status} in it is as of when it was computed.
	 * @param limit 1 or more
	 */
	public List<RankedSessionDto> mostExpensive(String origin, Period period, int limit, CostMode mode) {
		// every session of every project is looked at: once per data version, not per
		// page
		return this.answers.get(key("top-sessions", origin, period, limit, mode),
				() -> rank(origin, period, limit, mode));
	}

	/**
	 * The cache key of a top list.
	 * @throws IllegalArgumentException when {@code limit} is below 1
	 */
	private static List<Object> key(String list, String origin, Period period, int limit, CostMode mode) {
		if (limit < 1) {
			throw new IllegalArgumentException("limit must be at least 1");
		}
		return List.of(list, String.valueOf(origin), String.valueOf(period.from()), String.valueOf(period.to()), limit,
				mode);
	}

	private List<RankedSessionDto> rank(String origin, Period period, int limit, CostMode mode) {
		Map<String, Sums> inPeriod = new HashMap<>();
		for (UsageQueries.SessionUsageRow r : this.queries.sessionUsage(origin, period.from(), period.to())) {
			inPeriod.put(r.projectDir() + "/" + r.sessionId(), r.sums());
		}
		List<RankedSessionDto> all = new ArrayList<>();
		for (ProjectDto p : this.usage.projects(mode).projects()) {
			for (SessionDto s : this.usage.allSessions(p.pathHash(), mode)) {
				Sums used = inPeriod.get(p.pathHash() + "/" + s.sessionId());
				if (used != null) {
					all.add(new RankedSessionDto(p.pathHash(), s, used.tokens().total(), used.totalCost(mode)));
				}
			}
		}
		all.sort(Comparator.comparingDouble(RankedSessionDto::cost)
			.reversed()
			.thenComparing((RankedSessionDto r) -> String.valueOf(r.session().startTime()), Comparator.reverseOrder()));
		return List.copyOf(all.subList(0, Math.min(limit, all.size())));
	}

}
