package dev.cctracer.web.usage;

import jakarta.validation.constraints.Positive;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Plan limits the blocks report compares usage with, and a monthly budget (all optional).
 *
 * @param blockTokens tokens allowed in a 5-hour block
 * @param blockCostUsd cost allowed in a 5-hour block
 * @param weeklyTokens tokens allowed in a week
 * @param weeklyCostUsd cost allowed in a week
 * @param monthlyBudgetUsd spend allowed in a calendar month (USD, above 0: a start with 0
 * or less fails and says so, rather than showing no budget), for the overview's "Monthly
 * budget" and {@code GET /api/metrics/budget}
 */
@ConfigurationProperties("cctracer.limits")
@Validated
public record LimitsProperties(Long blockTokens, Double blockCostUsd, Long weeklyTokens, Double weeklyCostUsd,
		@Positive Double monthlyBudgetUsd) {

}
