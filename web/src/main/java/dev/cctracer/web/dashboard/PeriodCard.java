package dev.cctracer.web.dashboard;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.ReportService;

/**
 * One card of the overview's "spend by period": the read model's totals of some days.
 *
 * @param id the card's element id
 * @param label what the days are ("Today", "This week", …)
 * @param days the days as text ("2026-01-05 – 2026-01-11"), empty for all time
 * @param totals cost (USD) and tokens of those days
 */
public record PeriodCard(String id, String label, String days, AggregateDto totals) {

	/** The days of each card, in the zone with its today: {@code [first, last]}. */
	static List<PeriodCard> of(String origin, ZoneId zone, LocalDate today, TotalsOf totalsOf) {
		LocalDate monday = ReportService.weekStart(today);
		return List.of(card("period-today", "Today", today, today, zone, origin, totalsOf),
				card("period-week", "This week", monday, today, zone, origin, totalsOf),
				card("period-month", "This month", today.withDayOfMonth(1), today, zone, origin, totalsOf),
				card("period-30d", "Last 30 days", today.minusDays(29), today, zone, origin, totalsOf));
	}

	private static PeriodCard card(String id, String label, LocalDate first, LocalDate last, ZoneId zone, String origin,
			TotalsOf totalsOf) {
		String days = first.equals(last) ? first.toString() : first + " – " + last;
		return new PeriodCard(id, label, days, totalsOf.totals(origin, Period.days(first, last, zone)));
	}

	/** The read model's totals of a period. */
	@FunctionalInterface
	interface TotalsOf {

		AggregateDto totals(String origin, Period period);

	}

}
