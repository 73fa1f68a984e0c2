package dev.cctracer.web.dashboard;

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

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.web.analytics.AnalyticsService;
import dev.cctracer.web.session.SessionTitles;
import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;

/**
 * Tests for {@link ProjectController}.
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, ProjectController.class })
class ProjectControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	UsageService usage;

	@MockitoBean
	ReportService reports;

	@MockitoBean
	ClaudeRoots roots;

	@MockitoBean
	SessionTitles titles;

	@MockitoBean
	AnalyticsService analytics;

	@BeforeEach
	void titlesAsGiven() {
		given(this.titles.withFirstPrompts(any())).willAnswer((call) -> call.getArgument(0));
		given(this.analytics.projectHooks(any(), anyInt())).willReturn(new AnalyticsService.HookStatsDto(List.of(), 0,
				0, 0, 0, 0, 0, 0, null, false, "/api/projects/" + PageFixtures.PROJECT + "/hooks", null));
	}

	@Test
	void listProjectsSearchesAndSorts() {
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		assertThat(this.mvc.get().uri("/projects?q=OTHER")).hasStatusOk()
			.bodyText()
			.contains("/home/me/other")
			.doesNotContain(">/home/me/repo<");
		assertThat(this.mvc.get().uri("/projects?sort=cost&dir=asc")).hasStatusOk()
			.bodyText()
			.containsSubsequence(">/home/me/other<", ">/home/me/repo<");
		assertThat(this.mvc.get().uri("/projects?sort=cost&dir=desc")).hasStatusOk()
			.bodyText()
			.containsSubsequence(">/home/me/repo<", ">/home/me/other<");
	}

	/**
	 * Two project dirs of one path (two machines' copies): each row names its dir too.
	 */
	@Test
	void listProjectsTellsProjectsOfOnePathApart() {
		given(this.usage.projects(any()))
			.willReturn(new Dtos.ProjectsDto(List.of(PageFixtures.project("-home-me-repo", "/home/me/repo", 2),
					PageFixtures.project("-home-me-repo-copy", "/home/me/repo", 1))));
		assertThat(this.mvc.get().uri("/projects?sort=cost&dir=desc")).hasStatusOk()
			.bodyText()
			.containsSubsequence(">/home/me/repo (-home-me-repo)<", ">/home/me/repo (-home-me-repo-copy)<");
	}

	@Test
	void aCostThatIsNotAllListedPricesSaysSo() {
		Dtos.ProjectDto p = PageFixtures.project(PageFixtures.PROJECT, "/home/me/repo", 2.5);
		given(this.usage.projects(any())).willReturn(new Dtos.ProjectsDto(List
			.of(new Dtos.ProjectDto(p.pathHash(), p.projectPath(), p.sessionCount(), p.tokens(), p.totalTokens(),
					p.totalCost(), p.firstActivity(), p.lastActivity(), p.messageCount(), 1, 3, 0))));
		assertThat(this.mvc.get().uri("/projects")).hasStatusOk()
			.bodyText()
			.contains("3 estimated")
			.contains("1 unpriced");
	}

	@Test
	void listProjectsWithAnUnknownSortIsA400Page() {
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		assertThat(this.mvc.get().uri("/projects?sort=evil")).hasStatus(HttpStatus.BAD_REQUEST)
			.hasViewName("error")
			.bodyText()
			.contains("sort must be one of");
		// a direction as the session lists answer one: a 400 that says so, not silence
		assertThat(this.mvc.get().uri("/projects?sort=cost&dir=sideways")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("dir must be asc or desc");
	}

	@Test
	void showProjectHasSessionsChartAndModels() {
		given(this.usage.sessions(eq(PageFixtures.PROJECT), eq("start_time"), eq("desc"), anyInt(), isNull(), any()))
			.willReturn(PageFixtures.sessions());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.reports.daily(eq(PageFixtures.PROJECT), isNull(), any(), any())).willReturn(PageFixtures.daily());
		given(this.reports.models(eq(PageFixtures.PROJECT), any(), any())).willReturn(PageFixtures.models());
		given(this.reports.aggregate(eq(PageFixtures.PROJECT), isNull(), eq(Period.all()), any()))
			.willReturn(PageFixtures.aggregate());
		assertThat(this.mvc.get().uri("/projects/" + PageFixtures.PROJECT)).hasStatusOk()
			.hasViewName("dashboard/projectDetails")
			.bodyText()
			// where its cost went as the page opens (all time), not only in a range
			.containsSubsequence("Where the cost went", "(all time)", "Cache reads", "$5.36", "43.4%",
					"Cache hit rate 94.7%")
			.contains("/projects/" + PageFixtures.PROJECT + "/sessions/" + PageFixtures.SESSION)
			.contains("badge completed")
			.contains(PageFixtures.MODEL)
			// its 40 messages, 12 tool calls, 1 failed: sortable by either count
			.containsSubsequence("sort=tool_calls&amp;order=desc\"", ">Tool calls</a>", "sort=errors&amp;order=desc\"",
					">Failed calls</a>", "<td class=\"num\">40</td>", "<td class=\"num\">12</td>",
					"<td class=\"num failed\">1</td>")
			.contains("data-job-chart=\"/api/projects/" + PageFixtures.PROJECT + "/tools\"")
			// its hooks not computed yet: the page's script asks the project's job
			.contains("data-job-start=\"/api/projects/" + PageFixtures.PROJECT + "/hooks\"");
		// computed: every hook command of the project, a blocking one too
		given(this.analytics.projectHooks(PageFixtures.PROJECT, ProjectController.HOOKS))
			.willReturn(new AnalyticsService.HookStatsDto(
					List.of(new AnalyticsService.HookStatDto("PreToolUse", "guard.sh", 40, 0, 3, 6, 2, List.of(2),
							"rm -rf is not allowed", "2026-01-09T10:00:00Z", PageFixtures.PROJECT,
							PageFixtures.SESSION),
							new AnalyticsService.HookStatDto("PostToolUse", "fmt.sh", 40, 0, 0, 6, 0, List.of(), null,
									null, null, null)),
					35, 35, 80, 0, 3, 6, 0, "laptop", true, "/api/projects/" + PageFixtures.PROJECT + "/hooks", null));
		assertThat(this.mvc.get().uri("/projects/" + PageFixtures.PROJECT).cookie(new Cookie("tz", "UTC")))
			.hasStatusOk()
			.bodyText()
			.contains("80 runs of 35 hook commands: 0 failed, 3 blocked.")
			.contains("The first 2 of 35 shown; all of them:")
			.containsSubsequence("id=\"project-hooks\"", "PreToolUse", "guard.sh", ">3<", "2 of 6",
					"href=\"/projects/" + PageFixtures.PROJECT + "/sessions/" + PageFixtures.SESSION + "#hooks-panel\"",
					"2026-01-09 10:00:00", "rm -rf is not allowed", "PostToolUse", "fmt.sh")
			.doesNotContain("Reading the transcripts for hooks");
	}

	@Test
	void showProjectHonoursTheDateRangeInChartModelsAndTotals() {
		ZoneId utc = ZoneId.of("UTC");
		Period january = Period.days(LocalDate.parse("2026-01-01"), LocalDate.parse("2026-01-31"), utc);
		given(this.usage.sessions(eq(PageFixtures.PROJECT), eq("start_time"), eq("desc"), anyInt(), isNull(), any()))
			.willReturn(PageFixtures.sessions());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.reports.daily(eq(PageFixtures.PROJECT), isNull(), eq(january), any()))
			.willReturn(PageFixtures.daily());
		given(this.reports.models(eq(PageFixtures.PROJECT), eq(january), any())).willReturn(PageFixtures.models());
		given(this.reports.aggregate(eq(PageFixtures.PROJECT), isNull(), eq(january), any()))
			.willReturn(PageFixtures.aggregate());
		assertThat(this.mvc.get()
			.uri("/projects/" + PageFixtures.PROJECT + "?from=2026-01-01&to=2026-01-31")
			.cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("id=\"range-picker\"")
			.contains("value=\"2026-01-01\"")
			.containsSubsequence("id=\"range-totals\"", "Cost, 2026-01-01 – 2026-01-31", "$12.35")
			.contains("href=\"/sessions?project=" + PageFixtures.PROJECT + "&amp;from=2026-01-01&amp;to=2026-01-31\"")
			.contains("Cost per day <small class=\"muted\">(2026-01-01 – 2026-01-31)</small>")
			.contains(PageFixtures.MODEL)
			// a bar for every day of the range, $0 for the days without usage (it
			// showed the days with usage only, side by side)
			.contains("&quot;x&quot;:[&quot;2026-01-01&quot;,&quot;2026-01-02&quot;")
			.contains("&quot;2026-01-30&quot;,&quot;2026-01-31&quot;]")
			.contains("&quot;data&quot;:[0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,12.3456,0.0,");
		assertThat(this.mvc.get().uri("/projects/" + PageFixtures.PROJECT + "?from=2026-02-01&to=2026-01-01"))
			.hasStatus(HttpStatus.BAD_REQUEST);
	}

	@Test
	void showProjectNamesEachSessionByItsTitleElseItsFirstPromptElseItsId() {
		Dtos.SessionDto titled = PageFixtures.session(PageFixtures.SESSION);
		Dtos.SessionDto untitled = new Dtos.SessionDto("11111111-2222-4333-8444-555555555555", "/home/me/repo",
				"2026-01-08T09:00:00Z", "2026-01-08T09:30:00Z", 1800L, 3, 0, 0, 0, PageFixtures.tokens(), 10,
				new Dtos.CostDto(0, 0, 0, 0, 0, 0.01), List.of("claude-opus-4-6"), "completed", 0, List.of(), null,
				null, 0, 0, 0, PageFixtures.PROJECT, null);
		Dtos.SessionDto bare = new Dtos.SessionDto("99999999-2222-4333-8444-555555555555", "/home/me/repo",
				"2026-01-07T09:00:00Z", "2026-01-07T09:30:00Z", 1800L, 3, 0, 0, 0, PageFixtures.tokens(), 10,
				new Dtos.CostDto(0, 0, 0, 0, 0, 0.01), List.of(), "completed", 0, List.of(), null, null, 0, 0, 0,
				PageFixtures.PROJECT, null);
		given(this.usage.sessions(eq(PageFixtures.PROJECT), eq("start_time"), eq("desc"), anyInt(), isNull(), any()))
			.willReturn(new Dtos.SessionsDto(List.of(titled, untitled, bare), 3, null));
		given(this.titles.withFirstPrompts(any())).willReturn(
				List.of(titled, untitled.withFirstPrompt("Why does the login form reject valid emails?"), bare));
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.reports.daily(eq(PageFixtures.PROJECT), isNull(), any(), any())).willReturn(PageFixtures.daily());
		given(this.reports.models(eq(PageFixtures.PROJECT), any(), any())).willReturn(PageFixtures.models());
		assertThat(this.mvc.get().uri("/projects/" + PageFixtures.PROJECT)).hasStatusOk()
			.bodyText()
			.containsSubsequence(">Fix the login form</a>", ">Why does the login form reject valid emails?</a>",
					">99999999</a>")
			.contains(">Opus 4.6</td>")
			// the name first, as on the sessions page: on a phone it had been 8th, off
			// the screen
			.containsSubsequence("<table class=\"grid\" id=\"sessions\">", "<th>Session</th>", ">Start time", "<tr>",
					"<td class=\"text\"><a class=\"session-title\"", "<td class=\"nowrap\">");
	}

	@Test
	void showProjectUnknownIsA404PageAndMalformedA400Page() {
		given(this.usage.sessions(eq("-nope"), any(), any(), anyInt(), any(), any()))
			.willThrow(NotFoundException.project("-nope"));
		given(this.usage.sessions(eq("bad id"), any(), any(), anyInt(), any(), any()))
			.willThrow(new Ids.InvalidIdException("project", "bad id"));
		assertThat(this.mvc.get().uri("/projects/-nope")).hasStatus(HttpStatus.NOT_FOUND)
			.bodyText()
			.contains("404")
			.contains("Back to the overview");
		assertThat(this.mvc.get().uri("/projects/bad id")).hasStatus(HttpStatus.BAD_REQUEST).bodyText().contains("400");
	}

}
