package dev.cctracer.web.system;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.HandlerMapping;

import dev.cctracer.worker.SlowLog;

/**
 * Logs requests slower than the threshold once, by endpoint pattern (the raw URL can
 * carry search text) — see {@link SlowLog}.
 */
@Component
class SlowRequestFilter extends OncePerRequestFilter {

	private final SlowLog slow;

	SlowRequestFilter(SlowLog slow) {
		this.slow = slow;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long started = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			Object pattern = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
			this.slow.request(request.getMethod(), (pattern != null) ? pattern.toString() : "(no handler)",
					response.getStatus(), System.nanoTime() - started);
		}
	}

}
