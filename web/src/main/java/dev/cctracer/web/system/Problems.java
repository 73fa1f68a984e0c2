package dev.cctracer.web.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * An RFC 7807 problem written by a servlet filter, which answers before Spring MVC's
 * exception handlers could.
 */
final class Problems {

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

}
