package dev.cctracer.web.api;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.ConversionNotSupportedException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.BindException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.web.usage.BadRequests;

/**
 * A 400 for a malformed id, parameter or body of the API: "Malformed id" for an id, else
 * "Bad request" saying which parameter or field was wrong ({@link BadRequests}), or, for
 * a parameter the firewall refuses when it is first read (a control character in a name
 * or value: it checks parameters lazily), that the firewall refused it, without echoing
 * it. Ordered before Spring Boot's problem-details handler, which otherwise answered some
 * of them itself with its own title and text ("Bad Request", "Failed to convert 'days'
 * with value: 'abc'", "Failed to read request"), depending on which of the two advices
 * came first. The pages' handler ({@code PageExceptionHandler}) comes before this one for
 * the pages.
 * <p>
 * Spring matches an advice's handlers on an exception's causes too: a server error caused
 * by one of these (a JSON write wrapped in an {@link IllegalStateException}), and a
 * conversion the app cannot do ({@link ConversionNotSupportedException}), are the 500 of
 * {@link ApiExceptionHandler}, as before this advice came first.
 */
@RestControllerAdvice(basePackages = "dev.cctracer.web")
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ApiBadRequestHandler {

	private final ApiExceptionHandler others;

	ApiBadRequestHandler(ApiExceptionHandler others) {
		this.others = others;
	}

	@ExceptionHandler({ IllegalArgumentException.class, TypeMismatchException.class,
			MissingServletRequestParameterException.class, BindException.class, HandlerMethodValidationException.class,
			HttpMessageNotReadableException.class, RequestRejectedException.class })
	ProblemDetail badRequest(Exception ex, HttpServletResponse response) {
		if (!isBadRequest(ex)) {
			return this.others.unexpected(ex, response);
		}
		if (ex instanceof Ids.InvalidIdException) {
			return problem("Malformed id", ex.getMessage());
		}
		if (ex instanceof RequestRejectedException) {
			return problem("Bad request",
					"refused by the firewall: a parameter's name or value holds a character it does not allow");
		}
		return problem("Bad request", BadRequests.detail(ex));
	}

	/** Whether the request itself was wrong, not a failure whose cause is such. */
	static boolean isBadRequest(Exception ex) {
		return ex instanceof IllegalArgumentException
				|| (ex instanceof TypeMismatchException && !(ex instanceof ConversionNotSupportedException))
				|| ex instanceof MissingServletRequestParameterException || ex instanceof BindException
				|| ex instanceof HandlerMethodValidationException || ex instanceof HttpMessageNotReadableException
				|| ex instanceof RequestRejectedException;
	}

	private static ProblemDetail problem(String title, String detail) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		p.setTitle(title);
		return p;
	}

}
