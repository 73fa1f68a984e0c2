package dev.cctracer.web.system;

import java.io.IOException;
import java.util.Set;

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
 * Refuses requests whose {@code Host} is not a loopback name or a configured host: a web
 * page the user visits cannot reach the API through DNS rebinding. It runs first, before
 * authentication: a foreign {@code Host} gets 403 whatever its credentials, so no page
 * can tell a right password from a wrong one.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class HostHeaderFilter extends OncePerRequestFilter {

	private final Set<String> allowed;

	HostHeaderFilter(WebProperties properties) {
		this.allowed = properties.allowedHosts();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String host = LoopbackHosts.hostName(request.getHeader("Host"));
		if (host != null && (LoopbackHosts.isLoopback(host) || this.allowed.contains(host))) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader("X-Content-Type-Options", "nosniff");
		Problems.write(response, HttpStatus.FORBIDDEN, "Forbidden",
				"Host not allowed; add it to cctracer.web.allowed-hosts");
	}

}
