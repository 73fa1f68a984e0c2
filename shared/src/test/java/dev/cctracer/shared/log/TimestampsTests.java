package dev.cctracer.shared.log;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Timestamps}.
 */
class TimestampsTests {

	@Test
	void shouldAgreeWithInstantParse() {
		for (String s : new String[] { "2026-02-10T21:11:52.438Z", "2025-06-01T00:00:00Z", "2024-02-29T23:59:59.9Z",
				"2025-12-31T23:59:59.123456Z" }) {
			assertThat(Timestamps.parseOrNull(s)).as(s).isEqualTo(Instant.parse(s).toEpochMilli());
		}
	}

	@Test
	void shouldAcceptOffsetsAndRejectGarbage() {
		assertThat(Timestamps.parseOrNull("2026-01-01T02:00:00+02:00"))
			.isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
		assertThat(Timestamps.parseOrNull("2025-02-30T00:00:00Z")).isNull();
		assertThat(Timestamps.parseOrNull("yesterday")).isNull();
		// no zone designator (case 13): read as UTC, any fraction
		assertThat(Timestamps.parseOrNull("2025-07-24T18:25:00.000"))
			.isEqualTo(Instant.parse("2025-07-24T18:25:00Z").toEpochMilli());
		assertThat(Timestamps.parseOrNull("2025-07-24T18:25:00.123456"))
			.isEqualTo(Instant.parse("2025-07-24T18:25:00.123Z").toEpochMilli());
		assertThat(Timestamps.parseOrNull(null)).isNull();
	}

	/**
	 * Only 1970 to 9999: the year 1, 1969, 10000 and a year past {@code long}
	 * milliseconds (which threw from {@code toEpochMilli}) read as no timestamp; the
	 * bounds themselves are times.
	 */
	@Test
	void shouldReadAnInstantBefore1970OrAfter9999AsNone() {
		assertThat(Timestamps.parseOrNull("1970-01-01T00:00:00Z")).isZero();
		assertThat(Timestamps.parseOrNull("9999-12-31T23:59:59.999Z"))
			.isEqualTo(Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli())
			.isEqualTo(Timestamps.MAX_MS);
		for (String s : new String[] { "0001-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "1969-12-31T23:00:00",
				"+10000-01-01T00:00:00Z", "9999-12-31T23:00:00-01:00", "+1000000000-01-01T00:00:00Z",
				"-1000000000-01-01T00:00:00Z" }) {
			assertThat(Timestamps.parseOrNull(s)).as(s).isNull();
		}
	}

}
