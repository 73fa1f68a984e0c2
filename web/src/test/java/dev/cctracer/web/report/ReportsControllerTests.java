package dev.cctracer.web.report;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.web.system.DateRange;
import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.ModelDayDto;
import dev.cctracer.web.usage.Dtos.MonthDto;
import dev.cctracer.web.usage.Dtos.MonthlyDto;
import dev.cctracer.web.usage.Dtos.TokensDto;
import dev.cctracer.web.usage.Dtos.WeekDto;
import dev.cctracer.web.usage.Dtos.WeeklyDto;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willThrow;

/**
 * Tests for {@link ReportsController}.
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, ReportsController.class })
class ReportsControllerTests {

	private static final String OPUS = "claude-opus-4-6";

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	ReportService reports;

	@MockitoBean
	BlocksService blocks;

	@MockitoBean
	ClaudeRoots roots;

	@MockitoBean
	UsageService usage;

	private static List<ModelDayDto> twoModels() {
		return List.of(new ModelDayDto(OPUS, new TokensDto(100, 2_000, 0, 0, 0, 0), 7, 9.5, 0, 0),
				new ModelDayDto(PageFixtures.MODEL, PageFixtures.tokens(), 113, 2.8456, 0, 0));
	}

	@BeforeEach
	void projects() {
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
	}

	/**
	 * One project's reports: its numbers (the services asked for that project), the
	 * picker's presets and the exports keep it; an unknown project is a 404 page and one
	 * that is no project dir a 400 page (a user trial's {@code ?project=} was ignored
	 * without a word).
	 */
	@Test
	void reportsOfOneProjectKeepItInEveryLink() {
		Period january = Period.days(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"), ZoneId.of("UTC"));
		String p = PageFixtures.PROJECT;
		given(this.reports.aggregate(eq(p), isNull(), eq(january), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.daily(eq(p), isNull(), eq(january), any())).willReturn(PageFixtures.daily());
		given(this.reports.weekly(eq(p), isNull(), eq(january), any())).willReturn(new WeeklyDto("UTC", List.of()));
		given(this.reports.monthly(eq(p), isNull(), eq(january), any())).willReturn(new MonthlyDto("UTC", List.of()));
		given(this.blocks.blocks(eq(p), eq(january), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", null, null, List.of(), null, List.of(), null));
		assertThat(this.mvc.get()
			.uri("/reports?from=2026-01-01&to=2026-01-31&project=" + p)
			.cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("<option value=\"" + p + "\" selected=\"selected\">/home/me/repo</option>")
			.contains("<input type=\"hidden\" name=\"project\" value=\"" + p + "\">")
			.contains("&amp;project=" + p + "\" class=\"preset\">Today</a>")
			.contains("href=\"/api/exports/daily?format=csv&amp;project=" + p
					+ "&amp;from=2026-01-01&amp;to=2026-01-31&amp;tz=UTC\"")
			.contains("href=\"/api/metrics/daily?project_hash=" + p
					+ "&amp;from=2026-01-01&amp;to=2026-01-31&amp;tz=UTC\"")
			.containsSubsequence("id=\"daily-table\"", "2026-01-09", "$12.35");
		willThrow(NotFoundException.project("-nope")).given(this.usage).requireKnown("-nope", null);
		assertThat(this.mvc.get().uri("/reports?project=-nope")).hasStatus(HttpStatus.NOT_FOUND);
		willThrow(new IllegalArgumentException("project must be a project dir")).given(this.usage)
			.requireKnown("../x", null);
		assertThat(this.mvc.get().uri("/reports?project=../x")).hasStatus(HttpStatus.BAD_REQUEST);
	}

	private void givenReports(Period period) {
		given(this.reports.aggregate(isNull(), isNull(), eq(period), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.daily(isNull(), isNull(), eq(period), any())).willReturn(PageFixtures.daily());
		given(this.reports.weekly(isNull(), isNull(), eq(period), any()))
			.willReturn(new WeeklyDto("UTC", List.of(new WeekDto("2026-01-05", "2026-01-11", 1_300, 36_000, 50_000,
					900_000, 50_000, 0, 120, 12.3456, twoModels(), 0, 0, 0, 0))));
		given(this.reports.monthly(isNull(), isNull(), eq(period), any()))
			.willReturn(new MonthlyDto("UTC", List.of(new MonthDto("2026-01", 1_300, 36_000, 50_000, 900_000, 50_000, 0,
					120, 12.3456, twoModels(), 0, 0, 0, 0))));
	}

	@Test
	void reportsShowDailyWeeklyMonthlyAndBlockTablesWithModelsTotalsAndExports() {
		Period january = Period.days(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"), ZoneId.of("UTC"));
		givenReports(january);
		given(this.blocks.blocks(isNull(), eq(january), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", "2026-01-01T00:00:00Z", "2026-02-01T00:00:00Z",
					List.of(new BlocksService.BlockDto("2026-01-09T08:00:00Z", "2026-01-09T13:00:00Z",
							"2026-01-09T10:00:00Z", false, PageFixtures.tokens(), 985_200, 12.3456, 120,
							List.of(OPUS, PageFixtures.MODEL), null, null, null, null, null, null, null, null, 2, 0)),
					null, List.of(), null));
		assertThat(this.mvc.get().uri("/reports?from=2026-01-01&to=2026-01-31").cookie(new Cookie("tz", "UTC")))
			.hasStatusOk()
			.hasViewName("reports/reports")
			.bodyText()
			.contains("<a href=\"/reports\" class=\"active\">Reports</a>")
			.contains("<span class=\"muted\" id=\"range-label\">2026-01-01 – 2026-01-31 · UTC</span>")
			// daily: a row per day with its model, a totals row from the read model
			.containsSubsequence("id=\"daily-table\"", "<button type=\"button\" class=\"sort\">Cost</button>",
					"<td class=\"nowrap\" data-value=\"2026-01-09\">2026-01-09</td>",
					"<summary>" + PageFixtures.MODEL + "</summary>", "985.2K",
					"<td class=\"num\" data-value=\"120\">120</td>",
					"<td class=\"num\" data-value=\"12.3456\"><span>$12.35</span>", "<tfoot>", "Total", "985.2K",
					"$12.35")
			.contains(
					"href=\"/api/exports/daily?format=csv&amp;from=2026-01-01&amp;to=2026-01-31&amp;tz=UTC\" id=\"export-daily-csv\"")
			// weekly: Monday to Sunday, two models to open
			.containsSubsequence("id=\"weekly-table\"", "2026-01-05 – 2026-01-11", "<summary>2 models</summary>",
					OPUS + "</span>:", "$9.50 · 2.1K tokens · 7 messages", PageFixtures.MODEL + "</span>:",
					"$2.85 · 985.2K tokens · 113 messages", "$12.35")
			.contains("href=\"/api/exports/weekly?format=json&amp;from=2026-01-01&amp;to=2026-01-31&amp;tz=UTC\"")
			.contains("href=\"/api/metrics/weekly?from=2026-01-01&amp;to=2026-01-31&amp;tz=UTC\"")
			.containsSubsequence("id=\"monthly-table\"", "<td class=\"nowrap\" data-value=\"2026-01\">2026-01</td>",
					"<summary>2 models</summary>", "$12.35")
			.contains("href=\"/api/exports/monthly?format=csv&amp;from=2026-01-01&amp;to=2026-01-31&amp;tz=UTC\"")
			// blocks: the models of each, the sum of the rows
			.containsSubsequence("5-hour blocks (2026-01-01 00:00 to 2026-02-01 00:00)", "id=\"blocks-table\"",
					"2026-01-09 08:00", "2026-01-09 13:00", OPUS + ", " + PageFixtures.MODEL, "$12.35",
					">2 unpriced</span>", "<tfoot>", "985.2K", "120", "$12.35")
			.contains("href=\"/api/exports/blocks?format=csv&amp;from=2026-01-01&amp;to=2026-01-31&amp;tz=UTC\"");
	}

	@Test
	void reportsOfAllTimeSayWhereBlocksStartAndShowEmptyStates() {
		Period all = Period.days(null, null, ZoneId.of("UTC"));
		given(this.reports.aggregate(isNull(), isNull(), eq(all), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.daily(isNull(), isNull(), eq(all), any())).willReturn(new DailyDto("UTC", List.of()));
		given(this.reports.weekly(isNull(), isNull(), eq(all), any())).willReturn(new WeeklyDto("UTC", List.of()));
		given(this.reports.monthly(isNull(), isNull(), eq(all), any())).willReturn(new MonthlyDto("UTC", List.of()));
		// the blocks of the 7 days up to the last activity (2026-01-09), not of the 7
		// days before now, which hold none for logs a week old
		Period lastWeek = Period.days(LocalDate.of(2026, 1, 3), LocalDate.of(2026, 1, 9), ZoneId.of("UTC"));
		given(this.blocks.blocks(isNull(), eq(lastWeek), any(), anyLong())).willReturn(new BlocksService.BlocksDto(
				"UTC", "2026-01-03T00:00:00Z", "2026-01-10T00:00:00Z", List.of(), null, List.of(), null));
		assertThat(this.mvc.get().uri("/reports").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("all time · UTC")
			.contains("<a href=\"/reports?from=&amp;to=\" class=\"preset active\" aria-current=\"true\">All</a>")
			.contains("5-hour blocks (2026-01-03 00:00 to 2026-01-10 00:00)")
			.contains("A range without a first day shows the blocks of the 7 days up to its last activity.")
			.contains("No usage in this range.")
			.contains("No block in this range.")
			.contains("href=\"/api/exports/daily?format=csv&amp;from=&amp;to=&amp;tz=UTC\"")
			// the blocks' exports are of the days the table shows
			.contains("href=\"/api/exports/blocks?format=csv&amp;from=2026-01-03&amp;to=2026-01-09&amp;tz=UTC\"");
	}

	@Test
	void blocksOfARangeWithoutAFirstDayEndAtItsLastActivityOrItsLastDay() {
		ZoneId utc = ZoneId.of("UTC");
		LocalDate today = LocalDate.of(2026, 12, 6);
		Dtos.AggregateDto june = PageFixtures.aggregate();
		assertThat(ReportsController.blocksRange(new DateRange(null, null, utc), june, today))
			.isEqualTo(new DateRange(LocalDate.of(2026, 1, 3), LocalDate.of(2026, 1, 9), utc));
		// an end before the last activity: the 7 days up to it
		assertThat(ReportsController.blocksRange(new DateRange(null, LocalDate.of(2026, 1, 6), utc), june, today))
			.isEqualTo(new DateRange(LocalDate.of(2025, 12, 31), LocalDate.of(2026, 1, 6), utc));
		// the last activity's day in the page's zone (10:00 UTC on the 9th is the 10th at
		// UTC+14)
		ZoneId kiritimati = ZoneId.of("Pacific/Kiritimati");
		assertThat(ReportsController.blocksRange(new DateRange(null, null, kiritimati), june, today).to())
			.isEqualTo(LocalDate.of(2026, 1, 10));
		// a range with a first day is shown as asked
		DateRange asked = new DateRange(LocalDate.of(2026, 1, 1), null, utc);
		assertThat(ReportsController.blocksRange(asked, june, today)).isSameAs(asked);
	}

	@Test
	void aBadRangeIsA400Page() {
		assertThat(this.mvc.get().uri("/reports?from=2026-02-01&to=2026-01-01")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("from must not be after to");
		assertThat(this.mvc.get().uri("/reports?to=2026-13-01")).hasStatus(HttpStatus.BAD_REQUEST);
	}

}
