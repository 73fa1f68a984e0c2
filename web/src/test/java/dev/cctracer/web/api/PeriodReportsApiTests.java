package dev.cctracer.web.api;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code /api/metrics/weekly} and {@code /monthly} on the real transcripts: each week
 * (Monday to Sunday) and month is the sum of its days of {@code /api/metrics/daily}, in
 * the same zone, field by field and model by model; the exports carry the same numbers.
 */
class PeriodReportsApiTests extends RealDataWebTest {

	private static final List<String> FIELDS = List.of("input_tokens", "output_tokens", "cache_creation", "cache_read",
			"cache_creation_5m", "cache_creation_1h", "message_count", "web_search_requests", "api_errors");

	@Test
	void weeksAndMonthsAreTheSumsOfTheirDaysInTheZone() throws Exception {
		indexed();
		for (String tz : List.of("UTC", "America/Los_Angeles", "Asia/Tokyo")) {
			JsonNode daily = get("/api/metrics/daily?tz=" + tz).body();
			JsonNode weekly = get("/api/metrics/weekly?tz=" + tz).body();
			JsonNode monthly = get("/api/metrics/monthly?tz=" + tz).body();
			assertThat(weekly.get("timezone").asText()).isEqualTo(tz);
			assertThat(monthly.get("timezone").asText()).isEqualTo(tz);
			assertThat(daily.get("metrics").size()).isGreaterThan(weekly.get("metrics").size());
			assertThat(weekly.get("metrics").size()).isGreaterThan(1);
			for (JsonNode week : weekly.get("metrics")) {
				LocalDate monday = LocalDate.parse(week.get("week_start").asText());
				assertThat(monday.getDayOfWeek()).isEqualTo(DayOfWeek.MONDAY);
				assertThat(week.get("week_end").asText()).isEqualTo(monday.plusDays(6).toString());
			}
			assertSums(daily, weekly, "week_start", (date) -> date.with(DayOfWeek.MONDAY).toString());
			assertSums(daily, monthly, "month", (date) -> date.toString().substring(0, 7));
			// and all of them add up to the aggregate
			JsonNode aggregate = get("/api/metrics/aggregate?tz=" + tz).body();
			assertThat(total(weekly.get("metrics"), "message_count"))
				.isEqualTo(aggregate.get("message_count").asLong());
			assertThat(total(monthly.get("metrics"), "message_count"))
				.isEqualTo(aggregate.get("message_count").asLong());
			assertThat(costOf(monthly.get("metrics"))).isCloseTo(aggregate.get("total_cost").asDouble(), within(1e-6));
		}
	}

	@Test
	void aRangeCutsWeeksAtItsDaysAndTheExportsCarryTheApisNumbers() throws Exception {
		indexed();
		JsonNode weeks = get("/api/metrics/weekly?tz=UTC").body().get("metrics");
		String first = weeks.get(0).get("week_start").asText();
		// from a Wednesday: the first week has only its days from Wednesday on
		String wednesday = LocalDate.parse(first).plusDays(2).toString();
		JsonNode daily = get("/api/metrics/daily?tz=UTC&from=" + wednesday).body();
		JsonNode cut = get("/api/metrics/weekly?tz=UTC&from=" + wednesday).body();
		assertSums(daily, cut, "week_start", (date) -> date.with(DayOfWeek.MONDAY).toString());
		assertThat(cut.get("metrics").get(0).get("week_start").asText()).isEqualTo(first);
		// the exports: a row per period and model, the API's numbers
		for (String report : List.of("weekly", "monthly")) {
			JsonNode api = get("/api/metrics/" + report + "?tz=UTC").body().get("metrics");
			JsonNode rows = get("/api/exports/" + report + "?format=json&tz=UTC").body();
			long models = 0;
			for (JsonNode p : api) {
				models += p.get("models").size();
			}
			assertThat(rows).hasSize((int) models);
			assertThat(total(rows, "messages")).isEqualTo(total(api, "message_count"));
			assertThat(costOf(rows)).isCloseTo(costOf(api), within(1e-6));
		}
		List<String> csv = Arrays.asList(get("/api/exports/weekly?format=csv&tz=UTC").text().strip().split("\n"));
		assertThat(csv.get(0).strip()).isEqualTo("week_start,model,messages,input_tokens,output_tokens,"
				+ "cache_creation_5m_input_tokens,cache_creation_1h_input_tokens,cache_read_input_tokens,cost,"
				+ "unpriced_messages,estimated_messages");
		assertThat(get("/api/exports/monthly?format=csv&tz=UTC").text()).startsWith("month,model,messages");
		// blocks of the data's whole span: one row per block of /api/metrics/blocks
		JsonNode aggregate = get("/api/metrics/aggregate").body();
		String span = "from=" + aggregate.get("first_activity").asText() + "&to="
				+ LocalDate.parse(aggregate.get("last_activity").asText().substring(0, 10)).plusDays(1) + "&tz=UTC";
		JsonNode blocks = get("/api/metrics/blocks?" + span).body().get("blocks");
		JsonNode blockRows = get("/api/exports/blocks?format=json&" + span).body();
		assertThat(blocks.size()).isGreaterThan(1);
		assertThat(blockRows).hasSize(blocks.size());
		assertThat(Instant.parse(blockRows.get(0).get("start_time").asText()))
			.isEqualTo(Instant.parse(blocks.get(0).get("start_time").asText()));
		// every export's instants with their milliseconds, as the entry-level export's
		// (the sessions' had mixed 21:05:00Z and 00:54.840Z)
		assertThat(blockRows.findValuesAsText("start_time"))
			.allSatisfy((t) -> assertThat(t).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
		assertThat(get("/api/exports/sessions?format=json").body().findValuesAsText("end_time")).isNotEmpty()
			.allSatisfy((t) -> assertThat(t).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z"));
		assertThat(total(blockRows, "messages")).isEqualTo(total(blocks, "message_count"));
		assertThat(get("/api/metrics/weekly?tz=Mars/Olympus").status()).isEqualTo(400);
		assertThat(get("/api/metrics/monthly?project_hash=-no-such-project").status()).isEqualTo(404);
	}

	/** Each group of {@code grouped} is the sum of the days {@code key} maps to it. */
	private static void assertSums(JsonNode daily, JsonNode grouped, String keyField, Function<LocalDate, String> key) {
		Map<String, Map<String, Long>> expected = new HashMap<>();
		Map<String, Double> expectedCost = new HashMap<>();
		Map<String, Map<String, Long>> expectedModels = new HashMap<>();
		for (JsonNode day : daily.get("metrics")) {
			String group = key.apply(LocalDate.parse(day.get("date").asText()));
			for (String f : FIELDS) {
				expected.computeIfAbsent(group, (g) -> new HashMap<>()).merge(f, day.get(f).asLong(), Long::sum);
			}
			expectedCost.merge(group, day.get("cost").asDouble(), Double::sum);
			for (JsonNode m : day.get("models")) {
				expectedModels.computeIfAbsent(group, (g) -> new HashMap<>())
					.merge(m.get("model").asText(), m.get("message_count").asLong(), Long::sum);
			}
		}
		assertThat(grouped.get("metrics")).hasSize(expected.size());
		for (JsonNode g : grouped.get("metrics")) {
			String group = g.get(keyField).asText();
			for (String f : FIELDS) {
				assertThat(g.get(f).asLong()).as(group + " " + f).isEqualTo(expected.get(group).get(f));
			}
			assertThat(g.get("cost").asDouble()).as(group + " cost").isCloseTo(expectedCost.get(group), within(1e-6));
			Map<String, Long> models = new HashMap<>();
			for (JsonNode m : g.get("models")) {
				models.put(m.get("model").asText(), m.get("message_count").asLong());
			}
			assertThat(models).as(group + " models").isEqualTo(expectedModels.getOrDefault(group, Map.of()));
		}
	}

	private static long total(JsonNode rows, String field) {
		long total = 0;
		for (JsonNode r : rows) {
			total += r.get(field).asLong();
		}
		return total;
	}

	private static double costOf(JsonNode rows) {
		double cost = 0;
		for (JsonNode r : rows) {
			cost += r.get("cost").asDouble();
		}
		return cost;
	}

}
