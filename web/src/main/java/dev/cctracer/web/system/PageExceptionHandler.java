package dev.cctracer.web.system;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.validation.BindException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.ModelAndView;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.web.usage.BadRequests;
import dev.cctracer.web.usage.ConflictException;
import dev.cctracer.web.usage.NotFoundException;
import dev.cctracer.worker.StorageHealth;

/**
 * Error pages for the dashboard and the admin console: unknown ids 404, malformed ids and
 * parameters 400, anything else 500, each a page in the layout with a way back, never a
 * stack trace.
 */
@ControllerAdvice(assignableTypes = PageController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
class PageExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(PageExceptionHandler.class);

	private final ObjectProvider<StorageHealth> storage;

	private final PageModelInterceptor layout;

	PageExceptionHandler(ObjectProvider<StorageHealth> storage, PageModelInterceptor layout) {
		this.storage = storage;
		this.layout = layout;
	}

	@ExceptionHandler(ConflictException.class)
	ModelAndView conflict(ConflictException ex) {
		return this.layout.errorPage(HttpStatus.CONFLICT, ex.title(), ex.getMessage());
	}

	@ExceptionHandler(NotFoundException.class)
	ModelAndView notFound(NotFoundException ex) {
		return this.layout.errorPage(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler({ Ids.InvalidIdException.class, IllegalArgumentException.class,
			MethodArgumentTypeMismatchException.class, MissingServletRequestParameterException.class,
			HandlerMethodValidationException.class, BindException.class })
	ModelAndView badRequest(Exception ex) {
		String detail = BadRequests.detail(ex);
		return this.layout.errorPage(HttpStatus.BAD_REQUEST, "Bad request", detail);
	}

	@ExceptionHandler(HttpRequestMethodNotSupportedException.class)
	ModelAndView method(HttpRequestMethodNotSupportedException ex) {
		return this.layout.errorPage(HttpStatus.METHOD_NOT_ALLOWED, "Method not allowed", ex.getMessage());
	}

	@ExceptionHandler(Exception.class)
	ModelAndView unexpected(Exception ex) {
		Optional<Unavailable> unavailable = Unavailable.of(ex, this.storage.getIfAvailable());
		if (unavailable.isPresent()) {
			return this.layout.errorPage(HttpStatus.SERVICE_UNAVAILABLE, unavailable.get().title(),
					unavailable.get().detail() + ".");
		}
		log.error("page failed: {}", LogText.safe(ex.toString()));
		return this.layout.errorPage(HttpStatus.INTERNAL_SERVER_ERROR, "Something went wrong",
				"The page could not be rendered; the server log has the details.");
	}

}
