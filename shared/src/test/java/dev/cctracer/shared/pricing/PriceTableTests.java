package dev.cctracer.shared.pricing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.shared.log.Usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link PriceTable}: every price rule pinned by an example computed by hand
 * (the arithmetic is written out in each test). Costs are in pico-USD (10^-12 USD): a
 * price of P USD per million tokens is P·10^6 pico-USD per token.
 */
class PriceTableTests {

	private static final long DAY_2026 = Instant.parse("2026-03-01T12:00:00Z").toEpochMilli();

	private final PriceTable table = PriceTable.bundled();

	@Test
	void shouldPriceEveryTokenKindIncluding1hWrites() {
		// opus 4.6 (5 / 25 / 6.25 / 10 / 0.5): the response in spotter/short.jsonl
		// 3·5 + 13·25 + 13835·10 + 11515·0.5 = 15 + 325 + 138350 + 5757.5 = 144447.5
		// USD/1e6
		Cost cost = this.table.cost("claude-opus-4-6", DAY_2026, new Usage(3, 13, 0, 13835, 11515, false));
		assertThat(cost.priced()).isTrue();
		assertThat(cost.input()).isEqualTo(15_000_000L);
		assertThat(cost.output()).isEqualTo(325_000_000L);
		assertThat(cost.cacheWrite()).isEqualTo(138_350_000_000L);
		assertThat(cost.cacheRead()).isEqualTo(5_757_500_000L);
		assertThat(Cost.usd(cost.total())).isEqualTo(0.1444475);
	}

	@Test
	void shouldPrice5mWritesAt125PercentOfInput() {
		// sonnet 4 dated id: 1000 5m writes · 3.75 = 3750 USD/1e6
		Cost cost = this.table.cost("claude-sonnet-4-20250514", DAY_2026, new Usage(0, 0, 1000, 0, 0, false));
		assertThat(cost.cacheWrite()).isEqualTo(3_750_000_000L);
	}

	@Test
	void shouldPriceALongContextRequestEntirelyAtLongContextPrices() {
		// input side 150000 + 60000 = 210000 > 200000: 150000·6 + 60000·0.6 + 1000·22.5 =
		// 958500 USD/1e6
		Cost over = this.table.cost("claude-sonnet-4-5-20250929", DAY_2026,
				new Usage(150_000, 1000, 0, 0, 60_000, false));
		assertThat(Cost.usd(over.total())).isEqualTo(0.9585);
		// exactly 200000 is not above: 140000·3 + 60000·0.3 + 1000·15 = 453000 USD/1e6
		Cost at = this.table.cost("claude-sonnet-4-5", DAY_2026, new Usage(140_000, 1000, 0, 0, 60_000, false));
		assertThat(Cost.usd(at.total())).isEqualTo(0.453);
		// opus has no long-context prices
		Cost opus = this.table.cost("claude-opus-4-6", DAY_2026, new Usage(300_000, 0, 0, 0, 0, false));
		assertThat(Cost.usd(opus.total())).isEqualTo(1.5);
	}

	@Test
	void shouldApplyTheFastMultiplier() {
		// (1000·5 + 1000·25)·6 = 180000 USD/1e6
		Cost fast = this.table.cost("claude-opus-4-6", DAY_2026, new Usage(1000, 1000, 0, 0, 0, true));
		assertThat(Cost.usd(fast.total())).isEqualTo(0.18);
		// a model without a multiplier is unchanged: 1000·1 + 1000·5 = 6000 USD/1e6
		Cost haiku = this.table.cost("claude-haiku-4-5-20251001", DAY_2026, new Usage(1000, 1000, 0, 0, 0, true));
		assertThat(Cost.usd(haiku.total())).isEqualTo(0.006);
	}

	@Test
	void shouldMatchDatedAndUndatedIdsWithoutPrefixGuessing() {
		// opus 4.5 must not fall to opus 4 prices (the original tracer's prefix bug): 1M
		// input = $5, not $15
		assertThat(
				Cost.usd(this.table.cost("claude-opus-4-5", DAY_2026, new Usage(1_000_000, 0, 0, 0, 0, false)).total()))
			.isEqualTo(5.0);
		assertThat(Cost
			.usd(this.table.cost("claude-opus-4-20250514", DAY_2026, new Usage(1_000_000, 0, 0, 0, 0, false)).total()))
			.isEqualTo(15.0);
		// haiku 3.5: 0.8 / 4 / 1 / 1.6 / 0.08 → 1M of each = 7.48
		assertThat(
				Cost.usd(this.table
					.cost("claude-3-5-haiku-20241022", DAY_2026,
							new Usage(1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, false))
					.total()))
			.isEqualTo(7.48);
		assertThat(this.table.find("claude-sonnet-4-5-20250929[1m]")).isNotNull();
	}

	@Test
	void shouldFlagUnknownModelsAsUnpriced() {
		Cost cost = this.table.cost("gpt-5", DAY_2026, new Usage(100, 100, 0, 0, 0, false));
		assertThat(cost.priced()).isFalse();
		assertThat(cost.total()).isZero();
		assertThat(this.table.cost(null, DAY_2026, Usage.ZERO).priced()).isFalse();
		assertThat(this.table.cost("<synthetic>", DAY_2026, Usage.ZERO).priced()).isTrue();
	}

	@Test
	void shouldPriceEachEventAtThePriceValidOnItsDateAndFillDefaultCachePrices(@TempDir Path tmp) throws IOException {
		Path file = tmp.resolve("prices.json");
		Files.writeString(file, """
				{"version": "mine", "models": [
				  {"id": "claude-haiku-4-5", "aliases": ["claude-haiku-4-5"], "prices": [
				    {"effective_from": "2025-10-15", "input": 1, "output": 5},
				    {"effective_from": "2026-06-01", "input": 2, "output": 10}]}]}
				""");
		PriceTable custom = PriceTable.load(file);
		Usage u = new Usage(1_000_000, 0, 1_000_000, 1_000_000, 1_000_000, false);
		// before June: 1 + 1.25 + 2 + 0.1 = 4.35
		assertThat(Cost.usd(custom.cost("claude-haiku-4-5", DAY_2026, u).total())).isEqualTo(4.35);
		// from June: 2 + 2.5 + 4 + 0.2 = 8.7
		long july = Instant.parse("2026-07-01T00:00:00Z").toEpochMilli();
		assertThat(Cost.usd(custom.cost("claude-haiku-4-5", july, u).total())).isEqualTo(8.7);
		// bundled models stay, and the table's fingerprint changes
		assertThat(custom.find("claude-opus-4-6")).isNotNull();
		assertThat(custom.fingerprint()).isNotEqualTo(this.table.fingerprint());
		assertThat(custom.version()).isEqualTo("2026-11-23+mine");
	}

	@Test
	void shouldRejectABrokenPriceFileClearly(@TempDir Path tmp) throws IOException {
		Path file = tmp.resolve("prices.json");
		Files.writeString(file, "{\"models\": [{\"id\": \"x\"}]}");
		assertThatIllegalArgumentException().isThrownBy(() -> PriceTable.load(file)).withMessageContaining("prices");
		assertThatIllegalArgumentException().isThrownBy(() -> PriceTable.load(tmp.resolve("missing.json")))
			.withMessageContaining("cannot read price file");
	}

	@Test
	void shouldCombineCostModes() {
		assertThat(CostMode.CALCULATE.total(100, 30, 40)).isEqualTo(100);
		assertThat(CostMode.AUTO.total(100, 30, 40)).isEqualTo(90);
		assertThat(CostMode.DISPLAY.total(100, 30, 40)).isEqualTo(30);
		assertThatIllegalArgumentException().isThrownBy(() -> CostMode.parse("cheap"));
	}

}
