package dev.cctracer.shared.job;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cctracer.shared.discovery.Ids;

/**
 * A validated analytics query: what to group by, which range and zone, which filters.
 * Everything is checked against fixed vocabularies or id patterns, so nothing from a
 * request reaches SQL as text: dimensions map to fixed expressions and filter values are
 * bound as parameters.
 *
 * @param groupBy one to three dimensions, at most one of them a time unit
 * @param from first day (inclusive), or null
 * @param to last day (inclusive), or null
 * @param tz the zone of days, weeks, months and hours
 * @param project only this project dir, or null
 * @param session only this session, or null
 * @param model only this model, or null
 */
public record QuerySpec(List<String> groupBy, String from, String to, String tz, String project, String session,
		String model) {

	/** Dimensions a query may group by. */
	public static final Set<String> DIMENSIONS = Set.of("hour", "day", "week", "month", "project", "session", "model",
			"tool", "agent");

	/** Time dimensions (at most one per query). */
	public static final Set<String> TIME = Set.of("hour", "day", "week", "month");

	private static final Pattern MODEL = Pattern.compile("^[A-Za-z0-9._:@\\[\\]<>/-]{1,128}$");

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * Validates a query; every problem is an {@link IllegalArgumentException} with a
	 * clear message.
	 * @param groupBy one to three distinct {@link #DIMENSIONS}, at most one of them a
	 * {@link #TIME time unit}
	 * @param from first day {@code yyyy-MM-dd} (inclusive), or {@code null}/blank
	 * @param to last day (inclusive), not before {@code from}, or {@code null}/blank
	 * @param tz an IANA zone id; {@code UTC} when {@code null}/blank
	 * @param project a project dir, or {@code null}/blank
	 * @param session a session id, or {@code null}/blank
	 * @param model a model id (letters, digits and {@code ._:@[]<>/-}), or
	 * {@code null}/blank
	 */
	public static QuerySpec of(List<String> groupBy, String from, String to, String tz, String project, String session,
			String model) {
		if (groupBy == null || groupBy.isEmpty() || groupBy.size() > 3) {
			throw new IllegalArgumentException("group_by must be a list of one to three of hour, day, week, month, "
					+ "project, session, model, tool, agent");
		}
		Set<String> dims = new LinkedHashSet<>();
		for (String d : groupBy) {
			if (d == null || !DIMENSIONS.contains(d) || !dims.add(d)) {
				throw new IllegalArgumentException("group_by entries must be distinct dimensions: hour, day, week, "
						+ "month, project, session, model, tool, agent");
			}
		}
		if (dims.stream().filter(TIME::contains).count() > 1) {
			throw new IllegalArgumentException("group_by may hold one time unit (hour, day, week or month)");
		}
		String first = date(from, "from");
		String last = date(to, "to");
		if (first != null && last != null && LocalDate.parse(first).isAfter(LocalDate.parse(last))) {
			throw new IllegalArgumentException("from must not be after to");
		}
		String zone;
		try {
			zone = blank(tz) ? "UTC" : ZoneIds.of(tz).getId();
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("unknown time zone");
		}
		String projectDir = blank(project) ? null : Ids.requireProjectDir(project);
		String sessionId = blank(session) ? null : Ids.requireSessionId(session);
		String modelId = blank(model) ? null : model;
		if (modelId != null && !MODEL.matcher(modelId).matches()) {
			throw new IllegalArgumentException("model must be a model name (letters, digits and ._:@[]<>/-)");
		}
		return new QuerySpec(new ArrayList<>(dims), first, last, zone, projectDir, sessionId, modelId);
	}

	/** The canonical JSON of this query (the same query always gives the same text). */
	public String canonical() {
		try {
			return JSON.writeValueAsString(this);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public static QuerySpec parse(String canonical) {
		try {
			return JSON.readValue(canonical, QuerySpec.class);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalArgumentException("malformed query spec", ex);
		}
	}

	private static String date(String text, String field) {
		return blank(text) ? null : Dates.day(text, field).toString();
	}

	private static boolean blank(String text) {
		return text == null || text.isBlank();
	}

}
