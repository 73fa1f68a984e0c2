package dev.cctracer.web.analytics;

import jakarta.servlet.http.Cookie;
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

	@Test
	void analyticsOffersEveryDimensionProjectsModelsAndExports() {
		given(this.usage.projects(any())).willReturn(PageFixtures.projects());
		given(this.reports.models(isNull(), any())).willReturn(PageFixtures.models());
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

	@Test
	void analyticsIsNotPostable() {
		assertThat(this.mvc.post().uri("/analytics").with(SecurityMockMvcRequestPostProcessors.csrf()))
			.hasStatus(HttpStatus.METHOD_NOT_ALLOWED);
	}

}
