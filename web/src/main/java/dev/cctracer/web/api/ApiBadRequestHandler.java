package dev.cctracer.web.api;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

import dev.cctracer.web.usage.BadRequests;

/**
 * A 400 for a malformed parameter or body of the API, titled "Bad request" and saying
 * which parameter or field was wrong ({@link BadRequests}). Ordered before Spring Boot's
 * problem-details handler, which otherwise answered some of them itself with its own
 * title and text ("Bad Request", "Failed to convert 'days' with value: 'abc'", "Failed to
 * read request"), depending on which of the two advices came first. The pages' handler
 * ({@code PageExceptionHandler}) comes before this one for the pages.
 */
@RestControllerAdvice(basePackages = "dev.cctracer.web")
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ApiBadRequestHandler {

	@ExceptionHandler({ IllegalArgumentException.class, TypeMismatchException.class,
			MissingServletRequestParameterException.class, BindException.class, HandlerMethodValidationException.class,
			HttpMessageNotReadableException.class })
	ProblemDetail badRequest(Exception ex) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, BadRequests.detail(ex));
		p.setTitle("Bad request");
		return p;
	}

}
