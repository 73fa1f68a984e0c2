package dev.cctracer.web.usage;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Plan limits the blocks report compares usage with, and a monthly budget (all optional).
 *
 * @param blockTokens tokens allowed in a 5-hour block
 * @param blockCostUsd cost allowed in a 5-hour block
 * @param weeklyTokens tokens allowed in a week
 * @param weeklyCostUsd cost allowed in a week
 * @param monthlyBudgetUsd spend allowed in a calendar month (USD), for the overview's
 * "Monthly budget" and {@code GET /api/metrics/budget}
 */
@ConfigurationProperties("cctracer.limits")
public record LimitsProperties(Long blockTokens, Double blockCostUsd, Long weeklyTokens, Double weeklyCostUsd,
		Double monthlyBudgetUsd) {

}
