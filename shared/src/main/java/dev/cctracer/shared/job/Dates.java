package dev.cctracer.shared.job;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.regex.Pattern;

/**
 * The one rule for dates and instants a user sends, whatever the entry point (query
 * parameters, JSON bodies, forms): a day is {@code yyyy-MM-dd}, an instant ISO-8601 with
 * a zone ({@code 2026-11-30T10:00:00Z}), both between 1970 and 9999 — an extended year
 * such as {@code +999999999-12-31} is refused before it can overflow a later computation.
 */
public final class Dates {

	/** The earliest day accepted. */
	public static final LocalDate MIN = LocalDate.of(1970, 1, 1);

	/** The latest day accepted. */
	public static final LocalDate MAX = LocalDate.of(9999, 12, 31);

	private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

	private Dates() {
	}

	/**
	 * A day.
	 * @param text {@code yyyy-MM-dd}
	 * @param field the field's name, for the error
	 * @throws IllegalArgumentException naming the field when the text is not a day from
	 * 1970 to 9999
	 */
	public static LocalDate day(String text, String field) {
		if (text != null && DAY.matcher(text).matches()) {
			try {
				LocalDate day = LocalDate.parse(text);
				if (!day.isBefore(MIN) && !day.isAfter(MAX)) {
					return day;
				}
			}
			catch (DateTimeException ex) {
				// falls through to the error
			}
		}
		throw new IllegalArgumentException(field + " must be a date yyyy-MM-dd from 1970 to 9999");
	}

	/**
	 * A day ({@code yyyy-MM-dd}, 10 characters) or an instant.
	 * @param field the field's name, for the error
	 * @return the instant, or {@code null} when the text is a day (ask {@link #day})
	 * @throws IllegalArgumentException naming the field when the text is neither, or is
	 * outside 1970 to 9999
	 */
	public static Instant instantUnlessDay(String text, String field) {
		if (text != null && text.length() == 10) {
			day(text, field);
			return null;
		}
		try {
			Instant instant = Instant.parse(text);
			if (!instant.isBefore(MIN.atStartOfDay(ZoneOffset.UTC).toInstant())
					&& instant.isBefore(MAX.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant())) {
				return instant;
			}
		}
		catch (DateTimeException | NullPointerException ex) {
			// falls through to the error
		}
		throw new IllegalArgumentException(
				field + " must be a date yyyy-MM-dd or an ISO-8601 instant from 1970 to 9999");
	}

}
