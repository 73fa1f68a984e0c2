package dev.cctracer.shared.log;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import dev.cctracer.shared.job.Dates;

/**
 * The one parser of transcript timestamps (the ingest and the message views both use it):
 * Claude Code's ISO-8601 UTC form quickly, then any ISO-8601 instant or offset, and a
 * timestamp without a zone designator as UTC (seen in practice; ccusage/ccusage#349), any
 * fraction length. An instant before 1970 or after 9999 is no time a transcript line can
 * have and reads as none (the line counts where a line without a timestamp does): the API
 * takes dates from 1970 to 9999 only, and a line dated in the year 1 or 10000 made days
 * no range could ask for (a trial).
 */
public final class Timestamps {

	/**
	 * The first instant a line may carry: the API's first day ({@link Dates#MIN},
	 * 1970-01-01T00:00:00Z), epoch milliseconds.
	 */
	public static final long MIN_MS = Dates.MIN.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();

	/**
	 * The last instant a line may carry: the end of the API's last day
	 * ({@link Dates#MAX}, 9999-12-31T23:59:59.999Z), epoch milliseconds.
	 */
	public static final long MAX_MS = Dates.MAX.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli() - 1;

	private Timestamps() {
	}

	/**
	 * Epoch milliseconds, or {@code null} for a missing or unparsable timestamp, or one
	 * outside {@link #MIN_MS} to {@link #MAX_MS}.
	 */
	public static Long parseOrNull(String text) {
		Long ms = parse(text);
		return (ms != null && ms >= MIN_MS && ms <= MAX_MS) ? ms : null;
	}

	private static Long parse(String text) {
		if (text == null) {
			return null;
		}
		Long fast = fastParse(text);
		if (fast != null) {
			return fast;
		}
		try {
			return Instant.parse(text).toEpochMilli();
		}
		catch (DateTimeParseException | ArithmeticException ex) {
			try {
				return OffsetDateTime.parse(text).toInstant().toEpochMilli();
			}
			catch (DateTimeParseException | ArithmeticException ex2) {
				try {
					return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC).toEpochMilli();
				}
				catch (DateTimeParseException | ArithmeticException ex3) {
					return null;
				}
			}
		}
	}

	/** {@code yyyy-MM-ddTHH:mm:ss[.fff]Z}; null when the text has another shape. */
	private static Long fastParse(String s) {
		int n = s.length();
		if (n < 20 || s.charAt(n - 1) != 'Z' || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
				|| s.charAt(13) != ':' || s.charAt(16) != ':') {
			return null;
		}
		int year = digits(s, 0, 4);
		int month = digits(s, 5, 2);
		int day = digits(s, 8, 2);
		int hour = digits(s, 11, 2);
		int minute = digits(s, 14, 2);
		int second = digits(s, 17, 2);
		if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0
				|| minute > 59 || second < 0 || second > 59) {
			return null;
		}
		int millis = 0;
		if (n > 20) {
			if (s.charAt(19) != '.') {
				return null;
			}
			int fracLen = n - 21;
			if (fracLen < 1 || fracLen > 9) {
				return null;
			}
			int frac = digits(s, 20, fracLen);
			if (frac < 0) {
				return null;
			}
			for (int i = fracLen; i < 3; i++) {
				frac *= 10;
			}
			for (int i = 3; i < fracLen; i++) {
				frac /= 10;
			}
			millis = frac;
		}
		if (day > YearMonth.of(year, month).lengthOfMonth()) {
			return null;
		}
		long days = LocalDate.of(year, month, day).toEpochDay();
		return ((days * 24 + hour) * 60 + minute) * 60_000L + second * 1000L + millis;
	}

	private static int digits(String s, int from, int count) {
		int value = 0;
		for (int i = from; i < from + count; i++) {
			char c = s.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			value = value * 10 + (c - '0');
		}
		return value;
	}

}
