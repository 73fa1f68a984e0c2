package dev.cctracer.web.session;

import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.Dtos;
import dev.cctracer.web.usage.Dtos.SessionDto;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;

/**
 * Tests for {@link SessionListController}.
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, SessionListController.class })
class SessionListControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	SessionListService sessions;

	@MockitoBean
	UsageService usage;

	@MockitoBean
	ReportService reports;

	@MockitoBean
	ClaudeRoots roots;

	private static SessionDto untitled(String id, String project, String prompt) {
		return new SessionDto(id, "/home/me/other", "2026-01-08T09:00:00Z", "2026-01-08T09:30:00Z", 1800L, 3, 0, 0, 0,
				PageFixtures.tokens(), 12_345, new Dtos.CostDto(0, 0, 0, 0, 0, 0.25), List.of("claude-opus-4-6"),
				"completed", 0, List.of(), null, null, 0, 0, 0, project, prompt);
	}

	private void lists() {
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.reports.models(any(), any())).willReturn(PageFixtures.models());
	}

	@Test
	void listSessionsShowsEachByTitleWithItsProjectCostAndShortModels() {
		lists();
		given(this.sessions.page(any(), any(), eq(SessionListController.PER_PAGE), any()))
			.willReturn(
					new Dtos.SessionsDto(
							List.of(PageFixtures.session(PageFixtures.SESSION),
									untitled("11111111-2222-4333-8444-555555555555", "-home-me-other",
											"Why is CI red?"),
									untitled("99999999-2222-4333-8444-555555555555", "-home-me-other", null)),
							30, "CURSOR1"));
		assertThat(this.mvc.get().uri("/sessions")).hasStatusOk()
			.hasViewName("sessions/sessionList")
			.bodyText()
			.contains("<a href=\"/sessions\" class=\"active\">Sessions</a>")
			.contains(">30 sessions<")
			.containsSubsequence(
					"href=\"/projects/" + PageFixtures.PROJECT + "/sessions/" + PageFixtures.SESSION + "\" title=\""
							+ PageFixtures.SESSION + "\">Fix the login form</a>",
					"href=\"/projects/-home-me-other/sessions/11111111-2222-4333-8444-555555555555\"",
					">Why is CI red?</a>", "<a href=\"/projects/-home-me-other\">/home/me/other</a>",
					"<td class=\"num\">30m 00s</td>", "<td class=\"num\">12.3K</td>", "<span>$0.25</span>",
					"<td>Opus 4.6</td>", ">99999999</a>")
			.contains("aria-sort=\"descending\"><a href=\"/sessions?sort=start_time&amp;order=asc\">Started ▼</a>")
			.contains("<a href=\"/sessions?sort=cost&amp;order=desc\">Cost</a>")
			.contains("id=\"next-all-sessions\" href=\"/sessions?sort=start_time&amp;order=desc&amp;cursor=CURSOR1\"")
			.contains("<option value=\"claude-sonnet-4-5-20250929\">Sonnet 4.5</option>");
	}

	@Test
	void listSessionsShowsToolCallsAndFailedCallsSortableByEither() {
		lists();
		SessionDto failing = new SessionDto("22222222-2222-4333-8444-555555555555", "/home/me/other",
				"2026-01-08T09:00:00Z", "2026-01-08T09:30:00Z", 1800L, 3, 12, 3, 0, PageFixtures.tokens(), 12_345,
				new Dtos.CostDto(0, 0, 0, 0, 0, 0.25), List.of("claude-opus-4-6"), "completed", 0, List.of(), "Flaky",
				null, 0, 0, 0, "-home-me-other", null);
		given(this.sessions.page(argThat((q) -> q != null && "errors".equals(q.sort()) && "desc".equals(q.order())),
				any(), eq(SessionListController.PER_PAGE), any()))
			.willReturn(new Dtos.SessionsDto(List.of(failing), 1, null));
		assertThat(this.mvc.get().uri("/sessions?sort=errors&order=desc")).hasStatusOk()
			.bodyText()
			.contains("aria-sort=\"descending\" class=\"num\"><a href=\"/sessions?sort=errors&amp;order=asc\" "
					+ "title=\"tool calls whose result failed (is_error)\">Failed calls ▼</a>")
			.contains("<a href=\"/sessions?sort=tool_calls&amp;order=desc\">Tool calls</a>")
			.containsSubsequence(">Flaky</a>", "<td class=\"num\">3</td>", "<td class=\"num\">12</td>",
					"<td class=\"num failed\">3</td>", "<td class=\"num\">12.3K</td>");
	}

	@Test
	void listSessionsKeepsItsFiltersInTheSortLinksAndPassesThemOn() {
		lists();
		given(this.sessions.page(argThat((q) -> q != null && "cost".equals(q.sort())
				&& "-home-me-repo".equals(q.project()) && "login".equals(q.q()) && "2026-01-01".equals(q.from())),
				any(), anyInt(), any()))
			.willReturn(new Dtos.SessionsDto(List.of(), 0, null));
		assertThat(this.mvc.get().uri("/sessions?sort=cost&order=asc&project=-home-me-repo&q=login&from=2026-01-01"))
			.hasStatusOk()
			.bodyText()
			.contains(">No session matches.<")
			.contains("<option value=\"-home-me-repo\" selected=\"selected\">/home/me/repo</option>")
			.contains("value=\"login\"")
			.contains(
					"href=\"/sessions?project=-home-me-repo&amp;from=2026-01-01&amp;q=login&amp;sort=cost&amp;order=desc\">Cost ▲</a>")
			.doesNotContain("next-all-sessions");
	}

	@Test
	void listSessionsWithAnUnknownSortIsA400Page() {
		lists();
		given(this.sessions.page(any(), any(), anyInt(), any()))
			.willThrow(new IllegalArgumentException("sort must be one of start_time, end_time, cost"));
		assertThat(this.mvc.get().uri("/sessions?sort=evil")).hasStatus(HttpStatus.BAD_REQUEST)
			.bodyText()
			.contains("sort must be one of");
	}

}
