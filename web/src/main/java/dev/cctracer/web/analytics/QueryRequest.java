package dev.cctracer.web.analytics;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnySetter;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import io.swagger.v3.oas.annotations.media.Schema;

import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.web.usage.BadRequests;

/**
 * An ad-hoc query: the body of {@code POST /api/queries}. Each field is checked here
 * (Bean Validation); the rules between fields (distinct dimensions, one time unit, from
 * not after to, a known zone, well-formed ids) by {@link QuerySpec#of}.
 *
 * @param groupBy one to three of {@code hour}, {@code day}, {@code week}, {@code month},
 * {@code project}, {@code session}, {@code model}, {@code tool}, {@code agent}
 * @param from first day {@code yyyy-MM-dd} (inclusive), or {@code null}
 * @param to last day (inclusive), or {@code null}
 * @param tz the IANA zone of days, weeks, months and hours; {@code UTC} when absent
 * @param project only this project dir, or {@code null}
 * @param session only this session id, or {@code null}
 * @param model only this model id, or {@code null}
 * @param unknown any other field: refused (not a field of the OpenAPI description)
 */
record QueryRequest(
		@JsonProperty("group_by") @NotNull(message = GROUP_BY) @Size(min = 1, max = 3,
				message = GROUP_BY) List<@NotNull(message = GROUP_BY) @Pattern(
						regexp = "hour|day|week|month|project|session|model|tool|agent",
						message = GROUP_BY) String> groupBy,
		@Size(max = 64, message = "from must be a date yyyy-MM-dd from 1970 to 9999") String from,
		@Size(max = 64, message = "to must be a date yyyy-MM-dd from 1970 to 9999") String to,
		@Size(max = 64, message = "unknown time zone") String tz,
		@Size(max = 255, message = "project must be a project dir") String project,
		@Size(max = 64, message = "session must be a session id") String session,
		@Pattern(regexp = "[A-Za-z0-9._:@\\[\\]<>/-]{1,128}",
				message = "model must be a model name (letters, digits and ._:@[]<>/-)") String model,
		@JsonAnySetter @JsonProperty(BadRequests.OTHER_FIELDS) @Schema(hidden = true) @Size(max = 0,
				message = "unknown field; fields are group_by, from, to, tz, project, session, model") Map<String, Object> unknown) {

	static final String GROUP_BY = "group_by must be a list of one to three of hour, day, week, month, project, "
			+ "session, model, tool, agent";

	/**
	 * The validated query.
	 * @throws IllegalArgumentException naming what is wrong between fields
	 */
	QuerySpec spec() {
		return QuerySpec.of(this.groupBy, this.from, this.to, this.tz, this.project, this.session, this.model);
	}

}
