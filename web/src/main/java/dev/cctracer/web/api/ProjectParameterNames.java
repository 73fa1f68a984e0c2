package dev.cctracer.web.api;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * A project filter the endpoint does not take is a 400, where it was silently ignored:
 * the metrics take the original tracer's {@code project_hash}, the report downloads
 * ({@code GET /api/exports/…}) {@code project}, and some endpoints none (the status line
 * finds a session's project itself). A request with the other name got every project's
 * numbers (a trial's script asked {@code /api/metrics/daily?project=…}). Decided by the
 * handler's own parameters, so an encoded path reaches the same decision as the handler
 * it maps to.
 */
@Configuration(proxyBeanMethods = false)
class ProjectParameterNames implements HandlerInterceptor, WebMvcConfigurer {

	private static final String[] NAMES = { "project", "project_hash" };

	/** Each handler's {@code @RequestParam} names. */
	private final Map<Method, Set<String>> taken = new ConcurrentHashMap<>();

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/api/metrics/**", "/api/exports/**", "/api/statusline");
	}

	/**
	 * @throws IllegalArgumentException (a 400) for a project filter the handler does not
	 * read, naming the one it reads, if any
	 */
	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return true;
		}
		for (String name : NAMES) {
			// the handler's parameters are looked at only for a request that names a
			// project (the list endpoints' hot path mostly does not), once per handler
			if (request.getParameter(name) == null) {
				continue;
			}
			Set<String> taken = this.taken.computeIfAbsent(method.getMethod(), (m) -> requestParams(method));
			if (!taken.contains(name)) {
				String other = name.equals(NAMES[0]) ? NAMES[1] : NAMES[0];
				throw new IllegalArgumentException("unknown parameter " + name + (taken.contains(other)
						? ": the project filter here is " + other : ": this endpoint has no project filter"));
			}
		}
		return true;
	}

	/** The names of a handler's {@code @RequestParam}s. */
	private static Set<String> requestParams(HandlerMethod method) {
		Set<String> taken = new HashSet<>();
		for (MethodParameter p : method.getMethodParameters()) {
			RequestParam param = p.getParameterAnnotation(RequestParam.class);
			if (param != null) {
				// the build keeps parameter names (javac -parameters)
				taken.add(!param.name().isEmpty() ? param.name() : p.getParameter().getName());
			}
		}
		return Set.copyOf(taken);
	}

}
