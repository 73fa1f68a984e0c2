package dev.cctracer.web.usage;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import dev.cctracer.web.usage.Dtos.AggregateDto;
import dev.cctracer.web.usage.Dtos.TokensDto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * This month against the monthly budget, with numbers worked by hand: the projection is
 * the spend over the month's elapsed time times its length.
 */
class MonthBudgetTests {

	private static final ZoneId UTC = ZoneId.of("UTC");

	private static AggregateDto spent(double usd) {
		return new AggregateDto(new TokensDto(0, 0, 0, 0, 0, 0), 0, usd, 0, null, 0, null, null, 0, "calculate", 0, 0,
				0, new Dtos.CostDto(0, 0, 0, 0, 0, usd), 0);
	}

	@Test
	void tenDaysIntoDecemberThePaceOfThirtyOneDollarsPassesANinetyDollarBudget() {
		// 10 of December's 31 days gone: $31 × 31 / 10 = $96.10; $31 is 34.44% of $90,
		// $96.10 is 106.78%
		MonthBudget b = MonthBudget.of(spent(31), UTC, Instant.parse("2026-12-11T00:00:00Z"), 90.0);
		assertThat(b.month()).isEqualTo("2026-12");
		assertThat(b.projectedUsd()).isCloseTo(96.10, within(1e-9));
		assertThat(b.percent()).isEqualTo(34.44);
		assertThat(b.projectedPercent()).isEqualTo(106.78);
		assertThat(b.status()).isEqualTo("projected_over");
		// at a slower pace: $20 → $62 projected, under
		assertThat(MonthBudget.of(spent(20), UTC, Instant.parse("2026-12-11T00:00:00Z"), 90.0).status())
			.isEqualTo("under");
	}

	@Test
	void spentAtOrPastTheBudgetIsOverAndTheFirstDayHasNoProjection() {
		MonthBudget first = MonthBudget.of(spent(95), UTC, Instant.parse("2026-12-01T12:00:00Z"), 90.0);
		assertThat(first.projectedUsd()).isNull();
		assertThat(first.projectedPercent()).isNull();
		assertThat(first.status()).isEqualTo("over");
		assertThat(MonthBudget.of(spent(90), UTC, Instant.parse("2026-12-20T00:00:00Z"), 90.0).status())
			.isEqualTo("over");
		assertThat(MonthBudget.of(spent(5), UTC, Instant.parse("2026-12-01T12:00:00Z"), 90.0).status())
			.isEqualTo("under");
	}

	@Test
	void noBudgetOrAZeroOneIsNone() {
		for (Double none : new Double[] { null, 0.0, -5.0 }) {
			MonthBudget b = MonthBudget.of(spent(12), UTC, Instant.parse("2026-12-11T00:00:00Z"), none);
			assertThat(b.status()).isEqualTo("no_budget");
			assertThat(b.budgetUsd()).isNull();
			assertThat(b.percent()).isNull();
			// the pace is said without a budget
			assertThat(b.projectedUsd()).isCloseTo(37.2, within(1e-9));
		}
	}

	@Test
	void theMonthFollowsTheZonesCalendarAndItsClockChange() {
		// 2026-03-31 23:30 in UTC is April 1st in Paris: April, 1.5 h in, no projection
		MonthBudget paris = MonthBudget.of(spent(1), ZoneId.of("Europe/Paris"), Instant.parse("2026-03-31T23:30:00Z"),
				10.0);
		assertThat(paris.month()).isEqualTo("2026-04");
		assertThat(paris.projectedUsd()).isNull();
		// March in Paris lasts 743 hours (the clock goes forward on the 29th); 240 hours
		// in (the 11th, 00:00 CET), $24 → $24 × 743 / 240 = $74.30
		MonthBudget march = MonthBudget.of(spent(24), ZoneId.of("Europe/Paris"), Instant.parse("2026-03-10T23:00:00Z"),
				100.0);
		assertThat(march.month()).isEqualTo("2026-03");
		assertThat(march.projectedUsd()).isCloseTo(74.30, within(1e-9));
		assertThat(march.tz()).isEqualTo("Europe/Paris");
	}

}
