package dev.cctracer.web.usage;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;

import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.usage.Dtos.AggregateDto;

/**
 * This calendar month's spend against the monthly budget
 * ({@code cctracer.limits.monthly-budget-usd}), with a straight-line projection to the
 * month's end.
 *
 * @param month the month ({@code yyyy-MM}) in {@code tz}
 * @param tz the zone whose calendar the month follows
 * @param spentUsd the month's cost so far, USD
 * @param budgetUsd the budget, USD, or {@code null} when none is set
 * @param percent {@code spent} in percent of the budget, to 0.01, or {@code null} without
 * one
 * @param projectedUsd the month's cost at this pace (spent ÷ the month's elapsed time ×
 * its length; time, not days, so DST days count as they are), USD; {@code null} during
 * the month's first 24 hours (too short to say)
 * @param projectedPercent the projection in percent of the budget, to 0.01, or
 * {@code null}
 * @param status {@code no_budget}; {@code over} (spent ≥ budget); {@code projected_over}
 * (on pace to pass it); {@code under}
 */
public record MonthBudget(String month, String tz, double spentUsd, Double budgetUsd, Double percent,
		Double projectedUsd, Double projectedPercent, String status) {

	/** Below this share of the month a projection is not made. */
	private static final Duration FIRST_DAY = Duration.ofHours(24);

	/**
	 * The budget of the month holding {@code now} in {@code zone}.
	 * @param month the month's totals so far (cost in USD)
	 * @param budget the monthly budget in USD, or {@code null} (or ≤ 0) for none
	 */
	public static MonthBudget of(AggregateDto month, ZoneId zone, Instant now, Double budget) {
		LocalDate today = now.atZone(zone).toLocalDate();
		YearMonth ym = YearMonth.from(today);
		Instant start = ym.atDay(1).atStartOfDay(zone).toInstant();
		Instant end = ym.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant();
		double spent = month.totalCost();
		Duration elapsed = Duration.between(start, now);
		Double projected = elapsed.compareTo(FIRST_DAY) < 0 ? null
				: spent * Duration.between(start, end).toMillis() / elapsed.toMillis();
		boolean set = budget != null && budget > 0;
		Double percent = set ? hundredths(100.0 * spent / budget) : null;
		Double projectedPercent = (set && projected != null) ? hundredths(100.0 * projected / budget) : null;
		String status = !set ? "no_budget"
				: (spent >= budget) ? "over" : (projected != null && projected > budget) ? "projected_over" : "under";
		return new MonthBudget(ym.toString(), zone.getId(), spent, set ? budget : null, percent, projected,
				projectedPercent, status);
	}

	/**
	 * The budget of the month holding {@code now} in {@code zone}, its spend read from
	 * the rollups (every project).
	 * @param origin one machine's spend, or {@code null} for every machine's
	 * @param budget the monthly budget in USD, or {@code null} (or ≤ 0) for none
	 */
	public static MonthBudget of(ReportService reports, String origin, ZoneId zone, Instant now, CostMode mode,
			Double budget) {
		LocalDate today = now.atZone(zone).toLocalDate();
		return of(reports.aggregate(null, origin, Period.days(today.withDayOfMonth(1), today, zone), mode), zone, now,
				budget);
	}

	/** A share as people read it: 22.8, not 22.799999999999997. */
	static double hundredths(double percent) {
		return Math.round(percent * 100) / 100.0;
	}

}
