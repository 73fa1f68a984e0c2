package dev.cctracer.web.dashboard;

import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.Dtos.OriginDto;
import dev.cctracer.web.usage.Dtos.OriginsDto;
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
		assertThat(this.mvc.get().uri("/").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.hasViewName("dashboard/overview")
			.satisfies((result) -> assertThat(result.getResponse().getHeader("Content-Security-Policy"))
				.contains("script-src 'self'"))
			.bodyText()
			.contains("$12.35")
			.contains("985.2K")
			.contains("2</span> malformed and")
			.contains("data-chart=\"{&quot;kind&quot;:&quot;stacked-bar&quot;")
			.contains("/home/me/repo")
			.contains("No activity in the last five hours.")
			.contains("By machine")
			.containsSubsequence("laptop-a", "/Users/a/.claude/projects", "$10.00", "laptop-b", "$2.35")
			// most expensive first
			.containsSubsequence("/home/me/repo", "/home/me/other");
	}

	@Test
	void overviewOfOneMachineFiltersTotalsAndChart() {
		given(this.usage.indexCounts()).willReturn(Map.of("known", 5L, "invalid", 0L, "overlong", 0L));
		given(this.reports.aggregate(isNull(), eq("laptop-b"), any(), any())).willReturn(PageFixtures.aggregate());
		given(this.reports.daily(isNull(), eq("laptop-b"), any(), any())).willReturn(PageFixtures.daily());
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.usage.origins(any())).willReturn(new OriginsDto(List.of(
				new OriginDto("laptop-a", List.of("/a"), 3, 2, PageFixtures.tokens(), 1, 10.0, 100, null, null),
				new OriginDto("laptop-b", List.of("/b"), 1, 1, PageFixtures.tokens(), 1, 2.0, 20, null, null))));
		given(this.blocks.blocks(isNull(), any(), any(), anyLong()))
			.willReturn(new BlocksService.BlocksDto("UTC", null, null, List.of(), null, List.of(), null));
		assertThat(this.mvc.get().uri("/?origin=laptop-b")).hasStatusOk()
			.bodyText()
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
	void unknownPageIsA404() {
		assertThat(this.mvc.get().uri("/no-such-page")).hasStatus(HttpStatus.NOT_FOUND);
	}

}
