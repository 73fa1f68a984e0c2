package dev.cctracer.web.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestTranscripts;
import dev.cctracer.web.usage.BlocksService;
import dev.cctracer.web.usage.BlocksService.BlockDto;
import dev.cctracer.web.usage.BlocksService.BlocksDto;
import dev.cctracer.web.usage.Period;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /api/metrics/blocks} on the real spotter project. Expected blocks were computed
 * with a short Python script: deduplicated records sorted by time, a block starting at
 * the UTC hour floor of its first record and closed after 5 hours or a 5-hour gap.
 */
class BlocksApiTests extends RealDataWebTest {

	private static final String URL = "/api/metrics/blocks?project_hash=" + RealDataLayout.SPOTTER
			+ "&from=2026-02-01&to=2026-02-28";

	/**
	 * The blocks read only the copies of files with lines in their range: over every
	 * project and every month the real transcripts span, the blocks' tokens and messages
	 * are the aggregate's of the same range (both count each record at its time), a
	 * transcript whose lines are out of time order and one whose usage lines have no
	 * timestamp of their own included.
	 */
	@Test
	void shouldCountInTheBlocksOfARangeEveryRecordTheAggregateCountsThere() throws Exception {
		Path dir = Files.createDirectories(ROOT.resolve("claude/projects/-blocks-out-of-order"));
		String session = "b10c0000-0000-4000-8000-000000000001";
		// a response logged after a later one, and one without a timestamp (counted at
		// the time of the line before it in the file: March 3)
		Files.writeString(dir.resolve(session + ".jsonl"),
				TestTranscripts.sonnetResponse(session, "msg_b1", Instant.parse("2026-03-10T12:00:00Z"), 1, 100)
						+ TestTranscripts.sonnetResponse(session, "msg_b2", Instant.parse("2026-03-03T08:00:00Z"), 1,
								200)
						+ TestTranscripts.sonnetResponse(session, "msg_b3", null, 1, 300));
		indexed();
		for (YearMonth month = YearMonth.of(2025, 1); !month.isAfter(YearMonth.of(2026, 12)); month = month
			.plusMonths(1)) {
			String range = "from=" + month.atDay(1) + "&to=" + month.atEndOfMonth() + "&tz=UTC";
			JsonNode aggregate = get("/api/metrics/aggregate?" + range).body();
			long output = 0;
			long messages = 0;
			for (JsonNode b : get("/api/metrics/blocks?" + range).body().get("blocks")) {
				output += b.get("tokens").get("output_tokens").asLong();
				messages += b.get("message_count").asLong();
			}
			assertThat(output).as("%s", month).isEqualTo(aggregate.get("tokens").get("output_tokens").asLong());
			assertThat(messages).as("%s", month).isEqualTo(aggregate.get("message_count").asLong());
		}
		String march = "from=2026-03-01&to=2026-03-31&tz=UTC&project_hash=-blocks-out-of-order";
		assertThat(get("/api/metrics/blocks?" + march).body().get("blocks"))
			.extracting((b) -> b.get("tokens").get("output_tokens").asLong())
			.containsExactly(200L + 300L, 100L);
	}

	@Test
	void shouldSplitUsageIntoFiveHourBlocks() throws Exception {
		indexed();
		JsonNode report = get(URL + "&tz=UTC").body();
		JsonNode blocks = report.get("blocks");
		assertThat(blocks).hasSize(2);
		assertThat(blocks.get(0).get("start_time").asText()).isEqualTo("2026-02-10T21:00:00Z");
		assertThat(blocks.get(0).get("end_time").asText()).isEqualTo("2026-02-11T02:00:00Z");
		assertThat(blocks.get(0).get("message_count").asLong()).isEqualTo(35);
		assertThat(blocks.get(0).get("tokens").get("output_tokens").asLong()).isEqualTo(1839);
		assertThat(blocks.get(1).get("start_time").asText()).isEqualTo("2026-02-12T14:00:00Z");
		assertThat(blocks.get(1).get("message_count").asLong()).isEqualTo(221);
		assertThat(blocks.get(1).get("tokens").get("output_tokens").asLong()).isEqualTo(49482);
		assertThat(blocks.get(1).get("is_active").asBoolean()).isFalse();
		assertThat(blocks.get(1).get("tokens_per_minute").asDouble()).isPositive();
		assertThat(blocks.get(1).get("percent_of_token_limit").asDouble())
			.isEqualTo(Math.round(blocks.get(1).get("total_tokens").asLong() / 1_000.0) / 100.0);
		assertThat(report.get("active_block").isNull()).isTrue();
		// both blocks fall in the week of Monday 2026-02-09
		assertThat(report.get("weeks")).hasSize(1);
		assertThat(report.get("weeks").get(0).get("week_start").asText()).isEqualTo("2026-02-09");
		assertThat(report.get("weeks").get(0).get("message_count").asLong()).isEqualTo(256);
		assertThat(report.get("weeks").get(0).get("percent_of_cost_limit").asDouble())
			.isEqualTo(Math.round(report.get("weeks").get(0).get("cost").asDouble() * 100) / 100.0);
	}

	/**
	 * The monthly budget (50 USD in these tests): the real transcripts are of earlier
	 * months, so this month has spent nothing, under the budget; a zone that does not
	 * exist is a 400.
	 */
	@Test
	void theMonthlyBudgetSaysThisMonthsSpendAndStatus() throws Exception {
		indexed();
		JsonNode budget = get("/api/metrics/budget?tz=UTC").body();
		assertThat(budget.get("month").asText()).isEqualTo(YearMonth.now(ZoneOffset.UTC).toString());
		assertThat(budget.get("tz").asText()).isEqualTo("UTC");
		assertThat(budget.get("spent_usd").asDouble()).isZero();
		assertThat(budget.get("budget_usd").asDouble()).isEqualTo(50.0);
		assertThat(budget.get("percent").asDouble()).isZero();
		assertThat(budget.get("status").asText()).isEqualTo("under");
		assertThat(get("/api/metrics/budget?tz=Mars/Olympus").status()).isEqualTo(400);
	}

	@Autowired
	BlocksService blocks;

	/**
	 * Each request's clock decides the active block and its projection, while the blocks'
	 * sums, summed once for a period with both ends, stay those of the records.
	 */
	@Test
	void shouldJudgeTheActiveBlockByEachRequestsClock() throws Exception {
		indexed();
		Period february = Period.days(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 28), ZoneOffset.UTC);
		BlocksDto later = this.blocks.blocks(null, february, CostMode.CALCULATE,
				Instant.parse("2026-12-01T00:00:00Z").toEpochMilli());
		assertThat(later.activeBlock()).isNull();
		BlockDto last = later.blocks().get(later.blocks().size() - 1);
		long lastActivity = Instant.parse(last.lastActivity()).toEpochMilli();
		long end = Instant.parse(last.endTime()).toEpochMilli();
		assertThat(end - lastActivity).as("the last record is before its block's end").isPositive();

		long during = lastActivity + Math.min(Duration.ofMinutes(1).toMillis(), (end - lastActivity) / 2);
		BlocksDto then = this.blocks.blocks(null, february, CostMode.CALCULATE, during);
		assertThat(then.activeBlock()).isNotNull();
		assertThat(then.activeBlock().startTime()).isEqualTo(last.startTime());
		assertThat(then.activeBlock().projectedTotalTokens()).isGreaterThanOrEqualTo(last.totalTokens());
		assertThat(last.projectedTotalTokens()).isNull();
		assertThat(sums(then)).isEqualTo(sums(later));

		BlocksDto afterItsEnd = this.blocks.blocks(null, february, CostMode.CALCULATE, end + 1);
		assertThat(afterItsEnd.activeBlock()).isNull();
		assertThat(sums(afterItsEnd)).isEqualTo(sums(later));
	}

	private static List<String> sums(BlocksDto report) {
		return report.blocks()
			.stream()
			.map((b) -> b.startTime() + " " + b.totalTokens() + " " + b.messageCount() + " " + b.cost())
			.toList();
	}

	/**
	 * A block starts at the UTC hour of its first record in every zone, as ccusage's
	 * ({@code floorToHour}: {@code setUTCMinutes(0, 0, 0)}): India is 5:30 ahead of UTC
	 * and Nepal 5:45, and their blocks had started at 20:30Z and 20:15Z (a trial saw one
	 * block of 284 messages become two in Kathmandu, and the status line's reset move).
	 */
	@Test
	void shouldStartBlocksAtTheUtcHourInEveryZone() throws Exception {
		indexed();
		for (String zone : List.of("Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns")) {
			JsonNode blocks = get(URL + "&tz=" + zone).body().get("blocks");
			// the first record is at 21:11Z
			assertThat(blocks).as(zone).hasSize(2);
			assertThat(blocks.get(0).get("start_time").asText()).as(zone).isEqualTo("2026-02-10T21:00:00Z");
			assertThat(blocks.get(0).get("message_count").asLong()).as(zone).isEqualTo(35);
			assertThat(blocks.get(1).get("start_time").asText()).as(zone).isEqualTo("2026-02-12T14:00:00Z");
			assertThat(blocks.get(1).get("message_count").asLong()).as(zone).isEqualTo(221);
		}
		assertThat(get("/api/metrics/blocks?tz=Nowhere/City").status()).isEqualTo(400);
		// an IANA name Java's database lacks is a zone too (it had been a 400): EST is
		// -05:00 all year, as its weeks say
		JsonNode est = get(URL + "&tz=EST").body();
		assertThat(est.get("timezone").asText()).isEqualTo("-05:00");
		assertThat(est.get("weeks")).isEqualTo(get(URL + "&tz=-05:00").body().get("weeks"));
		assertThat(get("/api/metrics/blocks?from=2026-02-10&to=2026-02-01").status()).isEqualTo(400);
	}

	/**
	 * A range within one millisecond is an empty range, as every other report answers it
	 * (both bounds are taken at the next millisecond; it had been a 400), and so is a
	 * start still to come with an open end; a range from a record's own millisecond to
	 * within it holds the record.
	 */
	@Test
	void shouldAnswerAnEmptyRangeWithNoBlocks() throws Exception {
		indexed();
		JsonNode first = get(URL + "&tz=UTC").body().get("blocks").get(0);
		Instant last = Instant.parse(first.get("last_activity").asText());
		String project = "/api/metrics/blocks?tz=UTC&project_hash=" + RealDataLayout.SPOTTER;
		Response within = get(project + "&from=" + last.plusNanos(200_000) + "&to=" + last.plusNanos(700_000));
		assertThat(within.status()).isEqualTo(200);
		assertThat(within.body().get("blocks")).isEmpty();
		JsonNode record = get(project + "&from=" + last + "&to=" + last.plusNanos(700_000)).body().get("blocks");
		assertThat(record).hasSize(1);
		assertThat(record.get(0).get("last_activity").asText()).isEqualTo(last.toString());
		Response future = get(project + "&from=2999-01-01");
		assertThat(future.status()).isEqualTo(200);
		assertThat(future.body().get("blocks")).isEmpty();
		assertThat(future.body().get("weeks")).isEmpty();
	}

	/**
	 * A range to the API's last day ends at 10000-01-01T00:00Z, which RFC 3339 cannot
	 * write (it had been sent as {@code +10000-01-01T00:00:00Z}, which JavaScript's
	 * {@code Date} does not read): it is shown as the last instant a line can have, and
	 * the range still holds every block.
	 */
	@Test
	void shouldShowARangeToTheLastDayInFourDigitYears() throws Exception {
		indexed();
		JsonNode all = get(
				"/api/metrics/blocks?tz=UTC&from=1970-01-01&to=9999-12-31&project_hash=" + RealDataLayout.SPOTTER)
			.body();
		assertThat(all.get("from").asText()).isEqualTo("1970-01-01T00:00:00Z");
		assertThat(all.get("to").asText()).isEqualTo("9999-12-31T23:59:59.999Z");
		assertThat(all.get("blocks")).isEqualTo(get(URL + "&tz=UTC").body().get("blocks"));
	}

}
