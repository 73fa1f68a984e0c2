package dev.cctracer.web.usage;

import java.util.stream.Collectors;

import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;

/**
 * The one-line message of a 400 for the page and API handlers alike: which parameter was
 * wrong, never the framework's text (it names Java types, methods and argument indexes).
 */
public final class BadRequests {

	private BadRequests() {
	}

	/**
	 * The message for a request the framework or the app refused: the parameter and what
	 * was wrong with it, e.g. {@code parameter 'errorsOnly' has the wrong type}; the
	 * exception's own message for the app's exceptions (they are written for users).
	 */
	public static String detail(Exception ex) {
		if (ex instanceof MethodArgumentTypeMismatchException m) {
			return wrongType(m.getName());
		}
		if (ex instanceof MissingServletRequestParameterException m) {
			return "parameter '" + m.getParameterName() + "' is required";
		}
		if (ex instanceof BindException b) {
			String fields = b.getFieldErrors().stream().map(BadRequests::field).collect(Collectors.joining("; "));
			return fields.isEmpty() ? "the request's parameters are invalid" : fields;
		}
		if (ex instanceof HandlerMethodValidationException) {
			return "the request's parameters are invalid";
		}
		return ex.getMessage();
	}

	private static String field(FieldError error) {
		if (error.isBindingFailure()) {
			return wrongType(error.getField());
		}
		return "parameter '" + error.getField() + "' " + error.getDefaultMessage();
	}

	private static String wrongType(String name) {
		return "parameter '" + name + "' has the wrong type";
	}

}
