package dev.cctracer.web.system;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.cctracer.shared.job.Dates;
import dev.cctracer.web.usage.Period;

/**
 * The days a page shows, from its {@code from} and {@code to} query parameters (days
 * {@code yyyy-MM-dd}, both inclusive, either absent for open) in the page's zone: what
 * the range picker submits and the export links carry.
 *
 * @param from the first day, or {@code null} for open
 * @param to the last day, or {@code null} for open
 * @param zone the page's zone
 */
public record DateRange(LocalDate from, LocalDate to, ZoneId zone) {

	/**
	 * A preset of the picker.
	 *
	 * @param label what it says
	 * @param from its first day, or empty for open
	 * @param to its last day, or empty for open
	 * @param active whether it is the range shown
	 */
	public record Preset(String label, String from, String to, boolean active) {

	}

	/**
	 * The day a default range ends on: the day (in the zone) of the last activity, so a
	 * page shows the data's last days however long ago they were, but never after
	 * {@code today} (one line stamped in the year 9999 moved every default range there, a
	 * trial); {@code today} when nothing is indexed or the instant does not parse.
	 * @param lastActivity an ISO-8601 UTC instant, or {@code null}
	 */
	public static LocalDate lastActiveDay(String lastActivity, ZoneId zone, LocalDate today) {
		if (lastActivity == null) {
			return today;
		}
		try {
			LocalDate day = Instant.parse(lastActivity).atZone(zone).toLocalDate();
			return day.isAfter(today) ? today : day;
		}
		catch (DateTimeException ex) {
			return today;
		}
	}

	/**
	 * The range of two parameters.
	 * @throws IllegalArgumentException when one is not a day, or {@code from} is after
	 * {@code to} (a 400 page)
	 */
	public static DateRange of(String from, String to, ZoneId zone) {
		LocalDate first = (from == null || from.isBlank()) ? null : Dates.day(from.strip(), "from");
		LocalDate last = (to == null || to.isBlank()) ? null : Dates.day(to.strip(), "to");
		if (first != null && last != null && first.isAfter(last)) {
			throw new IllegalArgumentException("from must not be after to");
		}
		return new DateRange(first, last, zone);
	}

	/** Whether both ends are open: every day. */
	public boolean isAll() {
		return this.from == null && this.to == null;
	}

	/** The range for the read model. */
	public Period period() {
		return Period.days(this.from, this.to, this.zone);
	}

	/** {@code from} as a parameter value, or empty. */
	public String fromText() {
		return (this.from != null) ? this.from.toString() : "";
	}

	/** {@code to} as a parameter value, or empty. */
	public String toText() {
		return (this.to != null) ? this.to.toString() : "";
	}

	/**
	 * The query string of an API or export link for this range: {@code from=…&to=…&tz=…}
	 * (open ends left out).
	 */
	public String query() {
		StringBuilder q = new StringBuilder();
		if (this.from != null) {
			q.append("from=").append(this.from).append('&');
		}
		if (this.to != null) {
			q.append("to=").append(this.to).append('&');
		}
		return q.append("tz=").append(URLEncoder.encode(this.zone.getId(), StandardCharsets.UTF_8)).toString();
	}

	/** A label: "all time", "2026-01-01 – 2026-01-31", "from 2026-01-01", … */
	public String label() {
		if (isAll()) {
			return "all time";
		}
		if (this.from == null) {
			return "up to " + this.to;
		}
		if (this.to == null) {
			return "from " + this.from;
		}
		return this.from.equals(this.to) ? this.from.toString() : this.from + " – " + this.to;
	}

	/** The presets (today, 7 days, 30 days, this month, all), with today in the zone. */
	public List<Preset> presets(LocalDate today) {
		List<Preset> presets = new ArrayList<>();
		presets.add(preset("Today", today, today));
		presets.add(preset("7 days", today.minusDays(6), today));
		presets.add(preset("30 days", today.minusDays(29), today));
		presets.add(preset("This month", today.withDayOfMonth(1), today));
		presets.add(preset("All", null, null));
		return presets;
	}

	private Preset preset(String label, LocalDate first, LocalDate last) {
		boolean active = Objects.equals(first, this.from) && Objects.equals(last, this.to);
		return new Preset(label, (first != null) ? first.toString() : "", (last != null) ? last.toString() : "",
				active);
	}

}
