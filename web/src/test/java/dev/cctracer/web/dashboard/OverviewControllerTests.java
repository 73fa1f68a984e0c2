package dev.cctracer.web.dashboard;

import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.TemporalAdjusters;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.web.analytics.AnalyticsService;
import dev.cctracer.web.session.SessionNames;
import dev.cctracer.web.session.SessionTitles;
import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.CostDto;
import dev.cctracer.web.usage.Dtos.OriginDto;
import dev.cctracer.web.usage.Dtos.OriginsDto;
import dev.cctracer.web.usage.Dtos.ProjectDto;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.LimitsProperties;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.TopSessionsService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.IndexControl;
import dev.cctracer.worker.PathProblem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.then;

/**
 * Tests for {@link OverviewController}.
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, OverviewController.class })
class OverviewControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	UsageService usage;

	@MockitoBean
	ReportService reports;

	@MockitoBean
	BlocksService blocks;

	@MockitoBean
	ClaudeRoots roots;

	@MockitoBean
	TopSessionsService topSessions;

	@MockitoBean
	AnalyticsService analytics;

	@MockitoBean
	SessionTitles titles;

	@MockitoBean
	SessionNames names;

	@MockitoBean
	IndexControl indexer;

	/** The page's clock: a Wednesday in the middle of a month unless a test says. */
	@MockitoBean
	Clock clock;

	private static final Instant WEDNESDAY = Instant.parse("2026-01-14T12:00:00Z");

	@BeforeEach
	void itIsAWednesday() {
		given(this.clock.instant()).willReturn(WEDNESDAY);
	}

	@BeforeEach
	void titlesAsGiven() {
		given(this.titles.withFirstPrompts(any())).willAnswer((call) -> call.getArgument(0));
	}

	private static final ZoneId UTC = ZoneId.of("UTC");

	private static final String UNTITLED = "bbbbbbbb-0000-4000-8000-000000000002";

	private static final AnalyticsService.TopToolsDto NO_TOOLS = new AnalyticsService.TopToolsDto(List.of(), true,
			"/api/tools", null);

	/** No hook statistics yet: the page's script asks for them. */
	@BeforeEach
	void noHookStatisticsYet() {
		given(this.analytics.failingHooks(8)).willReturn(
				new AnalyticsService.HookStatsDto(List.of(), 0, 0, 0, 0, 0, 0, 0, null, false, "/api/hooks", null));
	}

	/** Five files, clean; the fixtures' totals, chart and projects; one machine. */
	private void givenOneMachineWithData() {
		given(this.usage.indexCounts()).willReturn(Map.of("known", 5L, "invalid", 0L, "overlong", 0L));
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.daily(isNull(), isNull(), any(), any())).willReturn(PageFixtures.daily());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.usage.origins(any())).willReturn(new OriginsDto(List.of()));
	}

	/** A weekly cost limit of $100 and a monthly budget of $400; no active block. */
	private void givenAWeeklyLimitOf100AndAMonthlyBudgetOf400() {
		given(this.blocks.blocks(isNull(), any(), any(), anyLong())).willReturn(new BlocksService.BlocksDto("UTC", null,
				null, List.of(), null, List.of(), new LimitsProperties(null, null, null, 100.0, 400.0)));
	}

	private static AggregateDto costing(double cost, long tokens) {
		return new AggregateDto(PageFixtures.tokens(), tokens, cost, 2, 1L, 10, null, null, 0, "calculate", 0, 0, 0.0,
				new CostDto(0, cost / 2, 0, cost / 2, 0, cost), 94.66);
	}

	@Test
	void aLineStampedInTheFutureDoesNotMoveTheDefaultRange() {
		givenOneMachineWithData();
		given(this.reports.aggregate(isNull(), isNull(), any(), any()))
			.willReturn(new AggregateDto(PageFixtures.tokens(), 985_200, 12.3456, 3, 2L, 120, "2026-01-05T08:00:00Z",
					"9999-12-31T23:59:59Z", 0, "calculate", 0, 0, 0.0, PageFixtures.aggregate().cost(), 94.66));
		given(this.blocks.blocks(isNull(), any(), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", null, null, List.of(), null, List.of(), null));
		given(this.analytics.topToolsByCost(8)).willReturn(NO_TOOLS);
		LocalDate today = LocalDate.ofInstant(WEDNESDAY, UTC);
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains(today.toString())
			.doesNotContain("9999-12-")
			// a clean index: both banners in the page, hidden, for a live refresh to show
			.contains("id=\"quality\" data-live hidden=\"hidden\"", "id=\"not-read\" data-live hidden=\"hidden\"");
		then(this.reports).should()
			.daily(isNull(), isNull(), eq(Period.days(today.minusDays(29), today, ZoneId.of("UTC"))), any());
	}

	@Test
	void overviewShowsTotalsChartTopProjectsAndTheQualityBanner() {
		given(this.usage.indexCounts()).willReturn(Map.of("known", 5L, "invalid", 2L, "overlong", 1L));
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.daily(isNull(), isNull(),
				eq(Period.days(LocalDate.parse("2025-12-11"), LocalDate.parse("2026-01-09"), ZoneId.of("UTC"))), any()))
			.willReturn(PageFixtures.daily());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.usage.origins(any())).willReturn(new OriginsDto(List.of(
				new OriginDto("laptop-a", List.of("/Users/a/.claude/projects"), 3, 2, PageFixtures.tokens(), 985_200,
						10.0, 100, null, "2026-01-09T10:00:00Z"),
				new OriginDto("laptop-b", List.of("/Users/b/.claude/projects"), 1, 1, PageFixtures.tokens(), 985_200,
						2.3456, 20, null, "2026-01-08T10:00:00Z"))));
		given(this.blocks.blocks(isNull(), any(), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", null, null, List.of(), null, List.of(), null));
		given(this.analytics.topToolsByCost(8)).willReturn(NO_TOOLS);
		// the projects' cost in the page's range (the 30 days to the last activity)
		List<ProjectDto> projects = PageFixtures.projects().projects();
		given(this.topSessions.mostExpensiveProjects(isNull(),
				eq(Period.days(LocalDate.parse("2025-12-11"), LocalDate.parse("2026-01-09"), ZoneId.of("UTC"))), eq(8),
				any()))
			.willReturn(List.of(new TopSessionsService.RankedProjectDto(projects.get(0), 3, 985_200, 7.25),
					new TopSessionsService.RankedProjectDto(projects.get(1), 1, 1_000, 0.5)));
		given(this.indexer.lastProblems())
			.willReturn(List.of(new PathProblem(System.getProperty("user.home") + "/.claude/projects/-x/a.jsonl",
					"its usage sums pass 64 bits (…): not a real transcript's counts")));
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.hasViewName("dashboard/overview")
			.satisfies((result) -> assertThat(result.getResponse().getHeader("Content-Security-Policy"))
				.contains("script-src 'self'"))
			.bodyText()
			.contains("$12.35")
			.contains("985.2K")
			.contains("2</span> malformed and")
			.containsPattern("id=\"not-read\" data-live>\\s*<span>1 path</span> under the Claude dirs")
			.contains("href=\"/admin#path-problems-lead\"")
			.contains("data-chart=\"{&quot;kind&quot;:&quot;stacked-bar&quot;")
			.contains("/home/me/repo")
			.contains("No activity in the last five hours.")
			.contains("By machine")
			.containsSubsequence("laptop-a", "/Users/a/.claude/projects", "$10.00", "laptop-b", "$2.35")
			// most expensive in the range first, with their cost in it, not all time's
			.containsSubsequence("Top projects by cost", "(their usage in", "/home/me/repo", "$7.25", "/home/me/other",
					"$0.50");
	}

	@Test
	void overviewOfOneMachineFiltersTotalsAndChart() {
		given(this.usage.indexCounts()).willReturn(Map.of("known", 5L, "invalid", 0L, "overlong", 0L));
		given(this.reports.aggregate(isNull(), eq("laptop-b"), any(), any())).willReturn(PageFixtures.aggregate());
		// every machine's month, for the budget (the machine's own is $12.35)
		LocalDate today = LocalDate.ofInstant(WEDNESDAY, UTC);
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(today.withDayOfMonth(1), today, UTC)), any()))
			.willReturn(costing(60, 600_000));
		given(this.reports.daily(isNull(), eq("laptop-b"), any(), any())).willReturn(PageFixtures.daily());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.usage.origins(any())).willReturn(new OriginsDto(List.of(
				new OriginDto("laptop-a", List.of("/a"), 3, 2, PageFixtures.tokens(), 1, 10.0, 100, null, null),
				new OriginDto("laptop-b", List.of("/b"), 1, 1, PageFixtures.tokens(), 1, 2.0, 20, null, null))));
		given(this.blocks.blocks(isNull(), any(), any(), anyLong())).willReturn(new BlocksService.BlocksDto("UTC", null,
				null, List.of(), null, List.of(), new LimitsProperties(null, null, null, null, 100.0)));
		given(this.analytics.topToolsByCost(8)).willReturn(NO_TOOLS);
		assertThat(this.mvc.get().uri("/?origin=laptop-b").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			// the budget counts every machine: $60 of $100
			.contains("60.0% of the monthly budget ($100.00)")
			.contains("· machine laptop-b")
			.contains("<option value=\"laptop-b\" selected=\"selected\">laptop-b</option>");
	}

	@Test
	void overviewWithoutLogsSaysWhereItLookedAndOffersTheDemo() {
		given(this.usage.indexCounts()).willReturn(Map.of("known", 0L, "invalid", 0L, "overlong", 0L));
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(PageFixtures.aggregate());
		given(this.roots.candidates()).willReturn(List.of(Path.of("/Users/me/.claude/projects")));
		assertThat(this.mvc.get().uri("/")).hasStatusOk()
			.bodyText()
			.contains("No Claude Code logs yet")
			.contains("/Users/me/.claude/projects")
			.contains("action=\"/demo\"")
			.contains("name=\"_csrf\"");
	}

	@Test
	void overviewShowsSpendByPeriodTheWeekAgainstItsLimitTopSessionsAndTools() {
		LocalDate today = LocalDate.ofInstant(WEDNESDAY, UTC);
		LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
		given(this.usage.indexCounts()).willReturn(Map.of("known", 5L, "invalid", 0L, "overlong", 0L));
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(today, today, UTC)), any()))
			.willReturn(costing(1.5, 1_500));
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(monday, today, UTC)), any()))
			.willReturn(costing(7.25, 72_500));
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(today.withDayOfMonth(1), today, UTC)), any()))
			.willReturn(costing(20, 2_000_000));
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(today.minusDays(29), today, UTC)), any()))
			.willReturn(costing(31, 3_100_000));
		given(this.reports.daily(isNull(), isNull(), any(), any())).willReturn(PageFixtures.daily());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.usage.origins(any())).willReturn(new OriginsDto(List.of()));
		givenAWeeklyLimitOf100AndAMonthlyBudgetOf400();
		given(this.topSessions.mostExpensive(isNull(),
				eq(Period.days(LocalDate.parse("2025-12-11"), LocalDate.parse("2026-01-09"), UTC)), eq(8), any()))
			.willReturn(List.of(
					new TopSessionsService.RankedSessionDto(PageFixtures.PROJECT,
							PageFixtures.session(PageFixtures.SESSION), 40_000, 0.75),
					new TopSessionsService.RankedSessionDto(PageFixtures.PROJECT, PageFixtures.session(UNTITLED, null),
							30_000, 0.5)));
		// a session without a title is shown by its first prompt, as in the session lists
		given(this.titles.withFirstPrompts(any()))
			.willAnswer((call) -> ((List<SessionDto>) call.getArgument(0)).stream()
				.map((s) -> (s.title() != null) ? s : s.withFirstPrompt("Rename the tests"))
				.toList());
		given(this.topSessions.mostExpensiveSubagents(isNull(),
				eq(Period.days(LocalDate.parse("2025-12-11"), LocalDate.parse("2026-01-09"), UTC)), eq(8), any()))
			.willReturn(List.of(
					new TopSessionsService.RankedSubagentDto(PageFixtures.PROJECT, PageFixtures.SESSION, "a1",
							"reviewer", false, 6, 1_200, 0.34),
					new TopSessionsService.RankedSubagentDto(PageFixtures.PROJECT, PageFixtures.SESSION, "side1",
							"side1", true, 2, 300, 0.02)));
		given(this.names.of(List.of(PageFixtures.PROJECT + "/" + PageFixtures.SESSION,
				PageFixtures.PROJECT + "/" + PageFixtures.SESSION)))
			.willReturn(Map.of(PageFixtures.PROJECT + "/" + PageFixtures.SESSION, "Fix the login form"));
		given(this.analytics.topToolsByCost(8)).willReturn(new AnalyticsService.TopToolsDto(
				List.of(new AnalyticsService.ToolCostDto("Bash", 120, 3, 500_000, 4.2, 0.31, 1, 0),
						new AnalyticsService.ToolCostDto("Read", 80, 0, 90_000, 0.75, 0, 0, 0)),
				true, "/api/tools", "2026-01-09T09:41:00Z",
				List.of(new AnalyticsService.FailedCallDto("Bash", "failed", PageFixtures.PROJECT, PageFixtures.SESSION,
						null, "2026-01-09T09:40:00Z", "uuid-f", "Exit code 1 <b>boom</b>"))));
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			// the failed calls themselves, each linked to its result's entry
			.containsSubsequence("Recent failed calls",
					"href=\"/projects/" + PageFixtures.PROJECT + "/sessions/" + PageFixtures.SESSION
							+ "/messages/uuid-f?agent=\"",
					"2026-01-09 09:40:00", "Bash", "failed", "Exit code 1 &lt;b&gt;boom&lt;/b&gt;")
			// computed for an earlier data version: says when
			.contains("As computed at 2026-01-09 09:41:00; the data has changed since.")
			// and the page's script computes them again
			.contains("id=\"top-tools-as-of\" data-job-start=\"/api/tools\"")
			.containsSubsequence("id=\"period-today\"", "Today", "$1.50", "1.5K tokens", today.toString(),
					"id=\"period-week\"", "This week", "$7.25", "72.5K tokens", "id=\"period-month\"", "This month",
					"$20.00", "2.00M tokens", "id=\"period-30d\"", "Last 30 days", "$31.00", "3.10M tokens",
					(today.minusDays(29) + " – " + today), "id=\"period-all\"", "All time", "$12.35", "985.2K tokens")
			// the week against the weekly cost limit, with a progress bar
			.contains("7.3% of the weekly cost limit ($100.00)")
			// the month ($20.00 so far) against its budget
			.contains("5.0% of the monthly budget ($400.00)")
			.contains("since " + today.withDayOfMonth(1))
			.contains("style=\"width: 7.25%\"")
			.contains("id=\"week-cost-meter\" role=\"progressbar\"")
			.contains("aria-valuenow=\"7\"")
			.contains("aria-label=\"Share of the weekly cost limit\"")
			// no range asked: the 30 days to the last activity, every day a bar
			.contains("Cost per day by model (30 days, 2025-12-11 to 2026-01-09)")
			.contains("&quot;x&quot;:[&quot;2025-12-11&quot;,&quot;2025-12-12&quot;")
			.contains("&quot;data&quot;:[0.0,0.0,")
			.contains("href=\"/reports?from=2025-12-11&amp;to=2026-01-09\"")
			// where the range's cost went, by kind, and the cache-hit rate
			.containsSubsequence("Where the cost went", "Input", "1.2K", "$0.01", "0.1%", "Output", "34.0K", "$5.00",
					"40.5%", "Cache writes", "50.0K", "$1.88", "15.2%", "Cache reads", "900.0K", "$5.36", "43.4%",
					"Web searches", "$0.10", "0.8%", "Cache hit rate 94.7%")
			.containsSubsequence("Top sessions by cost",
					"href=\"/projects/-home-me-repo/sessions/" + PageFixtures.SESSION + "\" title=\""
							+ PageFixtures.SESSION + "\">Fix the login form</a>",
					// its usage in the range, then its whole cost
					"/home/me/repo", "40.0K", "$0.75", "$1.10",
					"href=\"/projects/-home-me-repo/sessions/" + UNTITLED + "\" title=\"" + UNTITLED
							+ "\">Rename the tests</a>")
			// the most expensive subagent one click away: its view of its session
			.containsSubsequence("Top subagents by cost",
					"href=\"/projects/-home-me-repo/sessions/" + PageFixtures.SESSION + "?agent=a1\">reviewer</a>",
					// its session by title, not the id's first characters
					"href=\"/projects/-home-me-repo/sessions/" + PageFixtures.SESSION + "\" title=\""
							+ PageFixtures.SESSION + "\">Fix the login form</a>",
					">6<", "1.2K", "$0.34",
					"href=\"/projects/-home-me-repo/sessions/" + PageFixtures.SESSION + "\">side1 (sidechain)</a>")
			.containsSubsequence("Top tools by cost", "Bash", "120", ">3<", " (1 declined)<", "500.0K", "$4.20",
					"$0.31", "Read", "$0.75")
			.doesNotContain("Computing tool statistics");
	}

	/**
	 * On a Monday that is a month's first, today, this week and this month are one day:
	 * the three cards show that day's spend, and the week's limit counts it (the test
	 * that fixed no clock failed on every Monday: its week's answer was taken for today).
	 * The day is the browser's zone's: at 02:00 UTC it is still Sunday in Los Angeles.
	 */
	@Test
	void onAMondayThatIsTheFirstTodayTheWeekAndTheMonthAreOneDay() {
		Instant mondayMorning = Instant.parse("2026-06-01T09:00:00Z");
		given(this.clock.instant()).willReturn(mondayMorning);
		LocalDate monday = LocalDate.parse("2026-06-01");
		givenOneMachineWithData();
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(monday, monday, UTC)), any()))
			.willReturn(costing(1.5, 1_500));
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(monday.minusDays(29), monday, UTC)), any()))
			.willReturn(costing(31, 3_100_000));
		givenAWeeklyLimitOf100AndAMonthlyBudgetOf400();
		given(this.analytics.topToolsByCost(8)).willReturn(NO_TOOLS);
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.containsSubsequence("id=\"period-today\"", "$1.50", "2026-06-01", "id=\"period-week\"", "$1.50",
					"2026-06-01", "id=\"period-month\"", "$1.50", "2026-06-01", "id=\"period-30d\"", "$31.00",
					"2026-05-03 – 2026-06-01")
			.contains("1.5% of the weekly cost limit ($100.00)")
			.contains("since 2026-06-01");
		// seven hours earlier in Los Angeles: Sunday the 31st of May, its week from the
		// 25th
		LocalDate sunday = LocalDate.parse("2026-05-31");
		ZoneId la = ZoneId.of("America/Los_Angeles");
		given(this.clock.instant()).willReturn(Instant.parse("2026-06-01T02:00:00Z"));
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(sunday, sunday, la)), any()))
			.willReturn(costing(2, 2_000));
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(LocalDate.parse("2026-05-25"), sunday, la)),
				any()))
			.willReturn(costing(9, 9_000));
		given(this.reports.aggregate(isNull(), isNull(), eq(Period.days(sunday.withDayOfMonth(1), sunday, la)), any()))
			.willReturn(costing(40, 40_000));
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", la.getId()))).hasStatusOk()
			.bodyText()
			.containsSubsequence("id=\"period-today\"", "$2.00", "2026-05-31", "id=\"period-week\"", "$9.00",
					"2026-05-25 – 2026-05-31", "id=\"period-month\"", "$40.00", "2026-05-01 – 2026-05-31")
			.contains("9.0% of the weekly cost limit ($100.00)");
	}

	@Test
	void overviewSaysToolStatisticsAreComputingAndLetsItsScriptStartTheirJob() {
		givenOneMachineWithData();
		given(this.blocks.blocks(isNull(), any(), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", null, null, List.of(), null, List.of(), null));
		given(this.analytics.topToolsByCost(8))
			.willReturn(new AnalyticsService.TopToolsDto(List.of(), false, "/api/tools", null));
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("<div class=\"job-wait\" data-job-start=\"/api/tools\">")
			.contains("<p class=\"muted job-status\">Computing tool statistics…</p>")
			.contains("No session had usage in this range.")
			.contains("Set <code>cctracer.limits.weekly-tokens</code>")
			.contains("Set <code>cctracer.limits.monthly-budget-usd</code>");
	}

	/**
	 * Failing hooks: while not computed the page's script starts their job; computed,
	 * each failing command with its sessions and its latest error linked to that
	 * session's hooks panel (the command escaped as text); none ran: said so.
	 */
	@Test
	void overviewListsFailingHooksOrSaysNoneRan() {
		givenOneMachineWithData();
		given(this.blocks.blocks(isNull(), any(), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", null, null, List.of(), null, List.of(), null));
		given(this.analytics.topToolsByCost(8)).willReturn(NO_TOOLS);
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("data-job-start=\"/api/hooks\" data-job-label=\"Hook statistics\"")
			.contains("Reading the transcripts for hooks…");
		given(this.analytics.failingHooks(8)).willReturn(new AnalyticsService.HookStatsDto(
				List.of(new AnalyticsService.HookStatDto("Stop", "notify-send <done>", 118, 118, 0, 5, 5, List.of(127),
						"notify-send: command not found", "2026-06-03T16:10:00.220Z", "-Users-devuser",
						"bbcc8ddc-b6cc-49f8-9a69-2da4f470d270")),
				1, 2, 124, 118, 0, 36, 3, "laptop", true, "/api/hooks", null));
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("124 runs of 2 hook commands: 118 failed, 0 blocked.")
			.doesNotContain("shown; all of them")
			.contains("From 36 transcripts on laptop; 3 not read (another machine&#39;s, or gone since listed).")
			.containsSubsequence("id=\"failing-hooks\"", "Stop", "notify-send &lt;done&gt;", ">118<", "5 of 5", "127",
					"href=\"/projects/-Users-devuser/sessions/bbcc8ddc-b6cc-49f8-9a69-2da4f470d270#hooks-panel\"",
					"2026-06-03 16:10:00", "notify-send: command not found")
			.doesNotContain("Reading the transcripts for hooks…");
		given(this.analytics.failingHooks(8)).willReturn(
				new AnalyticsService.HookStatsDto(List.of(), 0, 0, 0, 0, 0, 36, 0, "laptop", true, "/api/hooks", null));
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("No hook ran:")
			.doesNotContain("hook commands:");
	}

	/**
	 * The current block holds one response (no span): its share of the limits without a
	 * burn rate or a projection, and no empty "(projected )".
	 */
	@Test
	void overviewShowsABlockWithoutABurnRateWithoutProjections() {
		givenOneMachineWithData();
		BlocksService.BlockDto one = new BlocksService.BlockDto("2026-01-09T08:00:00Z", "2026-01-09T13:00:00Z",
				"2026-01-09T08:12:00Z", true, PageFixtures.tokens(), 985_200, 0.19, 1, List.of(PageFixtures.MODEL),
				null, null, null, null, 9.852, 19.0, null, null, 0, 0);
		given(this.blocks.blocks(isNull(), any(), any(), anyLong())).willReturn(new BlocksService.BlocksDto("UTC", null,
				null, List.of(one), one, List.of(), new LimitsProperties(10_000_000L, 1.0, null, null, 1.0)));
		given(this.analytics.topToolsByCost(8)).willReturn(NO_TOOLS);
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			// the month's $12.35 past a $1 budget: said in a banner
			.contains("Over the monthly budget of $1.00.")
			.contains("of the monthly budget ($1.00)")
			.contains("9.9% of the token limit</span>")
			.contains("19.0% of the cost limit</span>")
			.doesNotContain("burn")
			.doesNotContain("projected");
	}

	@Test
	void overviewHonoursTheDateRangeInChartSessionsAndLinks() {
		given(this.usage.indexCounts()).willReturn(Map.of("known", 5L, "invalid", 0L, "overlong", 0L));
		Period range = Period.days(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-03"), UTC);
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.aggregate(isNull(), isNull(), eq(range), any())).willReturn(costing(4.56, 45_600));
		given(this.reports.daily(isNull(), isNull(), eq(range), any())).willReturn(PageFixtures.daily());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.usage.origins(any())).willReturn(new OriginsDto(List.of()));
		given(this.blocks.blocks(isNull(), any(), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", null, null, List.of(), null, List.of(), null));
		given(this.analytics.topToolsByCost(8)).willReturn(NO_TOOLS);
		assertThat(this.mvc.get().uri("/?from=2026-01-01&to=2026-01-03").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("Cost per day by model (3 days, 2026-01-01 to 2026-01-03)")
			.contains("&quot;x&quot;:[&quot;2026-01-01&quot;,&quot;2026-01-02&quot;,&quot;2026-01-03&quot;]")
			.contains("<input type=\"date\" name=\"from\" id=\"range-from\" value=\"2026-01-01\">")
			.containsSubsequence("Range: 2026-01-01 – 2026-01-03", "$4.56", "45.6K tokens")
			.contains("href=\"/reports?from=2026-01-01&amp;to=2026-01-03\"")
			.contains("(their usage in 2026-01-01 – 2026-01-03)")
			.contains("<a href=\"/?from=&amp;to=\" class=\"preset\">All</a>");
		assertThat(this.mvc.get().uri("/?from=2026-02-01&to=2026-01-01")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("from must not be after to");
		assertThat(this.mvc.get().uri("/?from=yesterday")).hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void unknownPageIsA404() {
		assertThat(this.mvc.get().uri("/no-such-page")).hasStatus(HttpStatus.NOT_FOUND);
	}

}
