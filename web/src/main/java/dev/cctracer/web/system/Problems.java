package dev.cctracer.web.system;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

import dev.cctracer.shared.transcript.Redactor;

/**
 * An RFC 7807 problem written by a servlet filter, which answers before Spring MVC's
 * exception handlers could, and the {@code instance} every problem names.
 */
public final class Problems {

	private Problems() {
	}

	/**
	 * Sets the status and writes {@code {"type":"about:blank","title","status","detail"}}
	 * as {@code application/problem+json} in UTF-8 (JSON's encoding; the servlet's
	 * default for a writer is ISO-8859-1); headers set before stay.
	 */
	static void write(HttpServletResponse response, HttpStatus status, String title, String detail) throws IOException {
		JsonStringEncoder json = JsonStringEncoder.getInstance();
		response.setStatus(status.value());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.getWriter()
			.write("{\"type\":\"about:blank\",\"title\":\"" + new String(json.quoteAsString(title)) + "\",\"status\":"
					+ status.value() + ",\"detail\":\"" + new String(json.quoteAsString(detail)) + "\"}");
	}

	/**
	 * The {@code instance} of a problem about {@code request}: its path, redacted
	 * ({@link Redactor}: a key pasted into a URL is not echoed back, as the detail does
	 * not echo it) and reduced to letters, digits and {@code / . _ -} (anything else
	 * {@code _}), so it is a valid URI whatever the request held.
	 */
	public static URI instance(HttpServletRequest request) {
		String path = request.getRequestURI();
		return URI.create(Redactor.redact((path != null) ? path : "/").replaceAll("[^A-Za-z0-9/._-]", "_"));
	}

}
