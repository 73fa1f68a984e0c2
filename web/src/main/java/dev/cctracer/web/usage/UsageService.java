package dev.cctracer.web.usage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.web.usage.Dtos.AgentDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Dtos.ProjectsDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.FileQueries.AgentLabels;
import dev.cctracer.web.usage.FileQueries.SessionRow;

/**
 * Projects, origins and sessions with their counted totals, built from the per-file
 * totals and rollups; answers that span a project or more are cached per data version
 * ({@link VersionedAnswers}). Costs in USD, instants ISO-8601 UTC, tokens as counted.
 * Period reports are {@link ReportService}'s, 5-hour blocks {@link BlocksService}'s.
 */
@Service
@Transactional(readOnly = true)
public class UsageService {

	private static final long RUNNING_MS = 60_000;

	private static final long IDLE_MS = 300_000;

	private final FileQueries files;

	private final UsageQueries usage;

	private final VersionedAnswers answers;

	private final PriceTable prices;

	UsageService(FileQueries files, UsageQueries usage, VersionedAnswers answers, PriceTable prices) {
		this.files = files;
		this.usage = usage;
		this.answers = answers;
		this.prices = prices;
	}

	/** Every project with its totals, the most recently active first. */
	public ProjectsDto projects(CostMode mode) {
		return this.answers.get("projects:" + mode, () -> {
			Map<String, String> paths = this.files.projectPaths();
			List<ProjectDto> list = new ArrayList<>();
			for (FileQueries.ProjectRow p : this.files.projects()) {
				list.add(new ProjectDto(p.projectDir(), paths.getOrDefault(p.projectDir(), "Unknown"), p.sessions(),
						p.sums().tokens(), p.sums().tokens().total(), p.sums().totalCost(mode), iso(p.firstTs()),
						iso(p.lastTs()), p.sums().messages(), p.sums().unpriced(), p.sums().estimated(),
						p.sums().webSearches()));
			}
			list.sort(Comparator
				.comparing((ProjectDto d) -> d.lastActivity() != null ? d.lastActivity() : "",
						Comparator.reverseOrder())
				.thenComparing(ProjectDto::pathHash));
			return new ProjectsDto(List.copyOf(list));
		});
	}

	/**
	 * One page of a project's sessions.
	 * @param sort {@code start_time} (default), {@code end_time}, {@code cost},
	 * {@code tokens} or {@code messages}
	 * @param order {@code asc}, else descending
	 * @param limit 1 to 500 sessions
	 * @param cursor the previous page's {@code next_cursor}, or {@code null}
	 * @throws IllegalArgumentException for a bad limit, sort key or cursor
	 * @throws NotFoundException when the project is unknown
	 */
	public SessionsDto sessions(String project, String sort, String order, int limit, String cursor, CostMode mode) {
		return sessionsUntil(project, sort, order, limit, cursor, mode).value();
	}

	/**
	 * {@link #sessions}, and until when the page holds: the first instant a status of the
	 * project's sessions changes with the clock.
	 */
	public Expiring<SessionsDto> sessionsUntil(String project, String sort, String order, int limit, String cursor,
			CostMode mode) {
		Params.project(project);
		if (limit < 1 || limit > 500) {
			throw new IllegalArgumentException("limit must be between 1 and 500");
		}
		// the request's own faults first: a malformed one is a 400 whatever the project
		SessionOrder sessionOrder = new SessionOrder(sort, order);
		if (!this.answers.get("exists:" + project, () -> this.files.projectExists(project))) {
			throw NotFoundException.project(project);
		}
		SessionList list = sessionList(project, null, mode, false, System.currentTimeMillis());
		return new Expiring<>(sessionOrder.page(list.sessions(), limit, cursor), list.statusesUntil());
	}

	/**
	 * Checks that a project, and a session of it, are indexed (for requests that name
	 * them without reading their totals, such as an export).
	 * @param session a session id, or {@code null} for the project alone
	 * @throws Ids.InvalidIdException when an id is malformed
	 * @throws NotFoundException when the project or the session is unknown
	 */
	public void requireKnown(String project, String session) {
		Params.project(project);
		if (session != null) {
			// the session's own row only: no agents, models or prices
			if (this.files.sessions(project, Ids.requireSessionId(session)).isEmpty()) {
				throw NotFoundException.session(project, session);
			}
		}
		else if (!this.answers.get("exists:" + project, () -> this.files.projectExists(project))) {
			throw NotFoundException.project(project);
		}
	}

	/**
	 * One session with its agents (main, sidechains, subagents).
	 * @throws NotFoundException when the session is unknown
	 */
	public SessionDto session(String project, String session, CostMode mode) {
		Params.project(project);
		String id = Ids.requireSessionId(session);
		List<SessionDto> found = sessionDtos(project, id, mode, true);
		if (found.isEmpty()) {
			throw NotFoundException.session(project, session);
		}
		return found.get(0);
	}

	/** Every session of a project (status as of now), for exports. */
	public List<SessionDto> allSessions(String project, CostMode mode) {
		Params.project(project);
		return sessionDtos(project, null, mode, false);
	}

	/**
	 * One page of the sessions of every project, filtered then sorted.
	 * @param filter which sessions: project, model, the days they were active in, and a
	 * test of their own (the title search of the page, which knows first prompts)
	 * @param sort {@code start_time} (default), {@code end_time}, {@code cost},
	 * {@code tokens}, {@code messages} or {@code duration}
	 * @param order {@code asc}, else descending
	 * @param limit 1 to 500 sessions
	 * @param cursor the previous page's {@code next_cursor}, or {@code null}
	 * @throws IllegalArgumentException for a bad limit, project, sort key or cursor
	 */
	public SessionsDto sessionsEverywhere(SessionFilter filter, String sort, String order, int limit, String cursor,
			CostMode mode) {
		return sessionsEverywhereUntil(filter, sort, order, limit, cursor, mode).value();
	}

	/**
	 * {@link #sessionsEverywhere}, and until when the page holds: the first instant a
	 * status of the projects' sessions it drew from changes with the clock.
	 */
	public Expiring<SessionsDto> sessionsEverywhereUntil(SessionFilter filter, String sort, String order, int limit,
			String cursor, CostMode mode) {
		if (limit < 1 || limit > 500) {
			throw new IllegalArgumentException("limit must be between 1 and 500");
		}
		SessionOrder sessionOrder = new SessionOrder(sort, order);
		List<SessionDto> matching = new ArrayList<>();
		long now = System.currentTimeMillis();
		long until = Long.MAX_VALUE;
		for (ProjectDto p : projects(mode).projects()) {
			if (filter.project() != null && !filter.project().equals(p.pathHash())) {
				continue;
			}
			SessionList list = sessionList(p.pathHash(), null, mode, false, now);
			until = Math.min(until, list.statusesUntil());
			for (SessionDto s : list.sessions()) {
				if (filter.test(s)) {
					matching.add(s);
				}
			}
		}
		return new Expiring<>(sessionOrder.page(matching, limit, cursor), until);
	}

	/**
	 * The database part of a project's sessions, cached per data version; status is added
	 * per request.
	 */
	private record SessionData(String path, Map<String, TreeSet<String>> models, Map<String, Long> inline,
			List<SessionRow> rows) {

	}

	private SessionData loadSessions(String project, String sessionId) {
		return new SessionData(this.files.projectPath(project).orElse("Unknown"), this.usage.modelsBySession(project),
				this.usage.inlineAgentsBySession(project), this.files.sessions(project, sessionId));
	}

	/**
	 * Sessions with their statuses at {@code now}, and the first instant after it that
	 * one of those statuses changes ({@link Long#MAX_VALUE} when none will).
	 */
	private record SessionList(List<SessionDto> sessions, long statusesUntil) {

	}

	private List<SessionDto> sessionDtos(String project, String sessionId, CostMode mode, boolean withAgents) {
		return sessionList(project, sessionId, mode, withAgents, System.currentTimeMillis()).sessions();
	}

	private SessionList sessionList(String project, String sessionId, CostMode mode, boolean withAgents, long now) {
		SessionData data = (sessionId == null)
				? this.answers.get("sessions:" + project, () -> loadSessions(project, null))
				: loadSessions(project, sessionId);
		List<SessionDto> result = new ArrayList<>();
		long until = Long.MAX_VALUE;
		for (SessionRow s : data.rows()) {
			until = Math.min(until, nextStatusChange(s, now));
			List<AgentDto> agents = withAgents ? agents(project, s.sessionId(), mode) : null;
			Long duration = (s.firstTs() != null && s.lastTs() != null) ? (s.lastTs() - s.firstTs()) / 1000 : null;
			// every session-level field from the session's own lines: two folders whose
			// names differ only in non-ASCII characters share one project dir
			String path = (s.cwd() != null) ? redact(s.cwd()) : data.path();
			result.add(new SessionDto(s.sessionId(), path, iso(s.firstTs()), iso(s.lastTs()), duration,
					s.sums().messages(), s.toolUses(), s.toolErrors(),
					s.subagentFiles() + data.inline().getOrDefault(s.sessionId(), 0L), s.sums().tokens(),
					s.sums().tokens().total(), s.sums().cost(mode),
					List.copyOf(data.models().getOrDefault(s.sessionId(), new TreeSet<>())), status(s, now),
					s.sums().unpriced(), agents, redact(s.title()), redact(s.agentName()), s.sums().estimated(),
					s.sums().webSearches(), s.apiErrors(), project, null));
		}
		return new SessionList(result, until);
	}

	/**
	 * A session's agents: main (''), inline sidechains and subagents, with labels; a
	 * subagent file none of whose responses counts there (all copies of responses counted
	 * elsewhere, or none) is listed with zero messages, as {@code subagent_count} counts
	 * it (it had been left out: a trial).
	 */
	private List<AgentDto> agents(String project, String sessionId, CostMode mode) {
		Map<String, TreeSet<String>> agentModels = new TreeMap<>();
		Map<String, AgentLabels> labels = this.files.agentLabels(project, sessionId);
		List<AgentDto> agents = new ArrayList<>();
		Set<String> listed = new HashSet<>();
		for (UsageQueries.AgentRow a : this.usage.agents(project, sessionId, agentModels)) {
			String kind = a.agentId().isEmpty() ? "main" : ("MAIN".equals(a.kind()) ? "sidechain" : "subagent");
			AgentLabels l = labels.getOrDefault(a.agentId(), AgentLabels.NONE);
			agents.add(new AgentDto(a.agentId().isEmpty() ? null : a.agentId(), kind, a.sums().messages(),
					a.sums().tokens(), a.sums().cost(mode),
					List.copyOf(agentModels.getOrDefault(a.agentId(), new TreeSet<>())), l.type(),
					redact(l.description()), redact(l.name())));
			listed.add(a.agentId());
		}
		new TreeMap<>(labels).forEach((agentId, l) -> {
			if (listed.add(agentId)) {
				agents.add(new AgentDto(agentId, "subagent", 0, Sums.ZERO.tokens(), Sums.ZERO.cost(mode), List.of(),
						l.type(), redact(l.description()), redact(l.name())));
			}
		});
		return agents;
	}

	/**
	 * The original tracer's metrics of one session.
	 * @throws NotFoundException when the session is unknown
	 */
	public Dtos.MetricsDto sessionMetrics(String project, String session, CostMode mode) {
		SessionDto one = session(project, session, mode);
		return Dtos.MetricsDto.of(List.of(one), one.cost());
	}

	/**
	 * The original tracer's metrics summed over a project's sessions.
	 * @throws NotFoundException when the project is unknown
	 */
	public Dtos.MetricsDto projectMetrics(String project, CostMode mode) {
		Params.project(project);
		if (!this.files.projectExists(project)) {
			throw new NotFoundException("no project '" + project + "'");
		}
		Sums sums = this.answers.get("sessions:" + project, () -> loadSessions(project, null))
			.rows()
			.stream()
			.map(SessionRow::sums)
			.reduce(Sums.ZERO, Sums::plus);
		// a call that failed in two sessions' transcripts counts in one of them
		// (FileQueries.FAILED_ELSEWHERE): the sessions' errors add up to the project's
		return Dtos.MetricsDto.of(sessionDtos(project, null, mode, false), sums.cost(mode));
	}

	/**
	 * Where a project dir left out of the lists went (renamed or moved: its sessions'
	 * transcripts are live in another project dir), if anywhere; one look-up per data
	 * version.
	 * @throws Ids.InvalidIdException when the name is no project dir's
	 */
	public Optional<String> projectMovedTo(String project) {
		return this.answers.get("moved-to:" + project, () -> this.files.projectMovedTo(project));
	}

	/**
	 * The project of a session known by its id alone (where it was last active), if
	 * indexed; one look-up per data version.
	 * @throws Ids.InvalidIdException when the id is not a session id (a UUID)
	 */
	public Optional<String> projectOfSession(String session) {
		String id = Ids.requireSessionId(session);
		return this.answers.get("project-of:" + id, () -> this.files.projectOfSession(id));
	}

	/**
	 * A session's whole cost (its subagents' included, USD) from its files' totals alone,
	 * as {@link #session} counts it without its agents and models; one look-up per data
	 * version (a status line asks every few seconds).
	 * @return empty when the session is not indexed in the project
	 * @throws Ids.InvalidIdException when an id is malformed
	 */
	public Optional<SessionCost> sessionCost(String project, String session, CostMode mode) {
		Params.project(project);
		String id = Ids.requireSessionId(session);
		return this.answers.get(Arrays.asList("session-cost", project, id, mode),
				() -> this.files.sessions(project, id)
					.stream()
					.findFirst()
					.map((r) -> new SessionCost(r.sums().totalCost(mode), r.sums().unpriced())));
	}

	/**
	 * A session's whole cost.
	 *
	 * @param usd its cost, USD
	 * @param unpricedMessages its responses of a model of no known family, whose tokens
	 * cost 0
	 */
	public record SessionCost(double usd, long unpricedMessages) {

	}

	/** The session holding a subagent's file in a project, if any. */
	public Optional<String> sessionOfAgent(String project, String agentId) {
		Params.project(project);
		return this.files.sessionOfAgent(project, agentId);
	}

	/**
	 * Model ids the price table does not list (estimated by their family's newest card,
	 * or unpriced), for the admin console and {@code /api/admin/unknown-models}.
	 */
	public List<Dtos.UnknownModelDto> unknownModels() {
		return this.answers.get("unknown-models", () -> {
			List<Dtos.UnknownModelDto> list = new ArrayList<>();
			for (UsageQueries.UnknownModelRow r : this.usage.unknownModels()) {
				PriceTable.Resolution res = this.prices.resolve(r.model().isEmpty() ? null : r.model());
				list.add(new Dtos.UnknownModelDto(redact(r.model()), iso(r.firstBucket() * 1000),
						iso((r.lastBucket() + 900) * 1000 - 1), r.messages(), r.tokens(), r.estimated(), r.unpriced(),
						(res.card() != null) ? res.card().id() : null));
			}
			return List.copyOf(list);
		});
	}

	/**
	 * A session's API errors, oldest first (texts redacted).
	 * @throws NotFoundException when the session is unknown
	 */
	public Dtos.ApiErrorsDto apiErrors(String project, String session) {
		Params.project(project);
		if (!this.files.sessionExists(project, Ids.requireSessionId(session))) {
			throw NotFoundException.session(project, session);
		}
		List<Dtos.ApiErrorDto> list = new ArrayList<>();
		for (UsageQueries.ApiErrorRow e : this.usage.apiErrors(project, session)) {
			list.add(new Dtos.ApiErrorDto(iso(e.ts()), e.kind(), redact(e.text()),
					e.agentId().isEmpty() ? null : e.agentId()));
		}
		return new Dtos.ApiErrorsDto(List.copyOf(list), list.size());
	}

	/**
	 * The index counters (files known, deleted and pending, committed bytes, lines and
	 * skips, resets, archive, API errors), cached for the data version.
	 */
	public Map<String, Long> indexCounts() {
		return this.answers.get("index-counts", () -> Map.copyOf(this.files.indexStatus()));
	}

	/**
	 * The data version (changes with every commit of new data), checked at most every 100
	 * ms.
	 */
	public long dataVersion() {
		return this.answers.dataVersion();
	}

	/** Drops every cached answer (admin console); returns how many there were. */
	public int clearCaches() {
		return this.answers.clear();
	}

	/**
	 * Usage by origin (the machine that logged it), most expensive first; cached per data
	 * version.
	 */
	public Dtos.OriginsDto origins(CostMode mode) {
		return this.answers.get("origins:" + mode, () -> {
			Map<String, List<String>> roots = this.files.rootsByOrigin();
			List<Dtos.OriginDto> list = new ArrayList<>();
			for (FileQueries.OriginRow o : this.files.origins()) {
				list.add(new Dtos.OriginDto(o.origin(), roots.getOrDefault(o.origin(), List.of()), o.files(),
						o.sessions(), o.sums().tokens(), o.sums().tokens().total(), o.sums().totalCost(mode),
						o.sums().messages(), iso(o.firstTs()), iso(o.lastTs())));
			}
			list.sort(Comparator.comparingDouble(Dtos.OriginDto::totalCost)
				.reversed()
				.thenComparing(Dtos.OriginDto::origin));
			return new Dtos.OriginsDto(List.copyOf(list));
		});
	}

	/**
	 * Statuses are judged on a clock of whole seconds: a page of sessions whose files
	 * were all written within the last five minutes (15,000 generated files; a restore
	 * from a backup) otherwise changed every few milliseconds, and the global session
	 * list was computed again for nearly every request (794 requests/s at 16 clients on
	 * the large set, p99 50 ms, the CPU 40 % idle waiting for it).
	 */
	static final long STATUS_STEP_MS = 1_000;

	/**
	 * Computed when read: it depends on the clock, judged at {@code now} rounded down to
	 * {@link #STATUS_STEP_MS} (an answer that shows it is kept until
	 * {@link #nextStatusChange}).
	 * @param now epoch milliseconds
	 */
	static String status(SessionRow s, long now) {
		long age = judgedAge(s, now);
		if (age < RUNNING_MS) {
			return "running";
		}
		if (age < IDLE_MS) {
			return "idle";
		}
		return s.interrupted() ? "interrupted" : "completed";
	}

	/**
	 * The first instant after {@code now} that {@link #status} of {@code s} changes (a
	 * whole {@link #STATUS_STEP_MS}, epoch ms); {@link Long#MAX_VALUE} once it is final
	 * (until new data).
	 */
	static long nextStatusChange(SessionRow s, long now) {
		long age = judgedAge(s, now);
		if (age < RUNNING_MS) {
			return ceilToStep(lastActivity(s) + RUNNING_MS);
		}
		if (age < IDLE_MS) {
			return ceilToStep(lastActivity(s) + IDLE_MS);
		}
		return Long.MAX_VALUE;
	}

	/**
	 * The age of a session's {@link #lastActivity} on the status clock: {@code now}
	 * rounded down to a whole {@link #STATUS_STEP_MS} (milliseconds).
	 */
	private static long judgedAge(SessionRow s, long now) {
		return Math.floorDiv(now, STATUS_STEP_MS) * STATUS_STEP_MS - lastActivity(s);
	}

	/**
	 * When a session last did something (epoch ms): the last write of one of its files,
	 * unless its last logged timestamp is older. Claude Code stamps each line as it
	 * writes it, so a live session's two agree; transcripts copied or restored from a
	 * backup have new files with old lines, and were "running" for a minute and "idle"
	 * for five after each copy (a trial's June sessions), as was a finished session given
	 * a title (a line without a timestamp) later.
	 */
	static long lastActivity(SessionRow s) {
		return (s.lastTs() != null) ? Math.min(s.lastSeenMtime(), s.lastTs()) : s.lastSeenMtime();
	}

	/** The first whole step of the status clock at or after {@code t} (epoch ms). */
	private static long ceilToStep(long t) {
		return -Math.floorDiv(-t, STATUS_STEP_MS) * STATUS_STEP_MS;
	}

	/** Text from a transcript, redacted before it leaves the server. */
	static String redact(String text) {
		return (text != null) ? Redactor.redact(text) : null;
	}

	/** An instant (epoch milliseconds) as ISO-8601 UTC, {@code null} for none. */
	public static String iso(Long epochMillis) {
		return (epochMillis == null) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

}
