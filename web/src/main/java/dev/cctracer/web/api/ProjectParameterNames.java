package dev.cctracer.web.api;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The project filter's name where the other one would be silently ignored: the metrics
 * take the original tracer's {@code project_hash}, the report downloads ({@code GET
 * /api/exports/…}) ccusage-like {@code project}. A request with the other name got every
 * project's numbers (a trial's script asked {@code /api/metrics/daily?project=…}); it is
 * a 400 naming the right one.
 */
@Configuration(proxyBeanMethods = false)
class ProjectParameterNames implements HandlerInterceptor, WebMvcConfigurer {

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/api/metrics/**", "/api/exports/**");
	}

	/**
	 * @throws IllegalArgumentException (a 400) when the request names the project filter
	 * as the other endpoints do
	 */
	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		boolean metrics = request.getRequestURI().startsWith(request.getContextPath() + "/api/metrics/");
		String wrong = metrics ? "project" : "project_hash";
		if (request.getParameter(wrong) != null) {
			throw new IllegalArgumentException("unknown parameter " + wrong + ": the project filter here is "
					+ (metrics ? "project_hash" : "project"));
		}
		return true;
	}

}
