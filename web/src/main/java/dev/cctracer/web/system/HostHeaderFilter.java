package dev.cctracer.web.system;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses requests whose {@code Host} is not a loopback name or a configured host: a web
 * page the user visits cannot reach the API through DNS rebinding.
 */
@Component
class HostHeaderFilter extends OncePerRequestFilter {

	private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

	private final Set<String> allowed;

	HostHeaderFilter(WebProperties properties) {
		this.allowed = properties.allowedHosts();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String host = hostName(request.getHeader("Host"));
		if (host != null && (LOOPBACK.contains(host) || host.startsWith("127.") || this.allowed.contains(host))) {
			chain.doFilter(request, response);
			return;
		}
		response.setStatus(HttpStatus.FORBIDDEN.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Forbidden\",\"status\":403,"
					+ "\"detail\":\"Host not allowed; add it to cctracer.web.allowed-hosts\"}");
	}

	static String hostName(String header) {
		if (header == null || header.isBlank()) {
			return null;
		}
		String h = header.trim().toLowerCase(Locale.ROOT);
		if (h.startsWith("[")) {
			int end = h.indexOf(']');
			return (end > 0) ? h.substring(0, end + 1) : h;
		}
		int colon = h.indexOf(':');
		return (colon >= 0) ? h.substring(0, colon) : h;
	}

}
