package dev.cctracer.web.dashboard;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.system.Zones;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

/**
 * The overview: totals, cost per day by model, top projects, the current 5-hour block and
 * a data-quality banner; an empty state that says where logs were looked for.
 */
@Controller
class OverviewController implements PageController {

	private static final String VIEW_OVERVIEW = "dashboard/overview";

	static final int CHART_DAYS = 30;

	private final UsageService usage;

	private final BlocksService blocks;

	private final ClaudeRoots roots;

	private final CostMode mode;

	private final ReportService reports;

	OverviewController(UsageService usage, ReportService reports, BlocksService blocks, ClaudeRoots roots,
			CostMode mode) {
		this.usage = usage;
		this.reports = reports;
		this.blocks = blocks;
		this.roots = roots;
		this.mode = mode;
	}

	@GetMapping("/")
	String overview(@CookieValue(name = Zones.COOKIE, required = false) String tz,
			@RequestParam(required = false) String origin, Model model) {
		ZoneId zone = Zones.resolve(tz);
		String machine = (origin == null || origin.isBlank()) ? null : origin;
		AggregateDto totals = this.reports.aggregate(null, machine, Period.days(null, null, zone), this.mode);
		model.addAttribute("origin", machine);
		Map<String, Long> index = this.usage.indexCounts();
		model.addAttribute("totals", totals);
		model.addAttribute("index", index);
		model.addAttribute("empty", index.get("known") == 0);
		model.addAttribute("candidates", this.roots.candidates());
		model.addAttribute("roots", this.roots.current());
		if (index.get("known") == 0) {
			return VIEW_OVERVIEW;
		}
		// the 30 days up to the last activity: today for a live machine, and still a
		// chart for old logs
		LocalDate last = (totals.lastActivity() != null)
				? Instant.parse(totals.lastActivity()).atZone(zone).toLocalDate() : LocalDate.now(zone);
		DailyDto daily = this.reports.daily(null, machine, Period.days(last.minusDays(CHART_DAYS - 1), last, zone),
				this.mode);
		model.addAttribute("dailyChart", Charts.costPerDayByModel(daily));
		model.addAttribute("chartDays", CHART_DAYS);
		model.addAttribute("chartTo", last.toString());
		List<ProjectDto> top = this.usage.projects(this.mode)
			.projects()
			.stream()
			.sorted(Comparator.comparingDouble(ProjectDto::totalCost).reversed())
			.limit(8)
			.toList();
		model.addAttribute("topProjects", top);
		model.addAttribute("origins", this.usage.origins(this.mode).origins());
		Period lastTwoDays = Period.days(LocalDate.now(zone).minusDays(1), null, zone);
		BlocksService.BlocksDto report = this.blocks.blocks(null, lastTwoDays, this.mode, System.currentTimeMillis());
		model.addAttribute("block", report.activeBlock());
		model.addAttribute("limits", report.limits());
		return VIEW_OVERVIEW;
	}

}
