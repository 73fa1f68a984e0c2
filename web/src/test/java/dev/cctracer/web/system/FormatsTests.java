package dev.cctracer.web.system;

import java.time.ZoneId;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Formats} and {@link Zones}.
 */
class FormatsTests {

	private final Formats fmt = new Formats();

	@Test
	void moneyTokensAndDurations() {
		assertThat(this.fmt.money(1234.5)).isEqualTo("$1,234.50");
		assertThat(this.fmt.money(0.0042)).isEqualTo("$0.0042");
		// below a hundredth of a cent, two significant digits (was "$0.0000")
		assertThat(this.fmt.money(0.000036)).isEqualTo("$0.000036");
		assertThat(this.fmt.money(0.00000036)).isEqualTo("$0.00000036");
		assertThat(this.fmt.money(0.0001)).isEqualTo("$0.0001");
		assertThat(this.fmt.money(0)).isEqualTo("$0.00");
		assertThat(this.fmt.tokens(999)).isEqualTo("999");
		assertThat(this.fmt.tokens(985_200)).isEqualTo("985.2K");
		assertThat(this.fmt.tokens(138_090_000)).isEqualTo("138.09M");
		assertThat(this.fmt.tokens(2_500_000_000L)).isEqualTo("2.50B");
		assertThat(this.fmt.duration(3725L)).isEqualTo("1h 02m");
		// a session resumed months later: days, not "4492h 42m"
		assertThat(this.fmt.duration(4492L * 3600 + 42 * 60)).isEqualTo("187d 04h");
		assertThat(this.fmt.duration(86_399L)).isEqualTo("23h 59m");
		assertThat(this.fmt.count(1, "session")).isEqualTo("1 session");
		assertThat(this.fmt.count(0, "tool call")).isEqualTo("0 tool calls");
		assertThat(this.fmt.count(1234, "file")).isEqualTo("1,234 files");
		assertThat(this.fmt.duration(125L)).isEqualTo("2m 05s");
		assertThat(this.fmt.duration(null)).isEmpty();
		assertThat(this.fmt.bytes(2048)).isEqualTo("2.0 KB");
	}

	@Test
	void modelsAreShownByTheirShortNames() {
		assertThat(this.fmt.model("claude-opus-4-6")).isEqualTo("Opus 4.6");
		assertThat(this.fmt.model("claude-sonnet-4-5-20250929")).isEqualTo("Sonnet 4.5");
		assertThat(this.fmt.model("claude-opus-4-20250514")).isEqualTo("Opus 4");
		assertThat(this.fmt.model("claude-haiku-4-5")).isEqualTo("Haiku 4.5");
		assertThat(this.fmt.model("claude-3-5-sonnet-20241022")).isEqualTo("Sonnet 3.5");
		assertThat(this.fmt.model("claude-3-opus-20240229")).isEqualTo("Opus 3");
		// provider forms and Claude Code's 1M-context suffix (seen in cc-2026
		// transcripts)
		assertThat(this.fmt.model("claude-opus-4-7@20260416")).isEqualTo("Opus 4.7 (Vertex AI)");
		assertThat(this.fmt.model("claude-opus-4-7[1m]")).isEqualTo("Opus 4.7 (1M context)");
		assertThat(this.fmt.model("us.anthropic.claude-opus-4-7-v1:0")).isEqualTo("Opus 4.7 (Bedrock)");
		assertThat(this.fmt.model("anthropic/claude-sonnet-4-5-20250929")).isEqualTo("Sonnet 4.5");
		assertThat(this.fmt.model("claude-fable-5-1")).isEqualTo("Fable 5.1");
		assertThat(this.fmt.model("claude-mythos-5")).isEqualTo("Mythos 5");
		assertThat(this.fmt.model("mistral-large")).isEqualTo("mistral-large");
		assertThat(this.fmt.model(null)).isEqualTo("—");
		assertThat(this.fmt.models(List.of("claude-opus-4-6", "claude-haiku-4-5-20251001")))
			.isEqualTo("Opus 4.6, Haiku 4.5");
	}

	@Test
	void timesAreShownInTheChosenZoneAndBadOnesAsTheyAre() {
		assertThat(this.fmt.time("2026-01-09T23:30:00Z", ZoneId.of("Asia/Tokyo"))).isEqualTo("2026-01-10 08:30");
		assertThat(this.fmt.seconds("2026-01-09T23:30:05Z", ZoneId.of("UTC"))).isEqualTo("2026-01-09 23:30:05");
		assertThat(this.fmt.time("yesterday-ish", ZoneId.of("UTC"))).isEqualTo("yesterday-ish");
		assertThat(this.fmt.time(null, ZoneId.of("UTC"))).isEmpty();
	}

	@Test
	void zonesComeFromTheCookieOrTheServer() {
		assertThat(Zones.resolve("Asia/Tokyo")).isEqualTo(ZoneId.of("Asia/Tokyo"));
		assertThat(Zones.resolve("Asia%2FTokyo")).isEqualTo(ZoneId.of("Asia/Tokyo"));
		ZoneId server = Zones.resolve(null);
		assertThat(server.getRules()).isEqualTo(ZoneId.systemDefault().getRules());
		assertThat(Zones.resolve("Not/AZone")).isEqualTo(server);
		assertThat(Zones.resolve("../../etc/passwd")).isEqualTo(server);
		assertThat(Zones.resolve("%zz")).isEqualTo(server);
		assertThat(Zones.choices(ZoneId.of("America/Lima"))).contains("America/Lima", "UTC").isSorted();
	}

	@Test
	void utcIsListedOnceWhateverItsName() {
		for (String name : new String[] { "UTC", "Etc/UTC", "GMT", "Etc/GMT", "Z", "Etc/Universal" }) {
			assertThat(Zones.resolve(name)).as(name).isEqualTo(ZoneId.of("UTC"));
		}
		assertThat(Zones.resolve("Europe/London")).isEqualTo(ZoneId.of("Europe/London"));
		assertThat(Zones.choices(ZoneId.of("Etc/UTC"))).contains("UTC").doesNotContain("Etc/UTC", "GMT");
	}

}
