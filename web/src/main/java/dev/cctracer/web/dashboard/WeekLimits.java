package dev.cctracer.web.dashboard;

import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.LimitsProperties;

/**
 * This week (from Monday in the page's zone) against the configured weekly limits
 * ({@code cctracer.limits.weekly-tokens}, {@code cctracer.limits.weekly-cost-usd}).
 *
 * @param totals the week's totals (cost in USD, tokens)
 * @param tokenLimit the weekly token limit, or {@code null} for none
 * @param costLimit the weekly cost limit in USD, or {@code null} for none
 * @param percentOfTokenLimit tokens used, in percent of the limit, or {@code null}
 * @param percentOfCostLimit cost used, in percent of the limit, or {@code null}
 */
public record WeekLimits(AggregateDto totals, Long tokenLimit, Double costLimit, Double percentOfTokenLimit,
		Double percentOfCostLimit) {

	static WeekLimits of(AggregateDto week, LimitsProperties limits) {
		Long tokens = (limits != null) ? limits.weeklyTokens() : null;
		Double cost = (limits != null) ? limits.weeklyCostUsd() : null;
		return new WeekLimits(week, tokens, cost, percent(week.totalTokens(), tokens), percent(week.totalCost(), cost));
	}

	/** Whether a limit is set. */
	public boolean limited() {
		return this.percentOfTokenLimit != null || this.percentOfCostLimit != null;
	}

	private static Double percent(double value, Number limit) {
		return (limit == null || limit.doubleValue() <= 0) ? null : 100.0 * value / limit.doubleValue();
	}

}
