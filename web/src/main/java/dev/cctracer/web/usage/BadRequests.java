package dev.cctracer.web.usage;

import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import org.springframework.beans.TypeMismatchException;
import org.springframework.context.MessageSourceResolvable;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.validation.BindException;
import org.springframework.validation.FieldError;
import org.springframework.validation.method.ParameterValidationResult;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.annotation.HandlerMethodValidationException;

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
		// a handler parameter's mismatch too: its property name is the parameter's
		if (ex instanceof TypeMismatchException m) {
			return (m.getPropertyName() != null) ? wrongType(m.getPropertyName()) : "a parameter has the wrong type";
		}
		if (ex instanceof MissingServletRequestParameterException m) {
			return "parameter '" + m.getParameterName() + "' is required";
		}
		if (ex instanceof BindException b) {
			String fields = b.getFieldErrors().stream().map(BadRequests::field).collect(Collectors.joining("; "));
			return fields.isEmpty() ? "the request's parameters are invalid" : fields;
		}
		if (ex instanceof HandlerMethodValidationException v) {
			String params = v.getParameterValidationResults()
				.stream()
				.map(BadRequests::parameter)
				.collect(Collectors.joining("; "));
			return params.isEmpty() ? "the request's parameters are invalid" : params;
		}
		if (ex instanceof HttpMessageNotReadableException m) {
			return body(m);
		}
		return ex.getMessage();
	}

	/**
	 * What is wrong with a JSON body Jackson could not read: not JSON, or which field has
	 * a value of the wrong type (by its name in the body, e.g. {@code group_by}), never
	 * Jackson's own text (it names Java types).
	 */
	private static String body(HttpMessageNotReadableException ex) {
		Throwable cause = ex.getCause();
		if (cause instanceof JsonParseException) {
			return "the request body is not valid JSON";
		}
		if (cause instanceof MismatchedInputException m) {
			String path = m.getPath()
				.stream()
				.map((r) -> (r.getFieldName() != null) ? r.getFieldName() : "[" + r.getIndex() + "]")
				.collect(Collectors.joining("."))
				.replace(".[", "[");
			return path.isEmpty() ? "the request body is not the JSON object this endpoint takes"
					: "field '" + path + "' of the request body has the wrong type";
		}
		if (cause == null && ex.getMessage() != null
				&& ex.getMessage().startsWith("Required request body is missing")) {
			// Spring's own text goes on with the handler's Java signature
			return "the request body is missing";
		}
		return "the request body could not be read as JSON";
	}

	private static String parameter(ParameterValidationResult result) {
		String name = result.getMethodParameter().getParameterName();
		RequestParam param = result.getMethodParameter().getParameterAnnotation(RequestParam.class);
		if (param != null && !param.name().isEmpty()) {
			name = param.name();
		}
		String errors = result.getResolvableErrors()
			.stream()
			.map(MessageSourceResolvable::getDefaultMessage)
			.collect(Collectors.joining(", "));
		return named(name, errors);
	}

	private static String field(FieldError error) {
		if (error.isBindingFailure()) {
			return wrongType(error.getField());
		}
		return named(error.getField(), withUnknownFields(error.getDefaultMessage(), error.getRejectedValue()));
	}

	/**
	 * The JSON name of a request record's {@code @JsonAnySetter} component, which gathers
	 * the fields the record does not know: one no client sends. Jackson binds a creator's
	 * any-setter parameter by its name too, so a component named {@code unknown} took a
	 * body's field {@code "unknown": {}} as itself (accepted, dropped); under this name
	 * such a field is one of the unknown ones, refused.
	 */
	public static final String OTHER_FIELDS = "\u0000other fields";

	/**
	 * A body's "unknown field" message with the names of the fields it did not know (a
	 * record's {@code @JsonAnySetter} map, refused by its size): "unknown field 'extra';
	 * fields are …". At most five names, each as {@link Params#sanitize} echoes a user's
	 * text; any other message as it is.
	 * @param message the constraint's message
	 * @param invalid the value it refused
	 */
	public static String withUnknownFields(String message, Object invalid) {
		String prefix = "unknown field";
		if (message == null || !message.startsWith(prefix + ";") || !(invalid instanceof Map<?, ?> fields)
				|| fields.isEmpty()) {
			return message;
		}
		String names = fields.keySet()
			.stream()
			.map(String::valueOf)
			.sorted()
			.limit(5)
			.map((n) -> "'" + Params.sanitize(n) + "'")
			.collect(Collectors.joining(", "));
		return prefix + ((fields.size() > 1) ? "s " : " ") + names + ((fields.size() > 5) ? ", …" : "")
				+ message.substring(prefix.length());
	}

	/**
	 * A constraint's message with its parameter's name, unless it begins with it (such as
	 * "format must be csv, json or parquet").
	 */
	private static String named(String name, String message) {
		return (message != null && message.startsWith(name + " ")) ? message : "parameter '" + name + "' " + message;
	}

	private static String wrongType(String name) {
		return "parameter '" + name + "' has the wrong type";
	}

}
