package dev.cctracer.web.system;

import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Params;

/**
 * A query parameter the API endpoint does not read is a 400 naming the ones it reads,
 * where it was silently ignored: {@code /api/sessions?offset=-5} (the list pages by
 * {@code cursor}) and {@code /api/metrics/daily?form=…} (a typo of {@code from}) answered
 * as if they had not been asked. A project filter under the other name gets a pointed
 * message: the metrics take the original tracer's {@code project_hash}, the report
 * downloads ({@code GET /api/exports/…}) {@code project}, and some endpoints none (a
 * trial's script asked {@code /api/metrics/daily?project=…} and got every project's
 * numbers).
 * <p>
 * A parameter given twice is a 400 too, unless the handler reads it as a list: Spring
 * joined the values with a comma for a text ({@code sort=cost&sort=tokens} was the sort
 * "cost,tokens") and took the first for a number.
 * <p>
 * Decided by the handler's own parameters, once per handler (so an encoded path reaches
 * the same decision as the handler it maps to): its {@code @RequestParam} names, the
 * components of its query records ({@link QueryRecordArguments}), {@code cost_mode} for a
 * {@link CostMode}. A handler that takes a parameter of another kind (a map of every
 * parameter, a bean Spring binds, …) is not checked: what it reads is not known here.
 * {@code GET} and {@code HEAD} requests of {@code /api/**} only: a state-changing
 * request's input is its JSON body, validated by its own record.
 */
@Configuration(proxyBeanMethods = false)
class QueryParameterNames implements HandlerInterceptor, WebMvcConfigurer {

	/** Each handler's query parameters; empty when the handler is not checked. */
	private final Map<Method, Optional<Taken>> taken = new ConcurrentHashMap<>();

	/**
	 * The query parameters a handler reads, sorted, and those of them it reads as a list
	 * (an array or collection {@code @RequestParam}).
	 */
	private record Taken(Set<String> names, Set<String> lists) {

	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this).addPathPatterns("/api/**");
	}

	/**
	 * @throws IllegalArgumentException (a 400) for a query parameter the handler does not
	 * read, naming those it reads, or one it reads once given more than once
	 */
	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method)
				|| !("GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod()))
				|| request.getQueryString() == null) {
			return true;
		}
		Taken taken = this.taken.computeIfAbsent(method.getMethod(), (m) -> queryParams(method)).orElse(null);
		if (taken == null) {
			return true;
		}
		for (Map.Entry<String, String[]> param : request.getParameterMap().entrySet()) {
			String name = param.getKey();
			if (!taken.names().contains(name)) {
				throw new IllegalArgumentException(unknown(name, taken.names()));
			}
			if (param.getValue().length > 1 && !taken.lists().contains(name)) {
				// Spring joins them with commas for a text, takes the first for a
				// number: a value the asker did not write either way
				throw new IllegalArgumentException("parameter '" + name + "' given more than once");
			}
		}
		return true;
	}

	private static String unknown(String name, Set<String> names) {
		if (name.equals("project") || name.equals("project_hash")) {
			String other = name.equals("project") ? "project_hash" : "project";
			return "unknown parameter " + name + (names.contains(other) ? ": the project filter here is " + other
					: ": this endpoint has no project filter");
		}
		return "unknown parameter " + Params.sanitize(name) + (names.isEmpty() ? ": this endpoint takes none"
				: ": this endpoint takes " + String.join(", ", names));
	}

	/**
	 * The query parameters a handler reads, sorted; empty when one of its parameters may
	 * read others.
	 */
	private static Optional<Taken> queryParams(HandlerMethod method) {
		Set<String> names = new TreeSet<>();
		Set<String> lists = new TreeSet<>();
		for (MethodParameter p : method.getMethodParameters()) {
			Class<?> type = p.getParameterType();
			RequestParam param = p.getParameterAnnotation(RequestParam.class);
			if (param != null) {
				if (Map.class.isAssignableFrom(type)) {
					return Optional.empty();
				}
				// the build keeps parameter names (javac -parameters)
				String name = !param.name().isEmpty() ? param.name() : p.getParameter().getName();
				names.add(name);
				if (type.isArray() || Collection.class.isAssignableFrom(type)) {
					lists.add(name);
				}
			}
			else if (p.hasParameterAnnotation(PathVariable.class) || p.hasParameterAnnotation(RequestBody.class)
					|| p.hasParameterAnnotation(RequestHeader.class) || p.hasParameterAnnotation(CookieValue.class)
					|| ServletRequest.class.isAssignableFrom(type) || ServletResponse.class.isAssignableFrom(type)) {
				continue;
			}
			else if (type == CostMode.class) {
				names.add(CostModeArguments.PARAMETER);
			}
			else if (QueryRecordArguments.binds(type)) {
				names.addAll(QueryRecordArguments.names(type));
			}
			else {
				return Optional.empty();
			}
		}
		return Optional.of(new Taken(Collections.unmodifiableSet(names), Collections.unmodifiableSet(lists)));
	}

}
