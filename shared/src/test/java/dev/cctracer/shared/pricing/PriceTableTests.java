package dev.cctracer.shared.pricing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

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
		// Claude Code's own lines never reach pricing (the ingest drops them); the table
		// has no card for them
		assertThat(this.table.resolve("<synthetic>").kind()).isEqualTo(PriceTable.Resolution.Kind.UNPRICED);
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
		assertThat(custom.version()).isEqualTo(PriceTable.bundled().version() + "+mine");
	}

	/**
	 * A card laid over a bundled one from a later date changes the prices from that day
	 * only (a helper saved Sonnet 4.6 "from 2026-06-02" at $30/$150 in the admin console
	 * and every earlier day was re-priced tenfold). Sonnet 4.6's bundled card: $3 input,
	 * $15 output per million tokens from 2026-02-17.
	 */
	@Test
	void aCardLaidOverAnotherFromALaterDateKeepsTheEarlierPrices() {
		PriceTable layered = PriceTable.load(List.of(), List.of(new PriceTable.Layer("admin", json("""
				{"models": [{"id": "claude-sonnet-4-6", "prices": [
				  {"effective_from": "2026-06-02", "input": 30, "output": 150}]}]}
				"""))));
		Usage u = new Usage(1_000_000, 1_000_000, 0, 0, 0, false);
		long june1 = Instant.parse("2026-06-01T12:00:00Z").toEpochMilli();
		long june3 = Instant.parse("2026-06-03T12:00:00Z").toEpochMilli();
		// 3 + 15 before, 30 + 150 from the card's day
		assertThat(Cost.usd(layered.cost("claude-sonnet-4-6", june1, u).total())).isEqualTo(18.0);
		assertThat(Cost.usd(layered.cost("claude-sonnet-4-6", june3, u).total())).isEqualTo(180.0);
		// a card from before the bundled one's first date replaces it whole
		PriceTable replaced = PriceTable.load(List.of(), List.of(new PriceTable.Layer("admin", json("""
				{"models": [{"id": "claude-sonnet-4-6", "prices": [
				  {"effective_from": "2026-01-01", "input": 30, "output": 150}]}]}
				"""))));
		assertThat(Cost.usd(replaced.cost("claude-sonnet-4-6", june1, u).total())).isEqualTo(180.0);
	}

	private static JsonNode json(String text) {
		try {
			return new ObjectMapper().readTree(text);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
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
		BigInteger calculated = BigInteger.valueOf(100);
		BigInteger logged = BigInteger.valueOf(30);
		BigInteger calculatedOfLogged = BigInteger.valueOf(40);
		assertThat(CostMode.CALCULATE.total(calculated, logged, calculatedOfLogged)).isEqualTo(100);
		assertThat(CostMode.AUTO.total(calculated, logged, calculatedOfLogged)).isEqualTo(90);
		assertThat(CostMode.DISPLAY.total(calculated, logged, calculatedOfLogged)).isEqualTo(30);
		assertThatIllegalArgumentException().isThrownBy(() -> CostMode.parse("cheap"));
	}

	@Test
	void shouldTurnSumsPastALongIntoDollars() {
		// $10M and $12,345,678,900.000000000001 in pico-USD: more than a long holds
		// (~$9.2M)
		assertThat(Cost.usd(new BigInteger("10000000000000000000"))).isEqualTo(10_000_000.0);
		assertThat(Cost.usd(new BigInteger("12345678900000000000001"))).isEqualTo(12_345_678_900.0);
		assertThat(Cost.usd(new BigInteger("-10000000000000000000"))).isEqualTo(-10_000_000.0);
		// within a long, the same double as before
		long pico = 123_456_789_012_345L;
		assertThat(Cost.usd(BigInteger.valueOf(pico))).isEqualTo(Cost.usd(pico)).isEqualTo(123.456789012345);
	}

	// ---- today's table (../shared/reference/prices-2026-11.md, checked against
	// Anthropic's
	// pricing page); every expected value is the page's price times the tokens, by hand

	private static final long NOV_2026 = Instant.parse("2026-11-20T12:00:00Z").toEpochMilli();

	private static final Usage MILLION_EACH = new Usage(1_000_000, 1_000_000, 1_000_000, 1_000_000, 1_000_000, false);

	private double usd(String model, long at, Usage u) {
		return Cost.usd(this.table.cost(model, at, u).total());
	}

	@Test
	void shouldPriceEveryModelOnThePricingPageAtItsListPrices() {
		// 1M of each kind = input + output + 5m write + 1h write + cache read (USD/MTok):
		// 8+40+10+16+0.2, 4+20+5+8+0.2, 10+50+12.5+20+0.25, 5+25+6.25+10+0.5,
		// 2+10+2.5+4+0.2,
		// 10+50+12.5+20+1, 3+15+3.75+6+0.3, 15+75+18.75+30+1.5
		assertThat(usd("claude-fable-5-2", NOV_2026, MILLION_EACH)).isEqualTo(74.2);
		assertThat(usd("claude-mythos-5-2", NOV_2026, MILLION_EACH)).isEqualTo(74.2);
		assertThat(usd("claude-opus-5-5", NOV_2026, MILLION_EACH)).isEqualTo(37.2);
		assertThat(usd("claude-fable-5-1", NOV_2026, MILLION_EACH)).isEqualTo(92.75);
		assertThat(usd("claude-mythos-5-1", NOV_2026, MILLION_EACH)).isEqualTo(92.75);
		assertThat(usd("claude-opus-5", NOV_2026, MILLION_EACH)).isEqualTo(46.75);
		assertThat(usd("claude-sonnet-5", NOV_2026, MILLION_EACH)).isEqualTo(18.7);
		assertThat(usd("claude-fable-5", NOV_2026, MILLION_EACH)).isEqualTo(93.5);
		assertThat(usd("claude-opus-4-8", NOV_2026, MILLION_EACH)).isEqualTo(46.75);
		assertThat(usd("claude-opus-4-7", NOV_2026, MILLION_EACH)).isEqualTo(46.75);
		assertThat(usd("claude-sonnet-4-6", NOV_2026, MILLION_EACH)).isEqualTo(28.05);
		assertThat(usd("claude-3-opus-20240229", NOV_2026, MILLION_EACH)).isEqualTo(140.25);
		// Sonnet 4.6 has its 1M window at standard rates: 300k input, no premium
		assertThat(usd("claude-sonnet-4-6[1m]", NOV_2026, new Usage(300_000, 0, 0, 0, 0, false))).isEqualTo(0.9);
		for (String model : new String[] { "claude-opus-4-8", "claude-opus-5", "claude-sonnet-5-5", "claude-haiku-5-5",
				"claude-fable-5-2" }) {
			assertThat(this.table.resolve(model).kind()).as(model).isEqualTo(PriceTable.Resolution.Kind.LISTED);
		}
	}

	@Test
	void shouldApplySonnet55sCacheReadCutFromItsDate() {
		Usage read = new Usage(0, 0, 0, 0, 1_000_000, false);
		long before = Instant.parse("2026-10-06T23:59:59Z").toEpochMilli();
		long from = Instant.parse("2026-10-07T00:00:00Z").toEpochMilli();
		assertThat(usd("claude-sonnet-5-5", before, read)).isEqualTo(0.2);
		assertThat(usd("claude-sonnet-5-5", from, read)).isEqualTo(0.1);
	}

	@Test
	void shouldPriceHaiku55sPromptBandOnEveryTokenOfTheRequest() {
		// prompt 60000 + 30000 + 10000 = 100000: not above → 0.1·0.06 + 0.125·0.03 +
		// 0.01·0.01 + 0.5·0.002 = 0.006 + 0.00375 + 0.0001 + 0.001 = 0.01085
		assertThat(usd("claude-haiku-5-5", NOV_2026, new Usage(60_000, 2_000, 30_000, 0, 10_000, false)))
			.isEqualTo(0.01085);
		// 60001 input: above 100k → every token at the band, output included:
		// 0.5·0.060001 + 0.625·0.03 + 0.05·0.01 + 2.5·0.002 = 0.0300005 + 0.01875 +
		// 0.0005 +
		// 0.005 = 0.0542505
		assertThat(usd("claude-haiku-5-5", NOV_2026, new Usage(60_001, 2_000, 30_000, 0, 10_000, false)))
			.isEqualTo(0.0542505);
		// a 1h write in the band: 1.00 per MTok
		assertThat(usd("claude-haiku-5-5", NOV_2026, new Usage(0, 0, 0, 200_000, 0, false))).isEqualTo(0.2);
	}

	@Test
	void shouldApplyEachModelsOwnFastMultiplier() {
		Usage fast = new Usage(1000, 1000, 0, 0, 0, true);
		// (1000·5 + 1000·25)/1e6 = 0.03 at standard rates
		assertThat(usd("claude-opus-4-7", NOV_2026, fast)).isEqualTo(0.18);
		assertThat(usd("claude-opus-4-8", NOV_2026, fast)).isEqualTo(0.06);
		assertThat(usd("claude-opus-5", NOV_2026, fast)).isEqualTo(0.06);
		// opus 5.5: (1000·4 + 1000·20)/1e6 · 2
		assertThat(usd("claude-opus-5-5", NOV_2026, fast)).isEqualTo(0.048);
		// no fast mode: unchanged, (1000·2 + 1000·10)/1e6
		assertThat(usd("claude-sonnet-5", NOV_2026, fast)).isEqualTo(0.012);
	}

	@Test
	void shouldResolveEveryIdFormOfClaudeCodeBedrockAndVertex() {
		for (String id : new String[] { "claude-opus-4-8", "claude-opus-4-8[1m]", "claude-opus-4-8-20260528",
				"anthropic.claude-opus-4-8-v1:0", "us.anthropic.claude-opus-4-8-v1:0",
				"global.anthropic.claude-opus-4-8",
				"arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-opus-4-8-v1:0",
				"claude-opus-4-8@20260528", "CLAUDE-OPUS-4-8", "anthropic/claude-opus-4-8" }) {
			PriceTable.Resolution r = this.table.resolve(id);
			assertThat(r.kind()).as(id).isEqualTo(PriceTable.Resolution.Kind.LISTED);
			assertThat(r.card().id()).as(id).isEqualTo("claude-opus-4-8");
		}
		assertThat(this.table.resolve("claude-sonnet-4-5-20250929").card().id()).isEqualTo("claude-sonnet-4-5");
		assertThat(this.table.resolve("claude-3-5-haiku-latest").card().id()).isEqualTo("claude-3-5-haiku");
		// dated opus 4.5 is 4.5, not 4 (no prefix guessing)
		assertThat(this.table.resolve("claude-opus-4-5-20251101").card().id()).isEqualTo("claude-opus-4-5");
	}

	@Test
	void shouldEstimateAnUnknownModelByTheNewestCardOfItsFamilyAndSaySo() {
		// released after the table: priced as Opus 5.5 (4 / 20), flagged estimated
		PriceTable.Resolution r = this.table.resolve("us.anthropic.claude-opus-6-v1:0");
		assertThat(r.kind()).isEqualTo(PriceTable.Resolution.Kind.ESTIMATED);
		assertThat(r.card().id()).isEqualTo("claude-opus-5-5");
		Cost cost = this.table.cost("claude-opus-6", NOV_2026, new Usage(1_000_000, 1_000_000, 0, 0, 0, false));
		assertThat(cost.priced()).isTrue();
		assertThat(cost.estimated()).isTrue();
		assertThat(Cost.usd(cost.total())).isEqualTo(24.0);
		assertThat(this.table.resolve("claude-haiku-6[1m]").card().id()).isEqualTo("claude-haiku-5-5");
		assertThat(this.table.resolve("claude-sonnet-7").card().id()).isEqualTo("claude-sonnet-5-5");
		assertThat(this.table.resolve("claude-mythos-6").card().id()).isEqualTo("claude-mythos-5-2");
		assertThat(this.table.resolve("claude-fable-6@2027").card().id()).isEqualTo("claude-fable-5-2");
		assertThat(PriceTable.family("anthropic.claude-haiku-9-v1:0")).isEqualTo("haiku");
		// no family: unpriced, cost 0, flagged
		Cost none = this.table.cost("gpt-5", NOV_2026, new Usage(100, 100, 0, 0, 0, false));
		assertThat(none.priced()).isFalse();
		assertThat(none.estimated()).isFalse();
		assertThat(none.total()).isZero();
		// a word that merely contains a family name is no family
		assertThat(PriceTable.family("claude-magnum-opusx")).isNull();
	}

	@Test
	void shouldApplyTheUsDataResidencyPriceToClaude46AndLater() {
		// 1M input at $3: ×1.1 with inference_geo "us" on Sonnet 4.6, not on Sonnet 4.5
		assertThat(usd("claude-sonnet-4-6", NOV_2026, new Usage(1_000_000, 0, 0, 0, 0, false, 0, "us"))).isEqualTo(3.3);
		assertThat(usd("claude-sonnet-4-6", NOV_2026, new Usage(1_000_000, 0, 0, 0, 0, false, 0, Usage.geo("global"))))
			.isEqualTo(3.0);
		// Sonnet 4.5 predates it: 100k input · $3
		assertThat(usd("claude-sonnet-4-5", NOV_2026, new Usage(100_000, 0, 0, 0, 0, false, 0, "us"))).isEqualTo(0.3);
		// stacked with fast mode: Opus 4.8, 1M output · $25 · 2 · 1.1
		assertThat(usd("claude-opus-4-8", NOV_2026, new Usage(0, 1_000_000, 0, 0, 0, true, 0, "us"))).isEqualTo(55.0);
	}

	@Test
	void shouldBillWebSearchesAtTenDollarsPerThousandWhateverTheModel() {
		// case 12: 100·3 + 200·15 + 10000·0.3 = 6300 USD/1e6 = 0.0063, plus 4 searches ·
		// $0.01
		Usage u = new Usage(100, 200, 0, 0, 10_000, false, 4);
		Cost cost = this.table.cost("claude-sonnet-4-5-20250929", NOV_2026, u);
		assertThat(cost.webSearch()).isEqualTo(40_000_000_000L);
		assertThat(Cost.usd(cost.total())).isEqualTo(0.0463);
		assertThat(this.table.webSearchPico()).isEqualTo(10_000_000_000L);
		// an unpriced model's searches are still billed
		assertThat(Cost.usd(this.table.cost("gpt-5", NOV_2026, u).total())).isEqualTo(0.04);
	}

}
