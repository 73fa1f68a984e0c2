package dev.cctracer.web.report;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.system.DateRange;
import dev.cctracer.web.system.PageController;
import dev.cctracer.web.system.Zones;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;

/**
 * The Reports page ({@code /reports}): the tables of {@code ccusage daily},
 * {@code weekly}, {@code monthly} and {@code blocks} over a date range in the page's
 * zone, each row with its models, a totals row, sortable, exportable as CSV or JSON; the
 * numbers of {@code /api/metrics/daily}, {@code weekly}, {@code monthly} and
 * {@code blocks}.
 */
@Controller
class ReportsController implements PageController {

	private static final String VIEW_REPORTS = "reports/reports";

	private final ReportService reports;

	private final BlocksService blocks;

	private final CostMode mode;

	private final Clock clock;

	private final UsageService usage;

	ReportsController(ReportService reports, BlocksService blocks, CostMode mode, Clock clock, UsageService usage) {
		this.usage = usage;
		this.clock = clock;
		this.reports = reports;
		this.blocks = blocks;
		this.mode = mode;
	}

	/**
	 * @param from the first day (yyyy-MM-dd), absent or empty for open
	 * @param to the last day, absent or empty for open
	 * @param project one project dir, absent or empty for all (a 400 page when it is no
	 * project dir, a 404 page when it is not indexed: it had been ignored without a word)
	 */
	@GetMapping("/reports")
	String reports(@CookieValue(name = Zones.COOKIE, required = false) String tz,
			@RequestParam(required = false) String from, @RequestParam(required = false) String to,
			@RequestParam(required = false) String project, Model model) {
		String only = (project == null || project.isBlank()) ? null : project;
		if (only != null) {
			this.usage.requireKnown(only, null);
		}
		model.addAttribute("reportProject", only);
		model.addAttribute("projects", this.usage.projects(this.mode).projects());
		ZoneId zone = Zones.resolve(tz);
		DateRange range = DateRange.of(from, to, zone);
		Period period = range.period();
		model.addAttribute("range", range);
		// one clock for the page
		Instant now = this.clock.instant();
		LocalDate today = LocalDate.ofInstant(now, zone);
		model.addAttribute("presets", range.presets(today));
		Dtos.AggregateDto totals = this.reports.aggregate(only, null, period, this.mode);
		model.addAttribute("totals", totals);
		model.addAttribute("daily", this.reports.daily(only, null, period, this.mode));
		model.addAttribute("weekly", this.reports.weekly(only, null, period, this.mode));
		model.addAttribute("monthly", this.reports.monthly(only, null, period, this.mode));
		DateRange blocksRange = blocksRange(range, totals, today);
		model.addAttribute("blocksRange", blocksRange);
		BlocksService.BlocksDto report = this.blocks.blocks(only, blocksRange.period(), this.mode, now.toEpochMilli());
		model.addAttribute("blocks", report);
		model.addAttribute("blockTotals", BlockTotals.of(report.blocks()));
		return VIEW_REPORTS;
	}

	/**
	 * The days of the blocks table: the range asked when it has a first day, else the 7
	 * days up to its last activity (blocks are summed from every counted record, too many
	 * for all time on a large history; the API's open start is the 7 days before now,
	 * which showed no block at all for logs a week old).
	 * @param today the day of now in the range's zone, for a range without activity
	 */
	static DateRange blocksRange(DateRange range, Dtos.AggregateDto totals, LocalDate today) {
		if (range.from() != null) {
			return range;
		}
		LocalDate last = DateRange.lastActiveDay(totals.lastActivity(), range.zone(), today);
		if (range.to() != null && last.isAfter(range.to())) {
			last = range.to();
		}
		return new DateRange(last.minusDays(BLOCK_DAYS - 1), last, range.zone());
	}

	/** The days of the blocks table of a range without a first day. */
	static final int BLOCK_DAYS = 7;

}
