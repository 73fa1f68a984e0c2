package dev.cctracer.web.api;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

import dev.cctracer.shared.discovery.Ids;

/**
 * RFC 7807 problem details for the API: unknown ids 404, malformed ids and parameters
 * 400, anything else 500 without a stack trace or transcript text.
 */
@RestControllerAdvice(basePackages = "dev.cctracer.web")
class ApiExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

	@ExceptionHandler(NotFoundException.class)
	ProblemDetail notFound(NotFoundException ex) {
		return problem(HttpStatus.NOT_FOUND, "Not found", ex.getMessage());
	}

	@ExceptionHandler(Ids.InvalidIdException.class)
	ProblemDetail invalidId(Ids.InvalidIdException ex) {
		return problem(HttpStatus.BAD_REQUEST, "Malformed id", ex.getMessage());
	}

	@ExceptionHandler({ IllegalArgumentException.class, MethodArgumentTypeMismatchException.class,
			MissingServletRequestParameterException.class, MethodArgumentNotValidException.class })
	ProblemDetail badRequest(Exception ex) {
		String detail = (ex instanceof MethodArgumentTypeMismatchException m)
				? "parameter '" + m.getName() + "' has the wrong type" : ex.getMessage();
		return problem(HttpStatus.BAD_REQUEST, "Bad request", detail);
	}

	@ExceptionHandler(Exception.class)
	ProblemDetail unexpected(Exception ex) {
		log.error("request failed: {}", ex.toString());
		return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error", "the request failed; see the server log");
	}

	private static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
		p.setTitle(title);
		return p;
	}

}
