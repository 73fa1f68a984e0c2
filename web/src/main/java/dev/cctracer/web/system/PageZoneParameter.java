package dev.cctracer.web.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneId;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseCookie;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.util.UriComponentsBuilder;

import dev.cctracer.web.usage.Period;

/**
 * A page asked with {@code ?tz=<zone>} is shown in that zone: the pages read their zone
 * from the {@code tz} cookie the selector sets, so a link carrying the zone (a report
 * shared as {@code /reports?tz=Asia/Tokyo}) was shown in the reader's zone without a
 * word. The zone becomes the cookie, as the selector would set it, and the page is asked
 * again without the parameter (303), so every page after it keeps the zone. An unknown
 * zone is a 400 page saying so.
 */
@Configuration(proxyBeanMethods = false)
class PageZoneParameter implements HandlerInterceptor, WebMvcConfigurer {

	/** How long the selector's cookie lives (one year, as app.js sets it). */
	static final Duration COOKIE_AGE = Duration.ofDays(365);

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		// the API reads tz as a parameter of its own
		registry.addInterceptor(this).excludePathPatterns("/api/**");
	}

	/**
	 * @throws IllegalArgumentException (a 400 page) for a zone Java does not know
	 */
	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod method) || !(method.getBean() instanceof PageController)
				|| !"GET".equals(request.getMethod()) || request.getQueryString() == null) {
			return true;
		}
		String tz = request.getParameter(Zones.COOKIE);
		if (tz == null || tz.isBlank()) {
			return true;
		}
		ZoneId zone = Period.Query.zone(tz.strip());
		ResponseCookie cookie = ResponseCookie
			.from(Zones.COOKIE, URLEncoder.encode(zone.getId(), StandardCharsets.UTF_8))
			.path("/")
			.maxAge(COOKIE_AGE)
			.sameSite("Lax")
			.build();
		response.addHeader(HttpHeaders.SET_COOKIE, cookie.toString());
		response.setStatus(HttpServletResponse.SC_SEE_OTHER);
		response.setHeader(HttpHeaders.LOCATION,
				UriComponentsBuilder.fromPath(request.getRequestURI())
					.query(request.getQueryString())
					.replaceQueryParam(Zones.COOKIE)
					.build(true)
					.toUriString());
		return false;
	}

}
