package dev.cctracer.web.system;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * A path nothing serves: the error page for a browser, problem details for the API and
 * every other client.
 */
@ControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
class UnknownPathHandler {

	private final PageModelInterceptor layout;

	UnknownPathHandler(PageModelInterceptor layout) {
		this.layout = layout;
	}

	@ExceptionHandler(NoResourceFoundException.class)
	ModelAndView unknownPath(NoResourceFoundException ex, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		if (SecurityConfiguration.wantsPage(request)) {
			return this.layout.errorPage(HttpStatus.NOT_FOUND, "Not found", "There is no page at this address.");
		}
		response.setStatus(HttpStatus.NOT_FOUND.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding("UTF-8");
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"Not found\",\"status\":404,"
					+ "\"detail\":\"no such endpoint\"}");
		// written: no view
		return null;
	}

}
