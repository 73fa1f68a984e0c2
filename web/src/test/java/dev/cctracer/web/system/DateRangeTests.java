package dev.cctracer.web.system;

import java.time.LocalDate;
import java.time.ZoneId;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The day a default range ends on: the last activity's day in the page's zone, never
 * after today.
 */
class DateRangeTests {

	private static final LocalDate TODAY = LocalDate.of(2026, 12, 6);

	private static final ZoneId UTC = ZoneId.of("UTC");

	@Test
	void aDefaultRangeEndsOnTheLastActiveDayButNeverAfterToday() {
		assertThat(DateRange.lastActiveDay("2026-06-02T11:18:00Z", UTC, TODAY)).isEqualTo(LocalDate.of(2026, 6, 2));
		// in the page's zone: 23:30 UTC on the 5th is the 6th in Tokyo
		assertThat(DateRange.lastActiveDay("2026-12-05T23:30:00Z", ZoneId.of("Asia/Tokyo"), TODAY)).isEqualTo(TODAY);
		// one line stamped in the year 9999 (a trial) or tomorrow: today
		assertThat(DateRange.lastActiveDay("9999-12-31T23:59:59Z", UTC, TODAY)).isEqualTo(TODAY);
		assertThat(DateRange.lastActiveDay("2026-12-07T00:00:01Z", UTC, TODAY)).isEqualTo(TODAY);
		// nothing indexed, or an instant that does not parse
		assertThat(DateRange.lastActiveDay(null, UTC, TODAY)).isEqualTo(TODAY);
		assertThat(DateRange.lastActiveDay("yesterday", UTC, TODAY)).isEqualTo(TODAY);
	}

}
