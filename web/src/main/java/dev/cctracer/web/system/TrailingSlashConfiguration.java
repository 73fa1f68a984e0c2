package dev.cctracer.web.system;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.UrlHandlerFilter;

/**
 * A path typed or linked with a trailing slash ({@code /sessions/?zone=UTC},
 * {@code /api/projects/}) is served as the same path without it, instead of the 404
 * Spring Framework 6 gives since it no longer matches such paths (a user trial). Spring's
 * own {@link UrlHandlerFilter}, which wraps the request; not its redirect, which in
 * Spring Framework 6.2.12 drops the query (spring-projects/spring-framework#35873). It
 * runs after the {@code Host} check and before Spring Security, as its documentation
 * asks, so the security rules see the path without the slash.
 */
@Configuration(proxyBeanMethods = false)
class TrailingSlashConfiguration {

	@Bean
	FilterRegistrationBean<UrlHandlerFilter> trailingSlashTrimmed() {
		FilterRegistrationBean<UrlHandlerFilter> registration = new FilterRegistrationBean<>(
				UrlHandlerFilter.trailingSlashHandler("/**").wrapRequest().build());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 3);
		return registration;
	}

}
