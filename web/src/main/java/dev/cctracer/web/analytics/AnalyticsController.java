package dev.cctracer.web.analytics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.system.DateRange;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.system.Zones;
import dev.cctracer.web.usage.Dtos.ModelDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;

/**
 * The ad-hoc query page: a form whose query runs as a job ({@code POST /api/queries}),
 * progress while the page polls it, then a chart and a sortable table with totals; export
 * links. The form starts on the data's last 30 days and runs once on load.
 */
@Controller
class AnalyticsController implements PageController {

	private static final String VIEW_ANALYTICS = "analytics/analytics";

	static final List<String> DIMENSIONS = List.of("day", "hour", "week", "month", "project", "session", "model",
			"tool", "agent");

	/** The default range: the data's last 30 days. */
	static final int DEFAULT_DAYS = 30;

	private final UsageService usage;

	private final CostMode mode;

	private final ReportService reports;

	private final Clock clock;

	AnalyticsController(UsageService usage, ReportService reports, CostMode mode, Clock clock) {
		this.clock = clock;
		this.usage = usage;
		this.reports = reports;
		this.mode = mode;
	}

	@GetMapping("/analytics")
	String analytics(@CookieValue(name = Zones.COOKIE, required = false) String tz, Model model) {
		ZoneId zone = Zones.resolve(tz);
		model.addAttribute("dimensions", DIMENSIONS);
		List<ProjectDto> projects = this.usage.projects(this.mode).projects();
		model.addAttribute("projects", projects);
		model.addAttribute("projectLabels", ProjectDto.labels(projects));
		model.addAttribute("models",
				this.reports.models(null, this.mode).models().stream().map(ModelDto::model).toList());
		LocalDate last = DateRange.lastActiveDay(
				this.reports.aggregate(null, null, Period.all(), this.mode).lastActivity(), zone,
				LocalDate.ofInstant(this.clock.instant(), zone));
		model.addAttribute("defaultFrom", last.minusDays(DEFAULT_DAYS - 1).toString());
		model.addAttribute("defaultTo", last.toString());
		return VIEW_ANALYTICS;
	}

}
