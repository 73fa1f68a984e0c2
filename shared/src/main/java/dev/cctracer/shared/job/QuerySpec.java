package dev.cctracer.shared.job;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

	private static final Set<String> FIELDS = Set.of("group_by", "from", "to", "tz", "project", "session", "model");

	private static final Pattern MODEL = Pattern.compile("^[A-Za-z0-9._:@\\[\\]<>/-]{1,128}$");

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * Validates a request body; every problem is an {@link IllegalArgumentException} with
	 * a clear message.
	 */
	public static QuerySpec of(Map<String, Object> body) {
		if (body == null) {
			throw new IllegalArgumentException("a JSON object is required");
		}
		for (String key : body.keySet()) {
			if (!FIELDS.contains(key)) {
				throw new IllegalArgumentException("unknown field '" + key.replaceAll("[^A-Za-z0-9_]", "?")
						+ "'; fields are group_by, from, to, tz, project, session, model");
			}
		}
		Object g = body.get("group_by");
		if (!(g instanceof List<?> list) || list.isEmpty() || list.size() > 3) {
			throw new IllegalArgumentException("group_by must be a list of one to three of hour, day, week, month, "
					+ "project, session, model, tool, agent");
		}
		Set<String> dims = new LinkedHashSet<>();
		for (Object d : list) {
			if (!(d instanceof String s) || !DIMENSIONS.contains(s) || !dims.add(s)) {
				throw new IllegalArgumentException("group_by entries must be distinct dimensions: hour, day, week, "
						+ "month, project, session, model, tool, agent");
			}
		}
		if (dims.stream().filter(TIME::contains).count() > 1) {
			throw new IllegalArgumentException("group_by may hold one time unit (hour, day, week or month)");
		}
		String from = date(body.get("from"), "from");
		String to = date(body.get("to"), "to");
		if (from != null && to != null && LocalDate.parse(from).isAfter(LocalDate.parse(to))) {
			throw new IllegalArgumentException("from must not be after to");
		}
		String tz = text(body.get("tz"), "tz");
		try {
			tz = (tz == null) ? "UTC" : ZoneId.of(tz).getId();
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("unknown time zone");
		}
		String project = text(body.get("project"), "project");
		if (project != null) {
			Ids.requireProjectDir(project);
		}
		String session = text(body.get("session"), "session");
		if (session != null) {
			session = Ids.requireSessionId(session);
		}
		String model = text(body.get("model"), "model");
		if (model != null && !MODEL.matcher(model).matches()) {
			throw new IllegalArgumentException("model must be a model name (letters, digits and ._:@[]<>/-)");
		}
		return new QuerySpec(new ArrayList<>(dims), from, to, tz, project, session, model);
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

	private static String date(Object value, String field) {
		String s = text(value, field);
		if (s == null) {
			return null;
		}
		return Dates.day(s, field).toString();
	}

	private static String text(Object value, String field) {
		if (value == null) {
			return null;
		}
		if (!(value instanceof String s)) {
			throw new IllegalArgumentException(field + " must be a string");
		}
		return s.isBlank() ? null : s;
	}

}
