package dev.cctracer.web.system;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.UrlHandlerFilter;

/**
 * A path typed or linked with a trailing slash ({@code /sessions/},
 * {@code /api/projects/}) is answered by a {@code 308 Permanent Redirect} to the same
 * path without it, its query kept, instead of the 404 Spring Framework 6 gives since it
 * no longer matches such paths (a user trial). Spring's own {@link UrlHandlerFilter}; it
 * runs after the {@code Host} check and before Spring Security, as its documentation
 * asks.
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
