package dev.cctracer.web.usage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.web.usage.Dtos.AgentDto;
import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.DayDto;
import dev.cctracer.web.usage.Dtos.ModelDayDto;
import dev.cctracer.web.usage.Dtos.ModelDto;
import dev.cctracer.web.usage.Dtos.ModelsDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Dtos.ProjectsDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.UsageQueries.SessionRow;
import dev.cctracer.web.usage.AnswerCache;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.Params;
import dev.cctracer.web.usage.Sums;
import dev.cctracer.web.usage.UsageQueries;

/**
 * Builds the API's answers from the pre-aggregated tables. Answers that span every
 * project are cached per data version (bumped by every ingest commit), so repeated
 * requests cost a map lookup.
 */
@Service
@Transactional(readOnly = true)
public class UsageService {

	private static final long RUNNING_MS = 60_000;

	private static final long IDLE_MS = 300_000;

	private final UsageQueries queries;

	private final MetaRepository meta;

	private final AnswerCache answers;

	/**
	 * When the data version was last read from the database (nanoTime); 0 forces a read.
	 */
	private volatile long versionCheckedAt;

	private volatile long version = -1;

	/**
	 * Other processes' commits are seen within this time; this process's at once (event).
	 */
	private static final long VERSION_CHECK_NANOS = 100_000_000L;

	private final com.fasterxml.jackson.databind.ObjectMapper json;

	private final PriceTable prices;

	UsageService(UsageQueries queries, MetaRepository meta, AnswerCache answers,
			com.fasterxml.jackson.databind.ObjectMapper json, PriceTable prices) {
		this.prices = prices;
		this.json = json;
		this.answers = answers;
		this.queries = queries;
		this.meta = meta;
	}

	@org.springframework.context.event.EventListener({ dev.cctracer.worker.DataChanged.class,
			dev.cctracer.worker.StorageRecovered.class })
	void onDataChanged() {
		this.versionCheckedAt = 0;
	}

	private long currentVersion() {
		long now = System.nanoTime();
		if (this.versionCheckedAt == 0 || now - this.versionCheckedAt > VERSION_CHECK_NANOS) {
			this.versionCheckedAt = 0;
			this.version = this.meta.dataVersion();
			this.versionCheckedAt = Math.max(1, now);
		}
		return this.version;
	}

	private <T> T cached(String key, Supplier<T> compute) {
		return this.answers.get(AnswerCache.USAGE, new VersionedKey(currentVersion(), key), compute);
	}

	/** An answer's key: what was asked, at which data version. */
	private record VersionedKey(long version, String key) {

	}

	public ProjectsDto projects(CostMode mode) {
		return cached("projects:" + mode, () -> {
			Map<String, String> paths = this.queries.projectPaths();
			List<ProjectDto> list = new ArrayList<>();
			for (UsageQueries.ProjectRow p : this.queries.projects()) {
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

	public SessionsDto sessions(String project, String sort, String order, int limit, String cursor, CostMode mode) {
		Params.project(project);
		if (limit < 1 || limit > 500) {
			throw new IllegalArgumentException("limit must be between 1 and 500");
		}
		if (!cached("exists:" + project, () -> this.queries.projectExists(project))) {
			throw NotFoundException.project(project);
		}
		if (limit > 500) {
			throw new IllegalArgumentException("limit must be between 1 and 500");
		}
		ToLongFunction<SessionDto> key = sortKey(sort);
		Comparator<SessionDto> cmp = Comparator.comparingLong(key);
		if (!"asc".equalsIgnoreCase(order)) {
			cmp = cmp.reversed();
		}
		cmp = cmp.thenComparing(SessionDto::sessionId);
		List<SessionDto> all = sessionDtos(project, null, mode, false);
		all.sort(cmp);
		int start = 0;
		if (cursor != null && !cursor.isBlank()) {
			SessionDto probe = decodeCursor(cursor, sort);
			start = all.size();
			for (int i = 0; i < all.size(); i++) {
				if (cmp.compare(all.get(i), probe) > 0) {
					start = i;
					break;
				}
			}
		}
		int end = Math.min(all.size(), start + limit);
		List<SessionDto> page = all.subList(start, end);
		String next = (end < all.size())
				? encodeCursor(key.applyAsLong(page.get(page.size() - 1)), page.get(page.size() - 1).sessionId())
				: null;
		return new SessionsDto(List.copyOf(page), all.size(), next);
	}

	public SessionDto session(String project, String session, CostMode mode) {
		Params.project(project);
		String id = Ids.requireSessionId(session);
		List<SessionDto> found = sessionDtos(project, id, mode, true);
		if (found.isEmpty()) {
			throw NotFoundException.session(project, session);
		}
		return found.get(0);
	}

	/**
	 * The database part of a project's sessions, cached per data version; status is added
	 * per request.
	 */
	private record SessionData(String path, Map<String, TreeSet<String>> models, Map<String, Long> inline,
			List<SessionRow> rows) {

	}

	private List<SessionDto> sessionDtos(String project, String sessionId, CostMode mode, boolean withAgents) {
		SessionData data = (sessionId == null) ? cached("sessions:" + project, () -> loadSessions(project, null))
				: loadSessions(project, sessionId);
		long now = System.currentTimeMillis();
		List<SessionDto> result = new ArrayList<>();
		for (SessionRow s : data.rows()) {
			List<AgentDto> agents = null;
			if (withAgents) {
				Map<String, TreeSet<String>> agentModels = new TreeMap<>();
				Map<String, UsageQueries.AgentLabels> labels = this.queries.agentLabels(project, s.sessionId());
				agents = new ArrayList<>();
				for (UsageQueries.AgentRow a : this.queries.agents(project, s.sessionId(), agentModels)) {
					String kind = a.agentId().isEmpty() ? "main" : ("MAIN".equals(a.kind()) ? "sidechain" : "subagent");
					UsageQueries.AgentLabels l = labels.getOrDefault(a.agentId(), UsageQueries.AgentLabels.NONE);
					agents.add(new AgentDto(a.agentId().isEmpty() ? null : a.agentId(), kind, a.sums().messages(),
							a.sums().tokens(), a.sums().cost(mode),
							List.copyOf(agentModels.getOrDefault(a.agentId(), new TreeSet<>())), l.type(),
							redact(l.description()), redact(l.name())));
				}
			}
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
					s.sums().webSearches(), s.apiErrors()));
		}
		return result;
	}

	/**
	 * The original tracer's metrics of one session.
	 * @throws NotFoundException when the session is unknown
	 */
	public Dtos.MetricsDto sessionMetrics(String project, String session, CostMode mode) {
		return metrics(List.of(session(project, session, mode)), mode);
	}

	/**
	 * The original tracer's metrics summed over a project's sessions.
	 * @throws NotFoundException when the project is unknown
	 */
	public Dtos.MetricsDto projectMetrics(String project, CostMode mode) {
		Params.project(project);
		if (!this.queries.projectExists(project)) {
			throw new NotFoundException("no project '" + project + "'");
		}
		return metrics(sessionDtos(project, null, mode, false), mode);
	}

	private Dtos.MetricsDto metrics(List<SessionDto> sessions, CostMode mode) {
		long in = 0, out = 0, w = 0, r = 0, w5 = 0, w1 = 0, messages = 0, tools = 0, errors = 0, apiErrors = 0;
		long duration = 0, interrupted = 0;
		double ci = 0, co = 0, cw = 0, cr = 0, cs = 0, total = 0;
		TreeSet<String> models = new TreeSet<>();
		for (SessionDto s : sessions) {
			in += s.tokens().inputTokens();
			out += s.tokens().outputTokens();
			w += s.tokens().cacheCreationInputTokens();
			r += s.tokens().cacheReadInputTokens();
			w5 += s.tokens().cacheCreation5mInputTokens();
			w1 += s.tokens().cacheCreation1hInputTokens();
			ci += s.cost().inputCost();
			co += s.cost().outputCost();
			cw += s.cost().cacheCreationCost();
			cr += s.cost().cacheReadCost();
			cs += s.cost().webSearchCost();
			total += s.cost().totalCost();
			messages += s.messageCount();
			tools += s.toolCalls();
			errors += s.errors();
			apiErrors += s.apiErrors();
			duration += (s.durationSeconds() != null) ? s.durationSeconds() : 0;
			interrupted += "interrupted".equals(s.status()) ? 1 : 0;
			models.addAll(s.modelsUsed());
		}
		double hit = (r + w + in == 0) ? 0 : r * 100.0 / (r + w + in);
		double interruption = sessions.isEmpty() ? 0 : interrupted * 100.0 / sessions.size();
		return new Dtos.MetricsDto(new Dtos.TokensDto(in, out, w, r, w5, w1),
				new Dtos.CostDto(ci, co, cw, cr, cs, total), duration, messages, tools, errors, hit,
				List.copyOf(models), interruption, apiErrors, sessions.size());
	}

	/** The session holding a subagent's file in a project, if any. */
	public java.util.Optional<String> sessionOfAgent(String project, String agentId) {
		Params.project(project);
		return this.queries.sessionOfAgent(project, agentId);
	}

	/**
	 * Model ids the price table does not list (estimated by their family's newest card,
	 * or unpriced), for the admin console and {@code /api/admin/unknown-models}.
	 */
	public List<Dtos.UnknownModelDto> unknownModels() {
		return cached("unknown-models", () -> {
			List<Dtos.UnknownModelDto> list = new ArrayList<>();
			for (UsageQueries.UnknownModelRow r : this.queries.unknownModels()) {
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
		if (!this.queries.sessionExists(project, Ids.requireSessionId(session))) {
			throw NotFoundException.session(project, session);
		}
		List<Dtos.ApiErrorDto> list = new ArrayList<>();
		for (UsageQueries.ApiErrorRow e : this.queries.apiErrors(project, session)) {
			list.add(new Dtos.ApiErrorDto(iso(e.ts()), e.kind(),
					(e.text() != null) ? dev.cctracer.shared.transcript.Redactor.redact(e.text()) : null,
					e.agentId().isEmpty() ? null : e.agentId()));
		}
		return new Dtos.ApiErrorsDto(List.copyOf(list), list.size());
	}

	private SessionData loadSessions(String project, String sessionId) {
		return new SessionData(this.queries.projectPaths().getOrDefault(project, "Unknown"),
				this.queries.modelsBySession(project), this.queries.inlineAgentsBySession(project),
				this.queries.sessions(project, sessionId));
	}

	/**
	 * Index counters (files known, pending, lines, invalid and over-long lines...),
	 * cached for the data version.
	 */
	/** The index counters as they are now (not cached): files, lines, skips, archive. */
	public Map<String, Long> indexStatus() {
		return this.queries.indexStatus();
	}

	public Map<String, Long> indexCounts() {
		return cached("index-counts", () -> Map.copyOf(this.queries.indexStatus()));
	}

	/**
	 * The data version (changes with every commit of new data), checked at most every 100
	 * ms.
	 */
	public long dataVersion() {
		return currentVersion();
	}

	/** Drops every cached answer (admin console); returns how many there were. */
	public int clearCaches() {
		return this.answers.clear(AnswerCache.USAGE);
	}

	/**
	 * Usage by origin (the machine that logged it), most expensive first; cached per data
	 * version.
	 */
	public Dtos.OriginsDto origins(CostMode mode) {
		return cached("origins:" + mode, () -> {
			Map<String, List<String>> roots = this.queries.rootsByOrigin();
			List<Dtos.OriginDto> list = new ArrayList<>();
			for (UsageQueries.OriginRow o : this.queries.origins()) {
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

	/** {@link #projects} as JSON, serialised once per data version. */
	public byte[] projectsJson(CostMode mode) {
		return cached("projects-json:" + mode, () -> {
			try {
				return this.json.writeValueAsBytes(projects(mode));
			}
			catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
				throw new IllegalStateException(ex);
			}
		});
	}

	/** The daily report, for exports. */
	public DailyDto dailyReport(String project, String from, String to, String tz, CostMode mode) {
		return daily(project, from, to, tz, mode);
	}

	/** The projects report, for exports. */
	public ProjectsDto projectsReport(CostMode mode) {
		return projects(mode);
	}

	/** The models report, for exports. */
	public ModelsDto modelsReport(String project, CostMode mode) {
		return models(project, mode);
	}

	/** Every session of a project (status as of now), for exports. */
	public List<SessionDto> allSessions(String project, CostMode mode) {
		Params.project(project);
		return sessionDtos(project, null, mode, false);
	}

	/** Computed when read, never cached: it depends on the clock. */
	static String status(SessionRow s, long now) {
		long age = now - s.lastSeenMtime();
		if (age < RUNNING_MS) {
			return "running";
		}
		if (age < IDLE_MS) {
			return "idle";
		}
		return s.interrupted() ? "interrupted" : "completed";
	}

	/**
	 * A validated time range (epoch seconds, either end open) in a zone, for an optional
	 * project.
	 */
	private record Range(ZoneId zone, Long from, Long to) {

	}

	private Range range(String project, String from, String to, String tz) {
		ZoneId zone = Params.zone(tz);
		Range range = new Range(zone, Params.from(from, zone), Params.to(to, zone));
		if (project != null) {
			Params.project(project);
			if (!this.queries.projectExists(project)) {
				throw NotFoundException.project(project);
			}
		}
		return range;
	}

	public AggregateDto aggregate(String project, String from, String to, String tz, CostMode mode) {
		return aggregate(project, null, from, to, tz, mode);
	}

	/**
	 * Totals, optionally of one project and of one origin (a machine of a team database;
	 * with an origin, first and last activity are to the 15-minute bucket).
	 */
	public AggregateDto aggregate(String project, String origin, String from, String to, String tz, CostMode mode) {
		Range range = range(project, from, to, tz);
		Long fromSec = range.from();
		Long toSec = range.to();
		String originFilter = origin(origin);
		return cached("aggregate:" + project + ":" + originFilter + ":" + fromSec + ":" + toSec + ":" + mode, () -> {
			Sums sums = Sums.ZERO;
			Long first = null;
			Long last = null;
			for (UsageQueries.BucketRow b : this.queries.buckets(project, originFilter, fromSec, toSec)) {
				sums = sums.plus(b.sums());
				first = (first == null) ? b.bucket() : Math.min(first, b.bucket());
				last = (last == null) ? b.bucket() : Math.max(last, b.bucket());
			}
			long[] counts = this.queries.activeSessionsAndProjects(project, originFilter, fromSec, toSec);
			if (fromSec == null && toSec == null && originFilter == null) {
				// exact activity times (buckets are 15 minutes): from the files
				Long[] span = activity(project);
				first = span[0];
				last = span[1];
			}
			else {
				first = (first != null) ? first * 1000 : null;
				last = (last != null) ? (last + 900) * 1000 - 1 : null;
			}
			return new AggregateDto(sums.tokens(), sums.tokens().total(), sums.totalCost(mode), counts[0],
					(project == null) ? counts[1] : null, sums.messages(), iso(first), iso(last), sums.unpriced(),
					mode.name().toLowerCase(), sums.estimated(), sums.webSearches(),
					dev.cctracer.shared.pricing.Cost.usd(sums.costWebSearch()));
		});
	}

	/**
	 * An origin filter: null for none; an unknown origin is a 404, an overlong one a 400.
	 */
	private String origin(String origin) {
		if (origin == null || origin.isEmpty()) {
			return null;
		}
		if (origin.length() > 255) {
			throw new IllegalArgumentException("origin is limited to 255 characters");
		}
		boolean known = cached("origins-known", () -> java.util.Set.copyOf(this.queries.rootsByOrigin().keySet()))
			.contains(origin);
		if (!known) {
			throw new NotFoundException("no origin '" + origin.replaceAll("[^A-Za-z0-9._-]", "?") + "'");
		}
		return origin;
	}

	private Long[] activity(String project) {
		Long first = null;
		Long last = null;
		for (UsageQueries.ProjectRow p : this.queries.projects()) {
			if (project != null && !project.equals(p.projectDir())) {
				continue;
			}
			if (p.sums().messages() == 0) {
				continue;
			}
			first = (p.firstTs() == null) ? first : (first == null ? p.firstTs() : Math.min(first, p.firstTs()));
			last = (p.lastTs() == null) ? last : (last == null ? p.lastTs() : Math.max(last, p.lastTs()));
		}
		return new Long[] { first, last };
	}

	public DailyDto daily(String project, String from, String to, String tz, CostMode mode) {
		return daily(project, null, from, to, tz, mode);
	}

	/** Per day and model, optionally of one project and of one origin. */
	public DailyDto daily(String project, String origin, String from, String to, String tz, CostMode mode) {
		Range range = range(project, from, to, tz);
		ZoneId zone = range.zone();
		Long fromSec = range.from();
		Long toSec = range.to();
		String originFilter = origin(origin);
		return cached("daily:" + project + ":" + originFilter + ":" + fromSec + ":" + toSec + ":" + zone + ":" + mode,
				() -> {
					Map<LocalDate, Map<String, Sums>> days = new TreeMap<>();
					for (UsageQueries.BucketRow b : this.queries.buckets(project, originFilter, fromSec, toSec)) {
						LocalDate day = Instant.ofEpochSecond(b.bucket()).atZone(zone).toLocalDate();
						days.computeIfAbsent(day, (d) -> new TreeMap<>()).merge(b.model(), b.sums(), Sums::plus);
					}
					Map<LocalDate, Long> errors = new TreeMap<>();
					for (long ts : this.queries.apiErrorInstants(project, originFilter)) {
						long sec = Math.floorDiv(ts, 1000L);
						if ((fromSec == null || sec >= fromSec) && (toSec == null || sec < toSec)) {
							LocalDate day = Instant.ofEpochMilli(ts).atZone(zone).toLocalDate();
							errors.merge(day, 1L, Long::sum);
							days.computeIfAbsent(day, (d) -> new TreeMap<>());
						}
					}
					List<DayDto> list = new ArrayList<>();
					days.forEach((day, byModel) -> {
						Sums total = byModel.values().stream().reduce(Sums.ZERO, Sums::plus);
						List<ModelDayDto> models = new ArrayList<>();
						byModel.forEach((model, s) -> models.add(new ModelDayDto(model.isEmpty() ? null : model,
								s.tokens(), s.messages(), s.totalCost(mode))));
						list.add(new DayDto(day.toString(), total.input(), total.output(),
								total.write5m() + total.write1h(), total.read(), total.write5m(), total.write1h(),
								total.messages(), total.totalCost(mode), models, total.webSearches(),
								errors.getOrDefault(day, 0L)));
					});
					return new DailyDto(zone.getId(), list);
				});
	}

	public ModelsDto models(String project, CostMode mode) {
		if (project != null) {
			Params.project(project);
		}
		return cached("models:" + project + ":" + mode, () -> {
			Map<String, Sums> byModel = new TreeMap<>();
			for (UsageQueries.BucketRow b : this.queries.buckets(project, null, null, null)) {
				byModel.merge(b.model(), b.sums(), Sums::plus);
			}
			List<ModelDto> list = new ArrayList<>();
			byModel.forEach((model, s) -> {
				PriceTable.Resolution r = this.prices.resolve(model.isEmpty() ? null : model);
				list.add(new ModelDto(model.isEmpty() ? null : model, s.unpriced() == 0, s.tokens(), s.tokens().total(),
						s.messages(), s.cost(mode), r.kind() == PriceTable.Resolution.Kind.ESTIMATED,
						(r.card() != null) ? r.card().id() : null));
			});
			list.sort(Comparator.comparingDouble((ModelDto m) -> m.cost().totalCost()).reversed());
			return new ModelsDto(List.copyOf(list));
		});
	}

	private static ToLongFunction<SessionDto> sortKey(String sort) {
		String s = (sort == null || sort.isBlank()) ? "start_time" : sort;
		return switch (s) {
			case "start_time" -> (d) -> epoch(d.startTime());
			case "end_time" -> (d) -> epoch(d.endTime());
			case "cost" -> (d) -> Math.round(d.cost().totalCost() * 1e12);
			case "tokens" -> SessionDto::totalTokens;
			case "messages" -> SessionDto::messageCount;
			default -> throw new IllegalArgumentException(
					"sort must be one of start_time, end_time, cost, tokens, messages: " + Params.sanitize(s));
		};
	}

	private static long epoch(String iso) {
		return (iso == null) ? Long.MIN_VALUE : Instant.parse(iso).toEpochMilli();
	}

	private static String encodeCursor(long value, String sessionId) {
		return Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString((value + "|" + sessionId).getBytes(StandardCharsets.UTF_8));
	}

	private static SessionDto decodeCursor(String cursor, String sort) {
		try {
			String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
			int bar = text.indexOf('|');
			long value = Long.parseLong(text.substring(0, bar));
			String id = Ids.requireSessionId(text.substring(bar + 1));
			String s = (sort == null || sort.isBlank()) ? "start_time" : sort;
			String time = (value == Long.MIN_VALUE) ? null : Instant.ofEpochMilli(value).toString();
			return new SessionDto(id, null, "start_time".equals(s) ? time : null, "end_time".equals(s) ? time : null,
					null, "messages".equals(s) ? value : 0, 0, 0, 0, null, "tokens".equals(s) ? value : 0,
					new Dtos.CostDto(0, 0, 0, 0, 0, "cost".equals(s) ? value / 1e12 : 0), List.of(), null, 0, null,
					null, null, 0, 0, 0);
		}
		catch (RuntimeException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
	}

	/** Text from a transcript, redacted before it leaves the server. */
	private static String redact(String text) {
		return (text != null) ? dev.cctracer.shared.transcript.Redactor.redact(text) : null;
	}

	public static String iso(Long epochMillis) {
		return (epochMillis == null) ? null : Instant.ofEpochMilli(epochMillis).toString();
	}

}
