package dev.cctracer.web.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * API requests that change state (POST, PUT, PATCH, DELETE under {@code /api/}) must
 * carry an {@code X-Requested-By} header: a page on another site cannot send one without
 * a CORS preflight, which this server never grants, so it cannot make the user's browser
 * trigger actions here.
 */
@Component
class StateChangeHeaderFilter extends OncePerRequestFilter {

	static final String HEADER = "X-Requested-By";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String method = request.getMethod();
		return !SecurityConfiguration.path(request).startsWith("/api/") || method.equals("GET") || method.equals("HEAD")
				|| method.equals("OPTIONS");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String value = request.getHeader(HEADER);
		if (value != null && !value.isBlank()) {
			chain.doFilter(request, response);
			return;
		}
		Problems.write(response, HttpStatus.FORBIDDEN, "Forbidden",
				"state-changing API requests need an X-Requested-By header");
	}

}
