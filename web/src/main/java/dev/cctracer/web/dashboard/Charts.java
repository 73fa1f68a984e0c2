package dev.cctracer.web.dashboard;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cctracer.web.system.DateRange;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.DayDto;
import dev.cctracer.web.usage.Dtos.ModelDayDto;

/**
 * Chart specifications for {@code app.js}, as JSON put into a {@code data-chart}
 * attribute (escaped there like any text): {@code {kind, unit, x, series:[{name,
 * data}]}}.
 */
public final class Charts {

	private static final ObjectMapper JSON = new ObjectMapper();

	private Charts() {
	}

	/**
	 * Beyond this many days, a chart is cut to the days from the first to the last
	 * activity.
	 */
	static final int MAX_CHART_DAYS = 1830;

	/**
	 * The days a cost-per-day chart shows, {@code from} to {@code to} (both inclusive).
	 */
	record Span(LocalDate from, LocalDate to) {

		/**
		 * The range's days, an open end being the first or last day with activity; a span
		 * of more than {@link #MAX_CHART_DAYS} (a range of years) is cut to the days from
		 * the first to the last activity, not decades of empty bars, and what is still
		 * longer to its last {@link #MAX_CHART_DAYS} days: one line stamped in the year
		 * 9999 or 0001 made a project's chart a bar a day over millennia, and its page
		 * ran out of memory (a trial).
		 * @param first the first day with activity (in the range's zone)
		 * @param last the last day with activity
		 */
		static Span of(DateRange range, LocalDate first, LocalDate last) {
			LocalDate from = (range.from() != null) ? range.from() : first;
			LocalDate to = (range.to() != null) ? range.to() : last;
			if (from.plusDays(MAX_CHART_DAYS).isBefore(to)) {
				from = from.isBefore(first) ? first : from;
				to = to.isAfter(last) ? last : to;
			}
			if (to.minusDays(MAX_CHART_DAYS - 1).isAfter(from)) {
				from = to.minusDays(MAX_CHART_DAYS - 1);
			}
			return new Span(from, to.isBefore(from) ? from : to);
		}

		long days() {
			return this.from.datesUntil(this.to.plusDays(1)).count();
		}

	}

	/**
	 * Cost per day over a range ({@link Span}), one stacked series per model: every day a
	 * bar, $0 for a day without usage (a project's chart showed its days with usage only,
	 * side by side, as if they followed each other).
	 * @param daily the range's days with usage, in date order
	 * @param range the days asked, either end open
	 * @param today the day of now in the range's zone, for a range without usage, and the
	 * last day an open range shows
	 */
	public static String costPerDayByModel(DailyDto daily, DateRange range, LocalDate today) {
		List<DayDto> days = daily.metrics();
		LocalDate first = days.isEmpty() ? today : LocalDate.parse(days.get(0).date());
		LocalDate last = days.isEmpty() ? today : LocalDate.parse(days.get(days.size() - 1).date());
		// an open range ends at the last activity, never after today (as the overview's)
		last = last.isAfter(today) ? today : last;
		first = first.isAfter(last) ? last : first;
		Span span = Span.of(range, first, last);
		return costPerDayByModel(daily, span.from(), span.to());
	}

	/**
	 * Cost per day from {@code first} to {@code last} (both inclusive), one stacked
	 * series per model: every day a bar, $0 for a day without usage.
	 */
	public static String costPerDayByModel(DailyDto daily, LocalDate first, LocalDate last) {
		return costPerDay(daily, first.datesUntil(last.plusDays(1)).toList());
	}

	private static String costPerDay(DailyDto daily, List<LocalDate> days) {
		Map<String, DayDto> byDate = new HashMap<>();
		TreeSet<String> models = new TreeSet<>();
		for (DayDto day : daily.metrics()) {
			byDate.put(day.date(), day);
			for (ModelDayDto m : day.models()) {
				models.add(String.valueOf(m.model()));
			}
		}
		List<Map<String, Object>> series = new ArrayList<>();
		for (String model : models) {
			List<Double> data = new ArrayList<>();
			for (LocalDate date : days) {
				double cost = 0;
				DayDto day = byDate.get(date.toString());
				for (ModelDayDto m : (day != null) ? day.models() : List.<ModelDayDto>of()) {
					if (String.valueOf(m.model()).equals(model)) {
						cost += m.cost();
					}
				}
				data.add(Math.round(cost * 10_000) / 10_000.0);
			}
			series.add(Map.of("name", model, "data", data));
		}
		return spec("stacked-bar", "$", days.stream().map(LocalDate::toString).toList(), series);
	}

	/** One bar per label. */
	public static String bars(String unit, List<String> labels, List<? extends Number> values, String name) {
		return spec("bar", unit, labels, List.of(Map.of("name", name, "data", values)));
	}

	static String spec(String kind, String unit, List<String> x, List<Map<String, Object>> series) {
		Map<String, Object> spec = new LinkedHashMap<>();
		spec.put("kind", kind);
		spec.put("unit", unit);
		spec.put("x", x);
		spec.put("series", series);
		try {
			return JSON.writeValueAsString(spec);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
