package dev.cctracer.web.system;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits the heavy endpoints (analytics queries, search — the search page's too —,
 * exports, tool statistics, admin actions) per client with a Bucket4j token bucket; past
 * the limit the answer is 429 with {@code Retry-After}: the error page for a browser's
 * page request, else a problem JSON. Other endpoints are not limited.
 */
@Component
class RateLimitFilter extends OncePerRequestFilter {

	private static final Pattern HEAVY = Pattern
		.compile("^/api/(queries|search(/stream)?|exports(/.*)?|tools|projects/[^/]+/tools|admin/.*)$");

	private final int perMinute;

	private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

	RateLimitFilter(WebProperties properties) {
		this.perMinute = Math.max(1, properties.heavyRequestsPerMinute());
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = SecurityConfiguration.path(request);
		if ("/search".equals(path)) {
			// the search page runs the search of POST /api/search when it has a text;
			// with the job it polled it only shows that job's hits and starts nothing
			String q = request.getParameter("q");
			String job = request.getParameter("job");
			return q == null || q.isEmpty() || (job != null && !job.isEmpty());
		}
		return !HEAVY.matcher(path).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Bucket bucket = this.buckets.computeIfAbsent(request.getRemoteAddr(),
				(client) -> Bucket.builder()
					.addLimit(Bandwidth.builder()
						.capacity(this.perMinute)
						.refillGreedy(this.perMinute, Duration.ofMinutes(1))
						.build())
					.build());
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		if (probe.isConsumed()) {
			response.setHeader("X-Rate-Limit-Remaining", Long.toString(probe.getRemainingTokens()));
			chain.doFilter(request, response);
			return;
		}
		long seconds = Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999L) / 1_000_000_000L);
		response.setHeader("Retry-After", Long.toString(seconds));
		String detail = "heavy endpoints allow " + this.perMinute + " requests a minute; retry after " + seconds + " s";
		String accept = request.getHeader("Accept");
		if (!SecurityConfiguration.path(request).startsWith("/api/") && accept != null
				&& accept.contains("text/html")) {
			// a page (the search page) in a browser: the error page, which shows these
			// request attributes
			request.setAttribute("title", "Too many requests");
			request.setAttribute("detail", detail);
			response.sendError(HttpStatus.TOO_MANY_REQUESTS.value());
			return;
		}
		Problems.write(response, HttpStatus.TOO_MANY_REQUESTS, "Too many requests", detail);
	}

}
