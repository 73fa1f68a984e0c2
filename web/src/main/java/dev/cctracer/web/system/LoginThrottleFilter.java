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
 * {@code Retry-After} while its client is throttled by {@link LoginThrottle} (a browser's
 * form post with a 303 back to the form, {@code /login?throttled=<seconds>}); before
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
		return !basic && !isFormPost(request);
	}

	private static boolean isFormPost(HttpServletRequest request) {
		return "POST".equals(request.getMethod()) && "/login".equals(SecurityConfiguration.path(request));
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
		if (isFormPost(request) && SecurityConfiguration.wantsPage(request)) {
			// a browser's login form: back to the form, which says how long to wait
			// (it got the problem JSON)
			response.setStatus(HttpStatus.SEE_OTHER.value());
			response.setHeader("Location", request.getContextPath() + "/login?throttled=" + wait);
			return;
		}
		Problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
				"too many failed logins from this client; retry after " + wait + " s");
	}

}
