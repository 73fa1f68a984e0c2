package dev.cctracer.web.analytics;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.swagger.v3.oas.annotations.media.Schema;
import dev.cctracer.web.usage.BadRequests;

/**
 * A full-text search: the body of {@code POST /api/search}, and the parameters of
 * {@code GET /api/search/stream}.
 *
 * @param q the text searched for: 2 to 200 characters, at least 2 of them besides leading
 * and trailing spaces
 * @param project a project dir, or {@code null} for every project
 * @param unknown any other field: refused
 */
record SearchRequest(
		@NotNull(message = TEXT) @Size(min = 2, max = 200, message = TEXT) @Pattern(regexp = "(?s)\\s*\\S.*\\S\\s*",
				message = TEXT) String q,
		String project, @JsonAnySetter @JsonProperty(BadRequests.OTHER_FIELDS) @Schema(hidden = true) @Size(max = 0,
				message = "unknown field; fields are q and project") Map<String, Object> unknown) {

	static final String TEXT = "q must be text of 2 to 200 characters";

	/** The text without leading and trailing spaces. */
	String text() {
		return this.q.strip();
	}

}
