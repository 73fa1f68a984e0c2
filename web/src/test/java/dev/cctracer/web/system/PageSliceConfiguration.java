package dev.cctracer.web.system;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import dev.cctracer.shared.pricing.CostMode;

/**
 * What a page controller slice needs besides its controller and mocked services: the
 * security rules (login, CSRF, CSP), the page model (time zone, demo flag), the error
 * pages, the formats and the clock. Used with {@code @WebMvcTest} and
 * {@code @ContextConfiguration} so the slice does not boot the whole app through
 * {@code WebApplication}'s imports.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties({ WebProperties.class, DisplayCurrency.class })
@Import({ SecurityConfiguration.class, PageModelInterceptor.class, PageExceptionHandler.class, Formats.class,
		AssetVersion.class, ClockConfiguration.class })
public class PageSliceConfiguration {

	@Bean
	CostMode costMode() {
		return CostMode.CALCULATE;
	}

}
