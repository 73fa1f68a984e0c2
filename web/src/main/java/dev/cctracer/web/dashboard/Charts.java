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

	/** Cost per day, one stacked series per model; days with usage only. */
	public static String costPerDayByModel(DailyDto daily) {
		List<LocalDate> days = daily.metrics().stream().map((d) -> LocalDate.parse(d.date())).toList();
		return costPerDay(daily, days);
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
