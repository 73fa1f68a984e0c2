package dev.cctracer.web.analytics;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.job.HookStatsJobRequest;
import dev.cctracer.shared.job.QueryJobRequest;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.shared.job.SearchJobRequest;
import dev.cctracer.shared.job.ToolStatsJobRequest;
import dev.cctracer.web.job.JobService;
import dev.cctracer.web.session.SessionNames;
import dev.cctracer.web.usage.BadRequests;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.worker.SearchStream;

/**
 * Answers heavy questions from a result cached for the current data version (200), or
 * starts the job that computes it and answers 202 with its status URL. The job id comes
 * from the question and the data version, so asking again while it runs gets the same
 * job.
 */
@Service
public class AnalyticsService {

	private static final String TOOLS_URL = "/api/tools";

	private static final String HOOKS_URL = "/api/hooks";

	/** How many sessions of a query grouped by session get their titles. */
	static final int TITLED_SESSIONS = 200;

	/** How many data versions back a page's tool statistics or search hits may be. */
	static final int RECENT_VERSIONS = 100;

	private final JobService jobService;

	private final Validator validator;

	private final IndexedFiles files;

	private final SearchStream searchQuery;

	private final Counter streamedHits;

	private final ObjectMapper json;

	/** Writes hits with the app's mapper: snake_case, every string redacted. */
	private final ObjectWriter hitWriter;

	private final SessionNames names;

	AnalyticsService(JobService jobService, IndexedFiles files, SearchStream searchQuery, MeterRegistry meters,
			Validator validator, ObjectMapper json, SessionNames names) {
		this.names = names;
		this.hitWriter = json.writer();
		this.json = json;
		this.jobService = jobService;
		this.validator = validator;
		this.files = files;
		this.searchQuery = searchQuery;
		this.streamedHits = meters.counter("cctracer.stream.search_hits");
	}

	/**
	 * Every hit of a full-text search as NDJSON, streamed: no cap, constant memory, and a
	 * client that goes away stops the work at the next write.
	 */
	StreamingResponseBody searchStream(String q, String project) {
		String[] question = searchQuestion(new SearchRequest(q, project, null));
		return (out) -> {
			long[] written = { 0 };
			try {
				this.searchQuery.stream(question[0], question[1], (hit) -> {
					out.write(this.hitWriter.writeValueAsBytes(hit));
					out.write('\n');
					if (++written[0] % 50 == 0) {
						out.flush();
					}
					this.streamedHits.increment();
					return true;
				});
				out.flush();
			}
			catch (IOException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IOException("search failed", ex);
			}
		};
	}

	/**
	 * A tool's share of the cost: calls, errors, tokens and cost in USD (each assistant
	 * message's split evenly over its tool calls), all time; {@code failedCost} the part
	 * of the cost of its failed calls (USD); of the errors, {@code declined} declined by
	 * the user or a permission rule and {@code cancelled} cancelled because a parallel
	 * call failed.
	 */
	public record ToolCostDto(String name, long calls, long errors, long tokens, double cost, double failedCost,
			long declined, long cancelled) {

	}

	/**
	 * The top tools by cost, or where to ask for them.
	 *
	 * @param tools the most expensive first; empty when not ready
	 * @param ready whether the statistics are computed for the current data version
	 * @param url {@code GET /api/tools}: the statistics (200) or the job computing them
	 * (202, started by that request)
	 * @param asOf when they were computed (an ISO-8601 UTC instant) if for an earlier
	 * data version than the current one (the data has changed since), else {@code null}
	 */
	public record TopToolsDto(List<ToolCostDto> tools, boolean ready, String url, String asOf,
			List<FailedCallDto> recentFailures) {

		/** Not computed yet, or none: no failed call. */
		public TopToolsDto(List<ToolCostDto> tools, boolean ready, String url, String asOf) {
			this(tools, ready, url, asOf, List.of());
		}

	}

	/**
	 * A failed tool call of the tool statistics ({@code recent_failures}): its tool, its
	 * kind ({@code failed}, {@code declined} or {@code cancelled}), its project dir,
	 * session and subagent ({@code null}: the main conversation), when (an ISO-8601 UTC
	 * instant or {@code null}), its result entry's uuid and the start of its result.
	 */
	public record FailedCallDto(String tool, String kind, String project, String session, String agentId,
			String timestamp, String uuid, String preview) {

	}

	/**
	 * The {@code limit} most expensive tools of all projects from the tool statistics a
	 * job computed for one of the last {@value #RECENT_VERSIONS} data versions, the
	 * current one included (while a live session appends, the data version moves on
	 * before a job ends: all-time statistics a few appends old are shown rather than
	 * none); none computed: not ready, and nothing started (a page that re-renders on
	 * every data change must not start a DuckDB job each time; its script asks
	 * {@code /api/tools}). Never an estimate.
	 */
	public TopToolsDto topToolsByCost(int limit) {
		Optional<Recent> found = recent("tools", "*");
		if (found.isEmpty()) {
			return new TopToolsDto(List.of(), false, TOOLS_URL, null);
		}
		List<ToolCostDto> tools = new ArrayList<>();
		for (JsonNode t : found.get().result().path("tools")) {
			tools.add(new ToolCostDto(t.path("name").asText(), t.path("calls").asLong(), t.path("errors").asLong(),
					t.path("tokens").asLong(), t.path("cost").asDouble(), t.path("failed_cost").asDouble(),
					t.path("declined").asLong(), t.path("cancelled").asLong()));
		}
		tools.sort(Comparator.comparingDouble(ToolCostDto::cost).reversed());
		List<FailedCallDto> failures = new ArrayList<>();
		for (JsonNode f : found.get().result().path("recent_failures")) {
			if (failures.size() == limit) {
				break;
			}
			failures.add(new FailedCallDto(text(f, "tool"), text(f, "kind"), text(f, "project"), text(f, "session"),
					text(f, "agent_id"),
					f.path("timestamp").isIntegralNumber()
							? Instant.ofEpochMilli(f.get("timestamp").asLong()).toString() : null,
					text(f, "uuid"), text(f, "preview")));
		}
		return new TopToolsDto(List.copyOf(tools.subList(0, Math.min(limit, tools.size()))), true, TOOLS_URL,
				found.get().asOf(), List.copyOf(failures));
	}

	/**
	 * A job's result of one of the last {@value #RECENT_VERSIONS} data versions.
	 *
	 * @param result the result, read
	 * @param asOf when it was computed (ISO-8601 UTC) if for an earlier data version than
	 * the current one, else {@code null}
	 */
	private record Recent(JsonNode result, String asOf) {

	}

	/** The newest result of {@code question} of {@code kind}, without starting a job. */
	private Optional<Recent> recent(String kind, String question) {
		Optional<JobService.VersionedResult> found = this.jobService.recentResult(kind, question, RECENT_VERSIONS);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		String asOf = found.filter((r) -> !r.current() && r.finishedAt() != null)
			.map((r) -> Instant.ofEpochMilli(r.finishedAt()).toString())
			.orElse(null);
		try {
			return Optional.of(new Recent(this.json.readTree(found.get().resultJson()), asOf));
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("the " + kind + " job wrote unreadable JSON", ex);
		}
	}

	/**
	 * A hook command of an event: its command (redacted, cut), runs, failed and blocked
	 * runs, sessions that ran it and saw it fail or block, and its latest error with the
	 * session it came from.
	 */
	public record HookStatDto(String event, String command, long runs, long failures, long blocks, long sessions,
			long failedSessions, List<Integer> exitCodes, String lastError, String lastErrorAt, String lastErrorProject,
			String lastErrorSession) {

	}

	/**
	 * The hook statistics of all projects or of one, or where to ask for them.
	 *
	 * @param listed the hooks listed, at most the limit asked for: of all projects those
	 * that failed (a block is a hook doing its job, not listed), most failures first; of
	 * a project every one, as the job orders them (failures and blocks first); empty when
	 * not ready
	 * @param listable how many could be listed (failing ones, or all of a project), of
	 * which {@code listed} are the first
	 * @param hooks how many distinct event and command pairs ran
	 * @param runs their runs, {@code failures} and {@code blocks} of them
	 * @param transcripts transcripts read, on the disk of {@code origin} (the worker that
	 * ran the job)
	 * @param elsewhere transcripts not read: another machine's, or gone since listed
	 * @param ready whether statistics of a recent data version exist
	 * @param url {@code GET /api/hooks} or {@code /api/projects/{p}/hooks}: the
	 * statistics (200) or the job computing them (202, started by that request)
	 * @param asOf when they were computed (an ISO-8601 UTC instant) if for an earlier
	 * data version than the current one, else {@code null}
	 */
	public record HookStatsDto(List<HookStatDto> listed, long listable, long hooks, long runs, long failures,
			long blocks, long transcripts, long elsewhere, String origin, boolean ready, String url, String asOf) {

	}

	/**
	 * The failing hooks of all projects from the hook statistics a job computed for one
	 * of the last {@value #RECENT_VERSIONS} data versions (as {@link #topToolsByCost}).
	 */
	public HookStatsDto failingHooks(int limit) {
		return hookStats(null, limit);
	}

	/**
	 * Every hook of a project (the first {@code limit}), from its hook statistics as
	 * {@link #failingHooks}.
	 */
	public HookStatsDto projectHooks(String project, int limit) {
		return hookStats(Objects.requireNonNull(project), limit);
	}

	private HookStatsDto hookStats(String project, int limit) {
		String url = (project == null) ? HOOKS_URL : "/api/projects/" + project + "/hooks";
		Optional<Recent> found = recent("hooks", (project == null) ? "*" : project);
		if (found.isEmpty()) {
			return new HookStatsDto(List.of(), 0, 0, 0, 0, 0, 0, 0, null, false, url, null);
		}
		JsonNode result = found.get().result();
		List<HookStatDto> listed = new ArrayList<>();
		for (JsonNode h : result.path("hooks")) {
			if (project != null || h.path("failures").asLong() > 0) {
				List<Integer> codes = new ArrayList<>();
				h.path("exit_codes").forEach((c) -> codes.add(c.asInt()));
				listed.add(new HookStatDto(h.path("event").asText(), text(h, "command"), h.path("runs").asLong(),
						h.path("failures").asLong(), h.path("blocks").asLong(), h.path("sessions").asLong(),
						h.path("failed_sessions").asLong(), List.copyOf(codes), text(h, "last_error"),
						text(h, "last_error_at"), text(h, "last_error_project"), text(h, "last_error_session")));
			}
		}
		if (project == null) {
			listed.sort(Comparator.comparingLong(HookStatDto::failures).reversed());
		}
		return new HookStatsDto(List.copyOf(listed.subList(0, Math.min(limit, listed.size()))), listed.size(),
				result.path("hooks").size(), result.path("runs").asLong(), result.path("failures").asLong(),
				result.path("blocks").asLong(), result.path("transcripts").asLong(), result.path("elsewhere").asLong(),
				text(result, "origin"), true, url, found.get().asOf());
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value == null || value.isNull()) ? null : value.asText();
	}

	/**
	 * Hook statistics of a project ({@code null}: of all projects), read from the
	 * transcripts by a job: 200 with those of the current data version, else 202.
	 * @throws NotFoundException when the project is unknown
	 */
	ResponseEntity<?> hookStats(String project) {
		if (project != null) {
			Ids.requireProjectDir(project);
			if (!this.files.projectExists(project)) {
				throw NotFoundException.project(project);
			}
		}
		return this.jobService.answerOrStart("hooks", (project != null) ? project : "*",
				"hook statistics of " + ((project != null) ? project : "all projects"),
				new HookStatsJobRequest(project));
	}

	ResponseEntity<?> toolStats(String project) {
		if (project != null) {
			Ids.requireProjectDir(project);
			if (!this.files.projectExists(project)) {
				throw NotFoundException.project(project);
			}
		}
		String scope = (project != null) ? project : "*";
		return this.jobService.answerOrStart("tools", scope,
				"tool statistics of " + ((project != null) ? project : "all projects"),
				new ToolStatsJobRequest(project));
	}

	ResponseEntity<?> query(QueryRequest body) {
		if (body == null) {
			throw new IllegalArgumentException("a JSON object is required");
		}
		QuerySpec spec = valid(body).spec();
		if (spec.project() != null && !this.files.projectExists(spec.project())) {
			// as every other endpoint that names a project: not an empty answer
			throw NotFoundException.project(spec.project());
		}
		if (spec.project() != null && spec.session() != null
				&& !this.files.sessionExists(spec.project(), spec.session())) {
			// and a session, as the entry export (it answered 202 and an empty job)
			throw NotFoundException.session(spec.project(), spec.session());
		}
		if (spec.project() == null && spec.session() != null && !this.files.sessionExistsAnywhere(spec.session())) {
			// a session of no project: not an empty answer that reads as no usage
			throw NotFoundException.session(spec.session());
		}
		ResponseEntity<?> answer = this.jobService.answerOrStart("query", spec.canonical(),
				"query by " + String.join(", ", spec.groupBy()), new QueryJobRequest(String.join(",", spec.groupBy())),
				spec.canonical());
		if (answer.getStatusCode().value() == 200 && spec.groupBy().contains("session")) {
			return ResponseEntity.status(answer.getStatusCode())
				.headers(answer.getHeaders())
				.body(withSessionTitles((String) answer.getBody()));
		}
		return answer;
	}

	/**
	 * A query result grouped by session with {@code session_titles}: what the pages call
	 * each of its sessions (title, else first prompt), for the first
	 * {@value #TITLED_SESSIONS} sessions of its rows (the most expensive first).
	 */
	private String withSessionTitles(String resultJson) {
		try {
			JsonNode result = this.json.readTree(resultJson);
			JsonNode projects = result.path("session_projects");
			Map<String, String> keys = new LinkedHashMap<>();
			for (JsonNode row : result.path("rows")) {
				String session = row.path("session").asText(null);
				if (session != null && projects.hasNonNull(session) && keys.size() < TITLED_SESSIONS) {
					keys.putIfAbsent(session, projects.get(session).asText() + "/" + session);
				}
			}
			Map<String, String> names = this.names.of(keys.values());
			ObjectNode titles = ((ObjectNode) result).putObject("session_titles");
			keys.forEach((session, key) -> {
				if (names.containsKey(key)) {
					titles.put(session, names.get(key));
				}
			});
			return this.json.writeValueAsString(result);
		}
		catch (JsonProcessingException ex) {
			// a stored result is the app's own JSON; without titles the page shows ids
			return resultJson;
		}
	}

	ResponseEntity<?> search(SearchRequest body) {
		String[] question = searchQuestion(body);
		return this.jobService.answerOrStart("search", searchKey(question), "full-text search",
				new SearchJobRequest(question[1]), question[0]);
	}

	/**
	 * The full-text search a page shows.
	 *
	 * @param hits the hits (newest first, at most 200) once computed, or those of the
	 * same search a few data versions ago while the job runs, else {@code null}
	 * @param truncated whether more hits exist than {@code hits} holds
	 * @param jobId the job computing them (polled at {@code /api/jobs/<id>}),
	 * {@code null} once computed
	 * @param gone whether the job asked for is not this search's (finished or running:
	 * purged, unknown, or another search's): nothing was started
	 */
	record SearchHitsView(List<SearchStream.Hit> hits, boolean truncated, String jobId, boolean gone) {

	}

	/**
	 * The search job's result as stored (snake_case JSON); only the fields a page reads.
	 */
	@JsonIgnoreProperties(ignoreUnknown = true)
	private record StoredSearch(String text, String project, List<SearchStream.Hit> hits, boolean truncated) {

		StoredSearch {
			hits = (hits != null) ? hits : List.of();
		}

	}

	/**
	 * The hits of {@code q} (in {@code project}, or every project when {@code null}) as
	 * {@code POST /api/search} answers them: those of the finished search job
	 * {@code jobId} when it searched the same (the job the page polled, whatever the data
	 * version now), else cached for the current data version, else the job computing
	 * them, started by this call (the same job a second call or the API gets), with the
	 * hits the same search found for one of the last {@value #RECENT_VERSIONS} data
	 * versions, if any.
	 * @param jobId a job id from an earlier answer, or {@code null}; when given, nothing
	 * is started: its hits, its status while this search's job runs, else {@code gone}
	 * @throws IllegalArgumentException when {@code q} or {@code project} breaks the rules
	 * of {@code POST /api/search} (the message names the rule)
	 * @throws NotFoundException when the project is not indexed
	 * @throws dev.cctracer.shared.discovery.Ids.InvalidIdException when {@code jobId} is
	 * not a job id
	 */
	SearchHitsView searchPage(String q, String project, String jobId) {
		String[] question = searchQuestion(new SearchRequest(q, project, null));
		if (jobId != null) {
			// a job id is a UUID; anything else is a malformed request (400), not a
			// result that is gone
			JobService.parse(jobId);
			// the job this page started and polled: its hits, though the data may have
			// grown since (a live session appends every few seconds, each append a new
			// data version), when it searched the same text in the same scope; never a
			// new job (the rate limit does not count these requests)
			Optional<StoredSearch> done = this.jobService.finishedResult(jobId, "search").map(this::stored);
			if (done.isPresent() && question[0].equals(done.get().text())
					&& Objects.equals(question[1], done.get().project())) {
				return view(done.get());
			}
			if (done.isEmpty() && this.jobService.isJobOf("search", searchKey(question), jobId, RECENT_VERSIONS)) {
				// still running: the page polls it again
				return new SearchHitsView(null, false, jobId, false);
			}
			return new SearchHitsView(null, false, null, true);
		}
		JobService.VersionedJob job = this.jobService.enqueueOnce("search", searchKey(question), "full-text search",
				new SearchJobRequest(question[1]), question[0]);
		if (job.resultJson().isEmpty()) {
			// while the data grows, the hits of a moment ago, and the job that brings the
			// newest lines in
			Optional<StoredSearch> recent = this.jobService.recentResult("search", searchKey(question), RECENT_VERSIONS)
				.map((r) -> stored(r.resultJson()));
			return new SearchHitsView(recent.map(StoredSearch::hits).orElse(null),
					recent.map(StoredSearch::truncated).orElse(false), job.id(), false);
		}
		return view(stored(job.resultJson().get()));
	}

	/**
	 * A search's key among the jobs: its text and its project, none as an empty string (a
	 * project dir is never empty).
	 */
	private static String searchKey(String[] question) {
		return question[0] + "\n" + Objects.toString(question[1], "");
	}

	private static SearchHitsView view(StoredSearch stored) {
		return new SearchHitsView(stored.hits(), stored.truncated(), null, false);
	}

	private StoredSearch stored(String resultJson) {
		try {
			return this.json.readValue(resultJson, StoredSearch.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("the search job wrote unreadable JSON", ex);
		}
	}

	/**
	 * The validated search text and project (or null for every project, an empty one
	 * too): the same rules for the body of {@code POST /api/search} and the parameters of
	 * the stream.
	 * @throws IllegalArgumentException naming what is wrong (400)
	 * @throws NotFoundException when the project is not indexed (404)
	 */
	private String[] searchQuestion(SearchRequest request) {
		if (request == null) {
			throw new IllegalArgumentException(SearchRequest.TEXT);
		}
		valid(request);
		String project = (request.project() != null && !request.project().isEmpty())
				? Ids.requireProjectDir(request.project()) : null;
		if (project != null && !this.files.projectExists(project)) {
			throw NotFoundException.project(project);
		}
		return new String[] { request.text(), project };
	}

	/**
	 * The request if it passes Bean Validation.
	 * @throws IllegalArgumentException with every violated rule's message (400)
	 */
	private <T> T valid(T request) {
		Set<ConstraintViolation<T>> violations = this.validator.validate(request);
		if (!violations.isEmpty()) {
			throw new IllegalArgumentException(violations.stream()
				.map((v) -> BadRequests.withUnknownFields(v.getMessage(), v.getInvalidValue()))
				.distinct()
				.sorted()
				.collect(Collectors.joining("; ")));
		}
		return request;
	}

}
