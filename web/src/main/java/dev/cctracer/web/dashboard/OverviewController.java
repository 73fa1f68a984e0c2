package dev.cctracer.web.dashboard;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.analytics.AnalyticsService;
import dev.cctracer.web.session.SessionNames;
import dev.cctracer.web.session.SessionTitles;
import dev.cctracer.web.system.DateRange;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.system.Zones;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.MonthBudget;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.TopSessionsService.RankedProjectDto;
import dev.cctracer.web.usage.TopSessionsService.RankedSessionDto;
import dev.cctracer.web.usage.TopSessionsService.RankedSubagentDto;
import dev.cctracer.web.usage.TopSessionsService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.IndexControl;

/**
 * The overview: spend today, this week, this month and in the last 30 days beside all
 * time; cost per day by model over the chosen range (every day a bar); the current 5-hour
 * block and this week against the configured limits; the top sessions, tools and projects
 * by cost; a data-quality banner; an empty state that says where logs were looked for.
 */
@Controller
class OverviewController implements PageController {

	private static final String VIEW_OVERVIEW = "dashboard/overview";

	static final int CHART_DAYS = 30;

	static final int TOP = 8;

	private final UsageService usage;

	private final BlocksService blocks;

	private final ClaudeRoots roots;

	private final CostMode mode;

	private final ReportService reports;

	private final TopSessionsService topSessions;

	private final AnalyticsService analytics;

	private final SessionTitles titles;

	private final SessionNames names;

	private final Clock clock;

	private final IndexControl indexer;

	OverviewController(UsageService usage, ReportService reports, BlocksService blocks, TopSessionsService topSessions,
			AnalyticsService analytics, SessionTitles titles, SessionNames names, ClaudeRoots roots, CostMode mode,
			Clock clock, IndexControl indexer) {
		this.clock = clock;
		this.indexer = indexer;
		this.titles = titles;
		this.names = names;
		this.usage = usage;
		this.reports = reports;
		this.blocks = blocks;
		this.topSessions = topSessions;
		this.analytics = analytics;
		this.roots = roots;
		this.mode = mode;
	}

	/**
	 * @param from the first day of the range (yyyy-MM-dd), empty for open; with
	 * {@code to} absent too: the 30 days to the last activity
	 * @param to the last day of the range, empty for open
	 */
	@GetMapping("/")
	String overview(@CookieValue(name = Zones.COOKIE, required = false) String tz,
			@RequestParam(required = false) String origin, @RequestParam(required = false) String from,
			@RequestParam(required = false) String to, Model model) {
		ZoneId zone = Zones.resolve(tz);
		String machine = (origin == null || origin.isBlank()) ? null : origin;
		DateRange asked = DateRange.of(from, to, zone);
		AggregateDto totals = this.reports.aggregate(null, machine, Period.days(null, null, zone), this.mode);
		model.addAttribute("origin", machine);
		Map<String, Long> index = this.usage.indexCounts();
		model.addAttribute("totals", totals);
		model.addAttribute("index", index);
		// paths the last scan did not read, and transcripts not counted (usage sums past
		// 64 bits): a trial's refused file was an empty $0 session with no word on the
		// page
		model.addAttribute("notRead", this.indexer.lastProblems().size());
		model.addAttribute("empty", index.get("known") == 0);
		model.addAttribute("candidates", this.roots.candidates());
		model.addAttribute("roots", this.roots.current());
		if (index.get("known") == 0) {
			return VIEW_OVERVIEW;
		}
		// one clock for the page: the month's spend and its budget's projection agree at
		// a month's turn
		Instant now = this.clock.instant();
		LocalDate today = now.atZone(zone).toLocalDate();
		List<PeriodCard> periods = PeriodCard.of(machine, zone, today,
				(o, period) -> this.reports.aggregate(null, o, period, this.mode));
		model.addAttribute("periods", periods);
		LocalDate first = day(totals.firstActivity(), zone, today);
		LocalDate last = DateRange.lastActiveDay(totals.lastActivity(), zone, today);
		// no range asked: the 30 days up to the last activity (today for a live
		// machine, and still a chart for old logs)
		DateRange range = (from == null && to == null) ? new DateRange(last.minusDays(CHART_DAYS - 1), last, zone)
				: asked;
		model.addAttribute("range", range);
		model.addAttribute("presets", range.presets(today));
		Charts.Span chart = Charts.Span.of(range, first, last);
		DailyDto daily = this.reports.daily(null, machine, range.period(), this.mode);
		model.addAttribute("dailyChart", Charts.costPerDayByModel(daily, chart.from(), chart.to()));
		model.addAttribute("chartFrom", chart.from().toString());
		model.addAttribute("chartTo", chart.to().toString());
		model.addAttribute("chartDays", chart.days());
		model.addAttribute("rangeTotals",
				range.isAll() ? totals : this.reports.aggregate(null, machine, range.period(), this.mode));
		// a session without a title by its first prompt, as in the session lists
		List<RankedSessionDto> ranked = this.topSessions.mostExpensive(machine, range.period(), TOP, this.mode);
		List<SessionDto> titled = this.titles.withFirstPrompts(ranked.stream().map(RankedSessionDto::session).toList());
		model.addAttribute("topSessions",
				IntStream.range(0, ranked.size()).mapToObj((i) -> ranked.get(i).with(titled.get(i))).toList());
		List<RankedSubagentDto> subagents = this.topSessions.mostExpensiveSubagents(machine, range.period(), TOP,
				this.mode);
		model.addAttribute("topSubagents", subagents);
		// their sessions by title or first prompt, not the id's first characters
		model.addAttribute("subagentSessions",
				this.names.of(subagents.stream().map((a) -> a.project() + "/" + a.sessionId()).toList()));
		model.addAttribute("topTools", this.analytics.topToolsByCost(TOP));
		model.addAttribute("hooks", this.analytics.failingHooks(TOP));
		// their cost in the range, of the machine shown, as the cards and the chart above
		// (was every machine's all-time cost under a heading that did not say so)
		List<RankedProjectDto> top = this.topSessions.mostExpensiveProjects(machine, range.period(), TOP, this.mode);
		model.addAttribute("topProjects", top);
		model.addAttribute("projectLabels", ProjectDto.labels(top.stream().map(RankedProjectDto::project).toList()));
		model.addAttribute("origins", this.usage.origins(this.mode).origins());
		Period lastTwoDays = Period.days(today.minusDays(1), null, zone);
		BlocksService.BlocksDto report = this.blocks.blocks(null, lastTwoDays, this.mode, now.toEpochMilli());
		model.addAttribute("block", report.activeBlock());
		model.addAttribute("limits", report.limits());
		model.addAttribute("week", WeekLimits.of(periods.get(1).totals(), report.limits()));
		// the budget counts every machine's spend, whichever machine the page shows (the
		// month's card asked the same aggregate: a cached answer)
		model.addAttribute("budget", MonthBudget.of(this.reports, null, zone, now, this.mode,
				(report.limits() != null) ? report.limits().monthlyBudgetUsd() : null));
		return VIEW_OVERVIEW;
	}

	/** The day of an instant in the zone, or {@code fallback} for none. */
	private static LocalDate day(String instant, ZoneId zone, LocalDate fallback) {
		return (instant != null) ? Instant.parse(instant).atZone(zone).toLocalDate() : fallback;
	}

}
