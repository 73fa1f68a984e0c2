package dev.cctracer.web.usage;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.regex.Pattern;

import jakarta.validation.constraints.Size;

import dev.cctracer.shared.job.Dates;
import dev.cctracer.shared.job.ZoneIds;

/**
 * A time range of a report in a zone, parsed: what the read model receives.
 *
 * @param zone the zone of days, weeks and months
 * @param from the first instant (epoch milliseconds, inclusive), or {@code null} for open
 * @param to the end (epoch milliseconds, exclusive), or {@code null} for open
 */
public record Period(ZoneId zone, Long from, Long to) {

	/** Every time, days in the server's zone. */
	public static Period all() {
		return new Period(ZoneId.systemDefault(), null, null);
	}

	/**
	 * The days {@code first} to {@code last} (both inclusive; either {@code null} for
	 * open) in a zone.
	 */
	public static Period days(LocalDate first, LocalDate last, ZoneId zone) {
		return new Period(zone, (first != null) ? first.atStartOfDay(zone).toInstant().toEpochMilli() : null,
				(last != null) ? last.plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli() : null);
	}

	/**
	 * The query parameters of a range, as every report endpoint takes them (bound by
	 * Spring, checked by Bean Validation, then {@link #period() parsed}).
	 *
	 * @param from a day {@code yyyy-MM-dd} (its start, in {@code tz}) or an ISO-8601
	 * instant
	 * @param to a day (its end, inclusive) or an instant (exclusive)
	 * @param tz an IANA zone id; absent means the server's zone
	 */
	public record Query(@Size(max = 64, message = "from is limited to 64 characters") String from,
			@Size(max = 64, message = "to is limited to 64 characters") String to,
			@Size(max = 64, message = "tz is limited to 64 characters") String tz) {

		/** A day as a bound is written: {@code yyyy-MM-dd}. */
		private static final Pattern DAY = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

		/**
		 * The parsed range.
		 * @throws IllegalArgumentException naming the field that is not a day, an instant
		 * or a zone, or when the range ends before it starts
		 */
		public Period period() {
			return period("from", "to");
		}

		/**
		 * The parsed range, its errors naming its bounds as the caller did (the original
		 * tracer's {@code start_date} and {@code end_date}).
		 * @throws IllegalArgumentException as {@link #period()}
		 */
		public Period period(String fromName, String toName) {
			ZoneId zone = zone(this.tz);
			Instant first = parse(this.from, zone, false, fromName);
			Instant end = parse(this.to, zone, true, toName);
			// the bounds as given: two instants within one millisecond are a range (an
			// empty one once both are taken at the next millisecond)
			if (first != null && end != null && !first.isBefore(end)) {
				// two days: one day is a range (the page's and the query job's words);
				// an instant must be before the other
				throw new IllegalArgumentException(
						fromName + ((DAY.matcher(this.from.strip()).matches() && DAY.matcher(this.to.strip()).matches())
								? " must not be after " : " must be before ") + toName);
			}
			return new Period(zone, millis(first), millis(end));
		}

		/** A zone id; blank means the server's zone. */
		public static ZoneId zone(String tz) {
			if (tz == null || tz.isBlank()) {
				return ZoneId.systemDefault();
			}
			try {
				return ZoneIds.of(tz);
			}
			catch (DateTimeException ex) {
				throw new IllegalArgumentException("unknown time zone: " + Params.sanitize(tz));
			}
		}

		/**
		 * The rule of every entry point ({@link Dates}): an instant, or a day's bound.
		 */
		private static Instant parse(String text, ZoneId zone, boolean endOfDay, String field) {
			if (text == null || text.isBlank()) {
				return null;
			}
			Instant instant = Dates.instantUnlessDay(text, field);
			if (instant != null) {
				return instant;
			}
			LocalDate day = Dates.day(text, field);
			return (endOfDay ? day.plusDays(1) : day).atStartOfDay(zone).toInstant();
		}

		/**
		 * An instant as epoch milliseconds, one finer than a millisecond taken at the
		 * next one (the times it is compared with are whole milliseconds, so
		 * {@code ts >= from} and {@code ts < to} keep their meaning).
		 */
		private static Long millis(Instant instant) {
			return (instant == null) ? null : instant.toEpochMilli() + ((instant.getNano() % 1_000_000 != 0) ? 1 : 0);
		}

	}

}
