package dev.cctracer.shared.job;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The IANA names Java's time-zone database lacks (a trial's {@code tz=EST} was a 400
 * "unknown time zone"): the local times are those of IANA's definitions, checked by hand
 * against Python's {@code zoneinfo} — EST, MST and HST without summer time, ROC as
 * Taipei, Coyhaique at -03:00.
 */
class ZoneIdsTests {

	private static final Instant SUMMER = Instant.parse("2026-07-01T12:00:00Z");

	private static final Instant WINTER = Instant.parse("2026-01-15T12:00:00Z");

	@Test
	void shouldKnowTheIanaNamesJavasDatabaseLacks() {
		assertThat(local("EST", SUMMER)).isEqualTo("2026-07-01T07:00");
		assertThat(local("EST", WINTER)).isEqualTo("2026-01-15T07:00");
		assertThat(local("MST", SUMMER)).isEqualTo("2026-07-01T05:00");
		assertThat(local("HST", WINTER)).isEqualTo("2026-01-15T02:00");
		assertThat(local("ROC", SUMMER)).isEqualTo("2026-07-01T20:00");
		assertThat(local("America/Coyhaique", SUMMER)).isEqualTo("2026-07-01T09:00");
		assertThat(local("America/Coyhaique", WINTER)).isEqualTo("2026-01-15T09:00");
	}

	@Test
	void shouldTakeEveryOtherIdAsJavaDoes() {
		// New York keeps its summer time; EST5EDT is Java's already
		assertThat(local("America/New_York", SUMMER)).isEqualTo("2026-07-01T08:00");
		assertThat(local("EST5EDT", SUMMER)).isEqualTo("2026-07-01T08:00");
		assertThat(local("+05:30", WINTER)).isEqualTo("2026-01-15T17:30");
		assertThat(ZoneIds.of("Asia/Tokyo").getId()).isEqualTo("Asia/Tokyo");
		assertThatThrownBy(() -> ZoneIds.of("Mars/Olympus")).isInstanceOf(DateTimeException.class);
		assertThatThrownBy(() -> ZoneIds.of("PST")).isInstanceOf(DateTimeException.class);
	}

	@Test
	void shouldReadAnOffsetWhosePlusAUrlDecodedAsASpace() {
		// ?tz=+05:30 typed in a URL arrives as " 05:30": it had been "unknown time zone"
		assertThat(local(" 05:30", WINTER)).isEqualTo("2026-01-15T17:30");
		assertThat(local(" 0530", WINTER)).isEqualTo("2026-01-15T17:30");
		assertThat(local(" 05", WINTER)).isEqualTo("2026-01-15T17:00");
		assertThat(ZoneIds.of(" 05:30").getId()).isEqualTo("+05:30");
		assertThatThrownBy(() -> ZoneIds.of(" Asia/Tokyo")).isInstanceOf(DateTimeException.class);
		assertThatThrownBy(() -> ZoneIds.of(" 5:30")).isInstanceOf(DateTimeException.class);
	}

	private static String local(String zone, Instant at) {
		return LocalDateTime.ofInstant(at, ZoneIds.of(zone)).toString();
	}

}
