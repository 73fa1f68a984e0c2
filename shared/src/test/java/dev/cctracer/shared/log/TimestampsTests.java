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

}
