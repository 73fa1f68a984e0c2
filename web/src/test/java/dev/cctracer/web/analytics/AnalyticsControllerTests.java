package dev.cctracer.web.analytics;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.http.HttpStatus;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.context.ContextConfiguration;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.assertj.MockMvcTester;

import dev.cctracer.web.system.PageFixtures;
import dev.cctracer.web.system.PageSliceConfiguration;
import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.ModelsDto;
import dev.cctracer.web.usage.Dtos.ProjectsDto;
import dev.cctracer.web.usage.ReportService;
import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.isNull;
import static org.mockito.BDDMockito.given;

/**
 * Tests for {@link AnalyticsController}.
 */
@WebMvcTest
@ContextConfiguration(classes = { PageSliceConfiguration.class, AnalyticsController.class })
class AnalyticsControllerTests {

	@Autowired
	MockMvcTester mvc;

	@MockitoBean
	UsageService usage;

	@MockitoBean
	ReportService reports;

	@MockitoBean
	ClaudeRoots roots;

	/** The page's clock, at a fixed instant. */
	@MockitoBean
	Clock clock;

	private static final Instant NOW = Instant.parse("2026-03-04T23:30:00Z");

	@BeforeEach
	void itIsLateOnTheFourthOfMarchInUtc() {
		given(this.clock.instant()).willReturn(NOW);
	}

	@Test
	void analyticsOffersEveryDimensionProjectsModelsAndExports() {
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.reports.models(isNull(), any())).willReturn(PageFixtures.models());
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(PageFixtures.aggregate());
		assertThat(this.mvc.get().uri("/analytics").cookie(new Cookie("tz", "Asia/Tokyo"))).hasStatusOk()
			.hasViewName("analytics/analytics")
			.bodyText()
			.contains("<option value=\"agent\">agent</option>")
			.contains("<option value=\"tool\">tool</option>")
			.contains("value=\"" + PageFixtures.PROJECT + "\"")
			.contains("value=\"" + PageFixtures.MODEL + "\"")
			.contains("data-tz=\"Asia/Tokyo\"")
			.contains("/api/exports/daily?format=csv&amp;tz=Asia/Tokyo");
	}

	/**
	 * Two project dirs of one path (two machines' copies): the project filter names each
	 * with its dir, the others by their path alone.
	 */
	@Test
	void projectsOfOnePathAreToldApartByTheirDir() {
		given(this.usage.projects(any()))
			.willReturn(new ProjectsDto(List.of(PageFixtures.project("-home-me-repo", "/home/me/repo", 2),
					PageFixtures.project("-home-me-repo-copy", "/home/me/repo", 1),
					PageFixtures.project("-home-me-other", "/home/me/other", 1))));
		given(this.reports.models(isNull(), any())).willReturn(PageFixtures.models());
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(PageFixtures.aggregate());
		assertThat(this.mvc.get().uri("/analytics")).hasStatusOk()
			.bodyText()
			.contains("<option value=\"-home-me-repo\">/home/me/repo (-home-me-repo)</option>")
			.contains("<option value=\"-home-me-repo-copy\">/home/me/repo (-home-me-repo-copy)</option>")
			.contains("<option value=\"-home-me-other\">/home/me/other</option>");
	}

	@Test
	void shouldStartOnTheDataLastThirtyDaysEndingAtTheLastActivityInTheZone() {
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.reports.models(isNull(), any())).willReturn(PageFixtures.models());
		// 20:00 UTC is already the next day in Tokyo
		given(this.reports.aggregate(isNull(), isNull(), any(), any()))
			.willReturn(lastActivity("2026-02-10T20:00:00Z"));
		assertThat(this.mvc.get().uri("/analytics").cookie(new Cookie("tz", "Asia/Tokyo"))).hasStatusOk()
			.bodyText()
			.contains("id=\"query-from\" value=\"2026-01-13\"")
			.contains("id=\"query-to\" value=\"2026-02-11\"")
			.contains("Starts on the data&#39;s last 30 days: 2026-01-13 to 2026-02-11, ending at the last activity.")
			.contains("data-autorun=\"true\"");
		assertThat(this.mvc.get().uri("/analytics").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("id=\"query-from\" value=\"2026-01-12\"")
			.contains("id=\"query-to\" value=\"2026-02-10\"");
	}

	@Test
	void shouldEndTheDefaultRangeTodayWhenNothingIsIndexed() {
		given(this.usage.projects(any())).willReturn(new ProjectsDto(List.of()));
		given(this.reports.models(isNull(), any())).willReturn(new ModelsDto(List.of()));
		given(this.reports.aggregate(isNull(), isNull(), any(), any())).willReturn(lastActivity(null));
		assertThat(this.mvc.get().uri("/analytics").cookie(new Cookie("tz", "UTC"))).hasStatusOk()
			.bodyText()
			.contains("id=\"query-from\" value=\"2026-02-03\"")
			.contains("id=\"query-to\" value=\"2026-03-04\"");
		// in Tokyo it is already the 5th
		assertThat(this.mvc.get().uri("/analytics").cookie(new Cookie("tz", "Asia/Tokyo"))).hasStatusOk()
			.bodyText()
			.contains("id=\"query-from\" value=\"2026-02-04\"")
			.contains("id=\"query-to\" value=\"2026-03-05\"");
	}

	private static AggregateDto lastActivity(String instant) {
		AggregateDto a = PageFixtures.aggregate();
		return new AggregateDto(a.tokens(), a.totalTokens(), a.totalCost(), a.sessionCount(), a.projectCount(),
				a.messageCount(), (instant != null) ? a.firstActivity() : null, instant, a.unpricedMessages(),
				a.costMode(), a.estimatedMessages(), a.webSearchRequests(), a.webSearchCost(), a.cost(),
				a.cacheHitRate());
	}

	@Test
	void analyticsIsNotPostable() {
		assertThat(this.mvc.post().uri("/analytics").with(SecurityMockMvcRequestPostProcessors.csrf()))
			.hasStatus(HttpStatus.METHOD_NOT_ALLOWED);
	}

}
