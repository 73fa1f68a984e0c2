package dev.cctracer.web.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers a login attempt (the login form's post, or HTTP Basic credentials) with 429 and
 * {@code Retry-After} while its client is throttled by {@link LoginThrottle}; before
 * authentication, after the Host check.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class LoginThrottleFilter extends OncePerRequestFilter {

	private final LoginThrottle throttle;

	LoginThrottleFilter(LoginThrottle throttle) {
		this.throttle = throttle;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String auth = request.getHeader("Authorization");
		boolean basic = auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6);
		boolean form = "POST".equals(request.getMethod()) && "/login".equals(SecurityConfiguration.path(request));
		return !basic && !form;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long wait = this.throttle.retryAfterSeconds(request.getRemoteAddr());
		if (wait == 0) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader("Retry-After", Long.toString(wait));
		Problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
				"too many failed logins from this client; retry after " + wait + " s");
	}

}
