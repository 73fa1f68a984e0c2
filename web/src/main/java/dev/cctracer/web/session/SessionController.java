package dev.cctracer.web.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.web.session.MessageDtos.MessageDetailDto;
import dev.cctracer.web.session.MessageDtos.MessageRefDto;
import dev.cctracer.web.session.MessageDtos.MessagesDto;
import dev.cctracer.web.session.MessageDtos.ToolCallDto;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.system.Formats;
import dev.cctracer.web.usage.IndexedFiles;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;

/**
 * A session's page (header, where the cost went, timeline with filters and "load more",
 * tools, subagents with their cost, code changes, errors, commands) and a message's page
 * (text, thinking, tool input and output, edits as diffs). {@code ?agent=} shows one
 * subagent: its header, models, timeline, tools, errors and commands; the errors and
 * commands panels show {@value SessionPageViews#PANEL_ROWS} rows at a time
 * ({@code ?errorsFrom=}, {@code ?commandsFrom=}: the 0-based first row). A transcript
 * that is not on this machine's disk (a teammate's) has its timeline from the facts: one
 * row a line, previews of redacted text, no filters and no message pages.
 */
@Controller
class SessionController implements PageController {

	private static final String VIEW_SESSION_DETAILS = "sessions/sessionDetails";

	private static final String VIEW_MESSAGE_ROWS = "sessions/sessionDetails :: messageRows";

	private static final String VIEW_FACT_ROWS = "sessions/sessionDetails :: factRows";

	private static final String VIEW_MESSAGE_DETAILS = "sessions/messageDetails";

	private static final String SESSION = "/projects/{project}/sessions/{session}";

	private static final ObjectMapper JSON = new ObjectMapper();

	static final int PAGE = 50;

	private final UsageService usage;

	private final MessageService messages;

	private final SessionAnalysisService analysis;

	private final CostMode mode;

	private final ReportService reports;

	private final SessionTitles titles;

	SessionController(UsageService usage, MessageService messages, SessionAnalysisService analysis,
			ReportService reports, SessionTitles titles, CostMode mode) {
		this.usage = usage;
		this.reports = reports;
		this.titles = titles;
		this.messages = messages;
		this.analysis = analysis;
		this.mode = mode;
	}

	@GetMapping(SESSION)
	String showSession(@PathVariable String project, @PathVariable String session,
			@RequestParam(required = false) String agent, @RequestParam(defaultValue = "calls") String toolSort,
			@RequestParam(defaultValue = "0") int errorsFrom, @RequestParam(defaultValue = "0") int commandsFrom,
			TimelineFilter filter, HttpServletRequest request, Model model) {
		agent = blankToNull(agent);
		SessionDto summary = this.titles.withFirstPrompts(List.of(this.usage.session(project, session, this.mode)))
			.get(0);
		String agentId = agent;
		List<Dtos.ApiErrorDto> apiErrors = this.usage.apiErrors(project, session)
			.errors()
			.stream()
			.filter((e) -> agentId == null || agentId.equals(e.agentId()))
			.toList();
		model.addAttribute("summary", summary);
		model.addAttribute("apiErrors", apiErrors);
		model.addAttribute("projectDir", project);
		model.addAttribute("agent", agent);
		model.addAttribute("filter", filter);
		FileRef file = mainOrSubagent(project, session, agent);
		MessageQuery query = filter.query(PAGE);
		// no transcript here: only subagent files exist, or (shared database) it is on
		// another machine's disk, whose worker wrote its facts: the timeline comes from
		// them (pages, no filters)
		// (on disk is asked first: a transcript removed since its page was last shown has
		// its answers still cached)
		MessageDtos.FiltersDto filters = (file != null && this.messages.onDisk(file))
				? orElse(() -> this.messages.filters(file), null) : null;
		MessagesDto page = (filters != null) ? orElse(() -> this.messages.list(file, query), null) : null;
		if (page == null) {
			// removed between the two looks: the facts' timeline, without filters
			filters = null;
			page = (file != null)
					? orElse(() -> this.messages.timeline(project, session, agentId, filter.pageOnly(PAGE)), null)
					: null;
		}
		model.addAttribute("noTranscript", page == null);
		IndexedFiles.SessionFiles transcripts = this.analysis.files(project, session);
		model.addAttribute("goneTranscripts", transcripts.removed().size());
		model.addAttribute("skippedLines", this.analysis.skippedLines(project, session));
		model.addAttribute("filters",
				(filters != null) ? filters : new MessageDtos.FiltersDto(List.of(), List.of(), 0, 0));
		model.addAttribute("page",
				(page != null) ? page : new MessagesDto(List.of(), false, null, null, null, null, null));
		// a session known only from its subagent files has no main transcript to analyse;
		// one some of whose transcripts Claude Code removed has its tools from the facts
		// once their job ran (the page's script starts it)
		boolean someGone = agent == null && !transcripts.removed().isEmpty();
		AnalysisDtos.ToolsDto tools = someGone ? this.analysis.factsToolsIfComputed(project, session).orElse(null)
				: orElse(() -> this.analysis.tools(project, session, agentId), null);
		model.addAttribute("allTranscriptsGone", agent == null && transcripts.allRemoved());
		// every transcript gone here but the session on disk in another project dir (a
		// project dir renamed or moved): its lines count there now
		model.addAttribute("movedTo", (agent == null && transcripts.allRemoved())
				? this.usage.projectOfSession(session).filter((p) -> !p.equals(project)).orElse(null) : null);
		model.addAttribute("toolsJob",
				(someGone && tools == null) ? "/api/sessions/" + project + "/" + session + "/tools" : null);
		tools = (tools != null) ? tools : new AnalysisDtos.ToolsDto(List.of(), 0, "");
		// a teammate's transcripts are not on this disk: its subagents are known by their
		// totals only (the cost table below)
		AnalysisDtos.SubagentsDto subagents = orElse(() -> this.analysis.subagents(project, session, this.mode),
				new AnalysisDtos.SubagentsDto(List.of(), 0));
		AnalysisDtos.ErrorsDto errors = orElse(() -> this.analysis.errors(project, session, agentId),
				new AnalysisDtos.ErrorsDto(List.of(), 0));
		Map<String, String> agentNames = SessionPageViews.agentNames(summary, subagents.subagents());
		model.addAttribute("tools", tools);
		model.addAttribute("toolSort", toolSort);
		// the page's own address: its list panels' and tools table's links change one
		// parameter of it
		String uri = request.getRequestURI();
		String params = request.getQueryString();
		model.addAttribute("toolSortLinks", SessionPageViews.toolSortLinks(uri, params));
		model.addAttribute("sortedTools", SessionPageViews.sortTools(tools.tools(), toolSort));
		model.addAttribute("toolsByCost", SessionPageViews.sortTools(tools.tools(), "cost"));
		model.addAttribute("webSearchCalls", SessionPageViews.calls(tools.tools(), SessionPageViews.WEB_SEARCH_TOOL));
		model.addAttribute("subagents", subagents);
		model.addAttribute("agentNames", agentNames);
		model.addAttribute("agentsByCost", SessionPageViews.agentsByCost(summary));
		model.addAttribute("models", this.reports.sessionModels(project, session, agent, this.mode).models());
		model
			.addAttribute("scope", (agent == null) ? SessionPageViews.session(summary) : SessionPageViews.agent(summary,
					agent, agentNames.getOrDefault(agent, agent),
					subagents.subagents().stream().filter((x) -> agentId.equals(x.agentId())).findFirst().orElse(null),
					tools.totalCalls(), errors.total(), apiErrors.size()));
		// a subagent's page: the changes of its own transcript; an inline
		// sidechain's lines are the main transcript's, so its page shows the
		// whole session's, and says so (a subagent that only read had shown
		// the session's edits as its own)
		boolean ownTranscript = agent != null && subagents.subagents()
			.stream()
			.anyMatch((x) -> agentId.equals(x.agentId()) && !"inline".equals(x.layout()));
		model.addAttribute("changes",
				orElse(() -> ownTranscript ? this.analysis.codeChanges(project, session, agentId)
						: this.analysis.codeChanges(project, session),
						new AnalysisDtos.CodeChangesDto(0, 0, 0, 0, 0, List.of())));
		model.addAttribute("changesOfWholeSession", agent != null && !ownTranscript);
		model.addAttribute("errors", errors);
		// a subagent's page: its own transcript's compactions
		model.addAttribute("compactions", orElse(() -> this.analysis.compactions(project, session, agentId),
				new AnalysisDtos.CompactionsDto(List.of(), 0)));
		// hooks run for the session as a whole (its subagents' included)
		model.addAttribute("hooks", (agent != null) ? null : orElse(() -> this.analysis.hooks(project, session), null));
		model.addAttribute("errorRows",
				SessionPageViews.window(errors.errors(), errorsFrom, uri, params, "errorsFrom", "errors-panel"));
		AnalysisDtos.CommandsDto commands = orElse(() -> this.analysis.commands(project, session, agentId),
				new AnalysisDtos.CommandsDto(List.of(), new AnalysisDtos.CommandsSummaryDto(0, 0, 0, 0, 0)));
		model.addAttribute("commands", commands);
		model.addAttribute("commandRows", SessionPageViews.window(commands.commands(), commandsFrom, uri, params,
				"commandsFrom", "commands-panel"));
		return VIEW_SESSION_DETAILS;
	}

	/**
	 * The next rows of the timeline, for "load more" (a fragment): of the transcript, or
	 * of the facts when it is not on this machine's disk.
	 */
	@GetMapping(SESSION + "/timeline")
	String moreMessages(@PathVariable String project, @PathVariable String session,
			@RequestParam(required = false) String agent, TimelineFilter filter, Model model) {
		agent = blankToNull(agent);
		model.addAttribute("projectDir", project);
		model.addAttribute("sessionId", session);
		model.addAttribute("agent", agent);
		model.addAttribute("filter", filter);
		MessagesDto page = this.messages.timeline(project, session, agent, filter.query(PAGE));
		model.addAttribute("page", page);
		return (page.facts() != null) ? VIEW_FACT_ROWS : VIEW_MESSAGE_ROWS;
	}

	/**
	 * A message's page; for a transcript no longer on this machine's disk (removed, or a
	 * teammate's), a redirect (302) to its session's page, whose timeline comes from the
	 * facts: where a search hit in it leads (its message page needs the transcript, and
	 * was a 404).
	 */
	@GetMapping(SESSION + "/messages/{uuid}")
	String showMessage(@PathVariable String project, @PathVariable String session, @PathVariable String uuid,
			@RequestParam(required = false) String agent, Model model) {
		agent = blankToNull(agent);
		FileRef file = this.messages.file(project, session, agent);
		if (!this.messages.onDisk(file)) {
			return "redirect:" + UriComponentsBuilder.fromPath("/projects/{p}/sessions/{s}")
				.queryParamIfPresent("agent", Optional.ofNullable(agent))
				.buildAndExpand(project, session)
				.encode()
				.toUriString();
		}
		return message(project, session, agent, file, this.messages.detail(file, uuid), model);
	}

	/**
	 * An entry by its 1-based position in the transcript: the link of entries whose line
	 * has no uuid (Claude Code's {@code summary} lines, generated {@code turn_duration}
	 * lines).
	 */
	@GetMapping(SESSION + "/messages/by-index/{index}")
	String showMessageAt(@PathVariable String project, @PathVariable String session, @PathVariable int index,
			@RequestParam(required = false) String agent, Model model) {
		agent = blankToNull(agent);
		FileRef file = this.messages.file(project, session, agent);
		return message(project, session, agent, file, this.messages.byIndex(file, index), model);
	}

	private String message(String project, String session, String agent, FileRef file, MessageDetailDto message,
			Model model) {
		// the crumbs name the project and the session as the lists do (its folder and
		// title), else by dir and id
		SessionDto found = orElse(() -> this.usage.session(project, session, this.mode), null);
		SessionDto summary = (found != null) ? this.titles.withFirstPrompts(List.of(found)).get(0) : null;
		model.addAttribute("projectPath",
				(summary != null && summary.projectPath() != null) ? summary.projectPath() : project);
		model.addAttribute("sessionTitle", (summary != null) ? summary.displayTitle() : null);
		model.addAttribute("message", message);
		model.addAttribute("projectDir", project);
		model.addAttribute("sessionId", session);
		model.addAttribute("agent", agent);
		// an edit's diff as Claude Code applied it (its patch: the file's own line
		// numbers), else computed from the call's input
		Map<String, JsonNode> patches = (message.tools() == null || file == null) ? Map.of()
				: orElse(() -> this.messages.patches(file,
						message.tools()
							.stream()
							.filter((c) -> c.id() != null && c.result() != null
									&& CodeChangeAnalysis.EDIT_TOOLS.contains(c.name()))
							.map(ToolCallDto::id)
							.toList()),
						Map.of());
		model.addAttribute("calls", calls(message, patches));
		return VIEW_MESSAGE_DETAILS;
	}

	/**
	 * The transcript to show; {@code null} for a session known only from its subagent
	 * files (its main transcript is gone or was never written).
	 */
	private FileRef mainOrSubagent(String project, String session, String agent) {
		try {
			return this.messages.file(project, session, agent);
		}
		catch (NotFoundException ex) {
			if (agent != null) {
				throw ex;
			}
			return null;
		}
	}

	private static <T> T orElse(Supplier<T> section, T empty) {
		try {
			return section.get();
		}
		catch (NotFoundException ex) {
			return empty;
		}
	}

	/** Links write {@code agent=} for the main timeline. */
	private static String blankToNull(String agent) {
		return (agent == null || agent.isBlank()) ? null : agent;
	}

	private static List<CallView> calls(MessageDetailDto message, Map<String, JsonNode> patches) {
		List<CallView> views = new ArrayList<>();
		if (message.tools() == null) {
			return views;
		}
		for (ToolCallDto call : message.tools()) {
			JsonNode patch = (call.id() != null) ? patches.get(call.id()) : null;
			List<DiffView> diffs = (patch != null) ? List.of(patchDiff(call.input(), patch)) : diffs(call.input());
			views.add(new CallView(call.id(), call.name(), pretty(clipped(call.input())), diffs, call.result()));
		}
		return views;
	}

	/**
	 * Claude Code's patch of a call as a unified diff: each hunk's header with the file's
	 * own line numbers, then its lines (redacted, as every text the pages show).
	 */
	static DiffView patchDiff(JsonNode input, JsonNode patch) {
		String path = (input != null) ? input.path("file_path").asText("") : "";
		List<DiffLine> lines = new ArrayList<>();
		for (JsonNode hunk : patch) {
			if (lines.size() >= PAGE_DIFF_MAX_LINES) {
				lines.add(new DiffLine("hunk", "… more hunks not shown here (the message's JSON has them whole)"));
				break;
			}
			lines
				.add(new DiffLine("hunk", "@@ -" + hunk.path("oldStart").asLong() + "," + hunk.path("oldLines").asLong()
						+ " +" + hunk.path("newStart").asLong() + "," + hunk.path("newLines").asLong() + " @@"));
			for (JsonNode line : hunk.path("lines")) {
				if (lines.size() >= PAGE_DIFF_MAX_LINES) {
					break;
				}
				String text = Redactor.redact(line.asText(""));
				lines.add(new DiffLine(text.startsWith("+") ? "add" : text.startsWith("-") ? "del" : "ctx", text));
			}
		}
		return new DiffView(path, lines);
	}

	/**
	 * The input with its strings cut so that together they hold at most
	 * {@link Formats#PAGE_TEXT_MAX} characters (in document order; each string keeps at
	 * least {@link #CLIP_MIN} of them), each cut one ending in a line that says how many
	 * more characters it has ({@link Formats#cut}): a call's input is pretty-printed for
	 * the page, and a 9 MB {@code Write} was printed and held twice per request. The page
	 * shows the printed input whole.
	 */
	static JsonNode clipped(JsonNode input) {
		int[] budget = { Formats.PAGE_TEXT_MAX };
		if (input == null || !input.isContainerNode()) {
			return clippedValue(input, budget);
		}
		JsonNode copy = input.deepCopy();
		clipInPlace(copy, budget);
		return copy;
	}

	/** The characters each string of an input keeps, however much the others took. */
	static final int CLIP_MIN = 200;

	/** A string cut to what is left of the budget, any other value as it is. */
	private static JsonNode clippedValue(JsonNode value, int[] budget) {
		if (value == null || !value.isTextual()) {
			return value;
		}
		String text = value.textValue();
		int keep = Math.min(text.length(), Math.max(budget[0], CLIP_MIN));
		budget[0] = Math.max(0, budget[0] - keep);
		return (keep < text.length()) ? TextNode.valueOf(CLIP.cut(text, keep)) : value;
	}

	/** Cuts the strings of a copy, at every depth. */
	private static void clipInPlace(JsonNode node, int[] budget) {
		if (node instanceof ObjectNode object) {
			object.properties().forEach((field) -> {
				clipInPlace(field.getValue(), budget);
				field.setValue(clippedValue(field.getValue(), budget));
			});
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				clipInPlace(array.get(i), budget);
				array.set(i, clippedValue(array.get(i), budget));
			}
		}
	}

	/** {@link Formats#pageText} needs no state but the number format. */
	private static final Formats CLIP = new Formats();

	private static String pretty(JsonNode input) {
		try {
			return (input == null) ? "" : JSON.writerWithDefaultPrettyPrinter().writeValueAsString(input);
		}
		catch (JsonProcessingException ex) {
			return input.toString();
		}
	}

	/** Edit, MultiEdit and Write inputs as unified diffs; nothing for other tools. */
	static List<DiffView> diffs(JsonNode input) {
		List<DiffView> diffs = new ArrayList<>();
		if (input == null || !input.isObject()) {
			return diffs;
		}
		String path = input.path("file_path").asText("");
		if (input.has("old_string") && input.has("new_string")) {
			diffs.add(diff(path, input.get("old_string").asText(), input.get("new_string").asText()));
		}
		else if (input.path("edits").isArray()) {
			for (JsonNode edit : input.get("edits")) {
				diffs.add(diff(path, edit.path("old_string").asText(), edit.path("new_string").asText()));
			}
		}
		else if (input.has("content") && !path.isEmpty()) {
			diffs.add(diff(path, "", input.get("content").asText()));
		}
		return diffs;
	}

	/**
	 * The most characters an edit's two sides may hold together to be shown as a diff on
	 * its page (the page holds each of its lines; the call's input is shown cut,
	 * {@link Formats#PAGE_TEXT_MAX}).
	 */
	static final int PAGE_DIFF_MAX_CHARS = 200_000;

	/** The most lines an edit's two sides may hold together to be shown as a diff. */
	static final int PAGE_DIFF_MAX_LINES = 20_000;

	/**
	 * An edit as a unified diff, or, when it is larger than the page shows
	 * ({@link #PAGE_DIFF_MAX_CHARS}, {@link #PAGE_DIFF_MAX_LINES}) or its sides differ in
	 * more than {@link CodeChangeAnalysis#DIFF_MAX_LINES} lines, one line that says so.
	 */
	static DiffView diff(String path, String before, String after) {
		List<String> old = before.isEmpty() ? List.of() : List.of(before.split("\n", -1));
		List<String> now = after.isEmpty() ? List.of() : List.of(after.split("\n", -1));
		int[] same = CodeChangeAnalysis.middle(old, now);
		int differing = old.size() + now.size() - 2 * (same[0] + same[1]);
		if (before.length() + after.length() > PAGE_DIFF_MAX_CHARS || old.size() + now.size() > PAGE_DIFF_MAX_LINES
				|| (differing > CodeChangeAnalysis.DIFF_MAX_LINES && !old.isEmpty() && !now.isEmpty())) {
			return new DiffView(path, List.of(new DiffLine("hunk", "too large to show as a diff here: " + old.size()
					+ " lines → " + now.size() + " lines (the call's input below, whole in the message's JSON)")));
		}
		List<String> unified = UnifiedDiffUtils.generateUnifiedDiff(path, path, old, DiffUtils.diff(old, now), 3);
		List<DiffLine> lines = new ArrayList<>();
		for (String line : unified.subList(Math.min(2, unified.size()), unified.size())) {
			String kind = line.startsWith("+") ? "add"
					: line.startsWith("-") ? "del" : line.startsWith("@@") ? "hunk" : "ctx";
			lines.add(new DiffLine(kind, line));
		}
		return new DiffView(path, lines);
	}

	/**
	 * A tool call on the message page; {@code result} the entry of its result, or
	 * {@code null}.
	 */
	record CallView(String id, String name, String input, List<DiffView> diffs, MessageRefDto result) {

	}

	/** An edit as a unified diff. */
	record DiffView(String path, List<DiffLine> lines) {

	}

	/** One diff line: add, del, hunk or ctx. */
	record DiffLine(String kind, String text) {

	}

	/**
	 * The timeline's filters and cursor, bound from the query string.
	 *
	 * @param type message kind or empty
	 * @param tool tool name or empty
	 * @param errorsOnly only failed tool results
	 * @param search text to find
	 * @param cursor where the next page starts
	 */
	record TimelineFilter(String type, String tool, Boolean errorsOnly, String search, String cursor) {

		MessageQuery query(int limit) {
			return MessageQuery.of(blank(this.type), blank(this.tool), this.errorsOnly, blank(this.search),
					blank(this.cursor), limit, null, null);
		}

		/** The page only (its cursor), without the filters: a timeline from the facts. */
		MessageQuery pageOnly(int limit) {
			return MessageQuery.of(null, null, null, null, blank(this.cursor), limit, null, null);
		}

		public boolean active() {
			return blank(this.type) != null || blank(this.tool) != null || Boolean.TRUE.equals(this.errorsOnly)
					|| blank(this.search) != null;
		}

		private static String blank(String s) {
			return (s == null || s.isBlank()) ? null : s;
		}

	}

}
