package dev.cctracer.web.dashboard;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import dev.cctracer.web.system.DateRange;
import dev.cctracer.web.usage.Dtos.DailyDto;
import dev.cctracer.web.usage.Dtos.DayDto;
import dev.cctracer.web.usage.Dtos.ModelDayDto;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Charts}: a cost-per-day chart is a bar a day, and never more than
 * {@link Charts#MAX_CHART_DAYS} of them, whatever the lines' timestamps (one line stamped
 * in the year 9999 made a project's page run out of memory building millions of bars, a
 * trial).
 */
class ChartsTests {

	private static final LocalDate TODAY = LocalDate.parse("2026-11-30");

	private static final DateRange OPEN = new DateRange(null, null, ZoneOffset.UTC);

	@Test
	void aDayWithUsageInTheFarFutureEndsNoChartAfterToday() throws Exception {
		JsonNode chart = chart(Charts.costPerDayByModel(daily("2026-11-01", "9999-12-31"), OPEN, TODAY));
		assertThat(chart.get("x")).hasSize(30);
		assertThat(chart.get("x").get(0).asText()).isEqualTo("2026-11-01");
		assertThat(chart.get("x").get(29).asText()).isEqualTo("2026-11-30");
		// only usage in the future: today's bar alone
		JsonNode onlyFuture = chart(Charts.costPerDayByModel(daily("9999-12-31"), OPEN, TODAY));
		assertThat(onlyFuture.get("x")).singleElement()
			.satisfies((d) -> assertThat(d.asText()).isEqualTo("2026-11-30"));
	}

	@Test
	void aDayWithUsageInTheFarPastKeepsTheLastDaysOnly() throws Exception {
		JsonNode chart = chart(Charts.costPerDayByModel(daily("0001-01-01", "2026-11-30"), OPEN, TODAY));
		assertThat(chart.get("x")).hasSize(Charts.MAX_CHART_DAYS);
		assertThat(chart.get("x").get(Charts.MAX_CHART_DAYS - 1).asText()).isEqualTo("2026-11-30");
		assertThat(chart.get("x").get(0).asText()).isEqualTo(TODAY.minusDays(Charts.MAX_CHART_DAYS - 1).toString());
		// the day with usage in range has its bar: $1.50 of Opus on the last day
		assertThat(chart.get("series").get(0).get("data").get(Charts.MAX_CHART_DAYS - 1).asDouble()).isEqualTo(1.5);
	}

	@Test
	void anAskedRangeOfMillenniaIsCutToTheActivityThenToTheLastDays() throws Exception {
		DateRange asked = new DateRange(LocalDate.parse("0001-01-01"), LocalDate.parse("9999-12-31"), ZoneOffset.UTC);
		Charts.Span span = Charts.Span.of(asked, LocalDate.parse("2020-01-01"), LocalDate.parse("2026-11-30"));
		assertThat(span.days()).isEqualTo(Charts.MAX_CHART_DAYS);
		assertThat(span.to()).isEqualTo(TODAY);
		// a range within the bound is kept as asked, empty days included
		DateRange month = new DateRange(LocalDate.parse("2026-10-01"), LocalDate.parse("2026-10-31"), ZoneOffset.UTC);
		assertThat(Charts.Span.of(month, TODAY, TODAY)).isEqualTo(new Charts.Span(month.from(), month.to()));
	}

	private static DailyDto daily(String... dates) {
		List<DayDto> days = Arrays.stream(dates)
			.map((d) -> new DayDto(d, 0, 0, 0, 0, 0, 0, 1, 1.5,
					List.of(new ModelDayDto("claude-opus-4-6", null, 1, 1.5, 0, 0)), 0, 0, 0, 0))
			.toList();
		return new DailyDto("UTC", days);
	}

	private static JsonNode chart(String spec) throws Exception {
		return new ObjectMapper().readTree(spec);
	}

}
