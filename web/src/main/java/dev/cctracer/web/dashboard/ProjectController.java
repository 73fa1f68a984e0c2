package dev.cctracer.web.dashboard;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.util.UriComponentsBuilder;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.analytics.AnalyticsService;
import dev.cctracer.web.session.SessionTitles;
import dev.cctracer.web.system.DateRange;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.system.Zones;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.ModelsDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.Dtos.SessionsDto;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;

/**
 * The projects table (sortable, searchable) and a project's page: its sessions (sortable,
 * paginated), daily chart, models and tools chart.
 */
@Controller
class ProjectController implements PageController {

	private static final String VIEW_PROJECT_LIST = "dashboard/projectList";

	private static final String VIEW_PROJECT_DETAILS = "dashboard/projectDetails";

	static final int SESSIONS_PER_PAGE = 25;

	private static final List<String> SESSION_SORTS = List.of("start_time", "end_time", "cost", "tokens", "messages",
			"tool_calls", "errors");

	private final UsageService usage;

	private final CostMode mode;

	private final ReportService reports;

	private final SessionTitles titles;

	private final AnalyticsService analytics;

	private final Clock clock;

	/** Hook commands listed on a project's page. */
	static final int HOOKS = 20;

	ProjectController(UsageService usage, ReportService reports, SessionTitles titles, AnalyticsService analytics,
			CostMode mode, Clock clock) {
		this.clock = clock;
		this.analytics = analytics;
		this.usage = usage;
		this.titles = titles;
		this.reports = reports;
		this.mode = mode;
	}

	@GetMapping("/projects")
	String listProjects(@RequestParam(required = false) String q,
			@RequestParam(defaultValue = "last_activity") String sort, @RequestParam(defaultValue = "desc") String dir,
			Model model) {
		String needle = (q == null) ? "" : q.strip().toLowerCase(Locale.ROOT);
		Comparator<ProjectDto> order = switch (sort) {
			case "cost" -> Comparator.comparingDouble(ProjectDto::totalCost);
			case "tokens" -> Comparator.comparingLong(ProjectDto::totalTokens);
			case "sessions" -> Comparator.comparingLong(ProjectDto::sessionCount);
			case "messages" -> Comparator.comparingLong(ProjectDto::messageCount);
			case "path" -> Comparator.comparing(ProjectDto::projectPath);
			case "last_activity" ->
				Comparator.comparing((ProjectDto p) -> (p.lastActivity() != null) ? p.lastActivity() : "");
			default -> throw new IllegalArgumentException(
					"sort must be one of path, sessions, messages, tokens, cost, last_activity");
		};
		if (!"asc".equals(dir) && !"desc".equals(dir)) {
			throw new IllegalArgumentException("dir must be asc or desc");
		}
		if ("desc".equals(dir)) {
			order = order.reversed();
		}
		List<ProjectDto> projects = this.usage.projects(this.mode)
			.projects()
			.stream()
			.filter((p) -> needle.isEmpty() || p.projectPath().toLowerCase(Locale.ROOT).contains(needle)
					|| p.pathHash().toLowerCase(Locale.ROOT).contains(needle))
			.sorted(order.thenComparing(ProjectDto::pathHash))
			.toList();
		model.addAttribute("listProjects", projects);
		model.addAttribute("projectLabels", ProjectDto.labels(projects));
		model.addAttribute("q", (q == null) ? "" : q.strip());
		model.addAttribute("sort", sort);
		model.addAttribute("dir", dir);
		return VIEW_PROJECT_LIST;
	}

	@GetMapping("/projects/{project}")
	String showProject(@PathVariable String project, @RequestParam(defaultValue = "start_time") String sort,
			@RequestParam(defaultValue = "desc") String order, @RequestParam(required = false) String cursor,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@CookieValue(name = Zones.COOKIE, required = false) String tz, Model model) {
		if (!SESSION_SORTS.contains(sort)) {
			throw new IllegalArgumentException("sort must be one of " + String.join(", ", SESSION_SORTS));
		}
		ZoneId zone = Zones.resolve(tz);
		DateRange range = DateRange.of(from, to, zone);
		SessionsDto page = this.usage.sessions(project, sort, order, SESSIONS_PER_PAGE, cursor, this.mode);
		SessionsDto sessions = new SessionsDto(this.titles.withFirstPrompts(page.sessions()), page.total(),
				page.nextCursor());
		ProjectDto summary = this.usage.projects(this.mode)
			.projects()
			.stream()
			.filter((p) -> p.pathHash().equals(project))
			.findFirst()
			.orElse(null);
		if (summary == null) {
			// a project dir renamed or moved: its sessions count under the new name (a
			// bookmark of the old one found a 404)
			String movedTo = this.usage.projectMovedTo(project).orElseThrow(() -> NotFoundException.project(project));
			// the same view of it there: sort, order, range
			return "redirect:" + UriComponentsBuilder.fromPath("/projects/{p}")
				.queryParam("sort", sort)
				.queryParam("order", order)
				.queryParamIfPresent("from", Optional.ofNullable(from))
				.queryParamIfPresent("to", Optional.ofNullable(to))
				.buildAndExpand(movedTo)
				.encode();
		}
		// the chart, the models and the range's totals honour the range; the session list
		// is every session (the Sessions page lists those active in a range)
		DailyDto daily = this.reports.daily(project, null, range.period(), this.mode);
		ModelsDto models = this.reports.models(project, range.period(), this.mode);
		model.addAttribute("range", range);
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), zone);
		model.addAttribute("presets", range.presets(today));
		model.addAttribute("origin", null);
		model.addAttribute("rangeTotals",
				range.isAll() ? null : this.reports.aggregate(project, null, range.period(), this.mode));
		// where the cost went: of the range, or of all time (a trial found no panel on
		// the page as it opens)
		model.addAttribute("costKinds", range.isAll() ? this.reports.aggregate(project, null, Period.all(), this.mode)
				: model.getAttribute("rangeTotals"));
		model.addAttribute("project", summary);
		model.addAttribute("sessions", sessions);
		model.addAttribute("sort", sort);
		model.addAttribute("order", "asc".equalsIgnoreCase(order) ? "asc" : "desc");
		model.addAttribute("firstPage", cursor == null || cursor.isBlank());
		model.addAttribute("dailyChart", Charts.costPerDayByModel(daily, range, today));
		model.addAttribute("models", models.models());
		// its hooks from the last statistics computed; the page's script asks for newer
		model.addAttribute("hooks", this.analytics.projectHooks(project, HOOKS));
		return VIEW_PROJECT_DETAILS;
	}

}
