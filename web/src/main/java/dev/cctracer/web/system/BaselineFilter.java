package dev.cctracer.web.system;

import java.io.IOException;

import jakarta.servlet.DispatcherType;
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
 * What every response carries, whichever filter chain or handler answers it (the open API
 * skips Spring Security's): {@code X-Content-Type-Options: nosniff}. And {@code /error},
 * the error page's own path, asked for directly is a 404 (it is only an error dispatch's
 * target).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class BaselineFilter extends OncePerRequestFilter {

	@Override
	protected boolean shouldNotFilterErrorDispatch() {
		return false;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		response.setHeader("X-Content-Type-Options", "nosniff");
		if (request.getDispatcherType() == DispatcherType.REQUEST
				&& "/error".equals(SecurityConfiguration.path(request))) {
			Problems.write(response, HttpStatus.NOT_FOUND, "Not Found", "no such page");
			return;
		}
		chain.doFilter(request, response);
	}

}
