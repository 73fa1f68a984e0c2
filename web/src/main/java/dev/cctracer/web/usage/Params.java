package dev.cctracer.web.usage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.job.Dates;
import dev.cctracer.shared.pricing.CostMode;

/**
 * Parsing of query parameters into typed values; bad values are a 400 with a clear
 * message.
 */
public final class Params {

	private Params() {
	}

	public static ZoneId zone(String tz) {
		if (tz == null || tz.isBlank()) {
			return ZoneId.systemDefault();
		}
		try {
			return ZoneId.of(tz);
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException("unknown time zone: " + sanitize(tz));
		}
	}

	/**
	 * Start of a day (yyyy-MM-dd, in the zone) or an instant, as epoch seconds; null when
	 * absent.
	 */
	public static Long from(String text, ZoneId zone) {
		return parse(text, zone, false, "from");
	}

	/**
	 * End (exclusive) of a day (yyyy-MM-dd, in the zone) or an instant, as epoch seconds.
	 */
	public static Long to(String text, ZoneId zone) {
		return parse(text, zone, true, "to");
	}

	/** The rule of every entry point ({@link Dates}), as epoch seconds. */
	private static Long parse(String text, ZoneId zone, boolean endOfDay, String field) {
		if (text == null || text.isBlank()) {
			return null;
		}
		Instant instant = Dates.instantUnlessDay(text, field);
		if (instant != null) {
			return instant.getEpochSecond();
		}
		LocalDate day = Dates.day(text, field);
		return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toEpochSecond();
	}

	public static CostMode costMode(String text, CostMode fallback) {
		return (text == null || text.isBlank()) ? fallback : CostMode.parse(text);
	}

	public static String project(String project) {
		return Ids.requireProjectDir(project);
	}

	public static String sanitize(String text) {
		String shown = (text.length() > 40) ? text.substring(0, 40) + "…" : text;
		return shown.replaceAll("[^A-Za-z0-9._:/+-]", "?");
	}

}
