package dev.cctracer.web.api;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;
import dev.cctracer.web.TestTranscripts;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Totals past what a {@code long} of pico-USD holds (~$9.22M), as a team's history on one
 * database reaches. Every line is within the bounds a response can have; the sums are
 * not. Priced by hand at Sonnet 4.5's $3 / $15 per million input / output tokens (below
 * the long-context tier).
 */
class CostSumsPastALongTests extends OwnRootWebTest {

	private static final Path ROOT = root();

	/** 20 transcripts of 50 responses: 1,000 × (1,000 input + 900M output tokens). */
	private static final String CALCULATED = "-team-calculated";

	/**
	 * 2 transcripts of 5 responses, each logging {@code costUSD} 999,999.5, 20 minutes
	 * apart. (The stored rows, a file's totals or a quarter-hour of one model, are
	 * {@code long}s: past ~$9.2M in one such row is no real log's.)
	 */
	private static final String LOGGED = "-team-logged";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		TestRoots.scansOnlyWhenAsked(registry);
	}

	@BeforeAll
	static void transcripts() throws Exception {
		// one response a minute from 2026-11-02 00:00 UTC: 1,000 minutes, all that day
		Instant start = Instant.parse("2026-11-02T00:00:00Z");
		Path calculated = Files.createDirectories(ROOT.resolve("claude/projects").resolve(CALCULATED));
		for (int file = 0; file < 20; file++) {
			String session = String.format("c0570000-0000-4000-8000-%012d", file);
			StringBuilder lines = new StringBuilder();
			for (int i = 0; i < 50; i++) {
				int n = file * 50 + i;
				lines.append(TestTranscripts.sonnetResponse(session, "msg_calc_" + n, start.plusSeconds(60L * n), 1_000,
						900_000_000));
			}
			Files.writeString(calculated.resolve(session + ".jsonl"), lines);
		}
		Path logged = Files.createDirectories(ROOT.resolve("claude/projects").resolve(LOGGED));
		Instant nextDay = Instant.parse("2026-11-03T12:00:00Z");
		for (int file = 0; file < 2; file++) {
			String session = String.format("c0570000-0000-4000-9000-%012d", file);
			StringBuilder lines = new StringBuilder();
			for (int i = 0; i < 5; i++) {
				int n = file * 5 + i;
				lines.append(
						TestTranscripts.sonnetResponse(session, "msg_logged_" + n, nextDay.plusSeconds(1200L * n), 1, 1)
							.replace("{\"type\":\"assistant\",", "{\"type\":\"assistant\",\"costUSD\":999999.5,"));
			}
			Files.writeString(logged.resolve(session + ".jsonl"), lines);
		}
	}

	/**
	 * Calculated: 1,000 × (1,000 × $3 + 900M × $15) / 1M = $13,500,003 in one project and
	 * one day, plus 10 × (1 × $3 + 1 × $15) / 1M = $0.00018 in the other. Logged: 10 ×
	 * $999,999.5 = $9,999,995. Auto: the calculated cost of the lines without a logged
	 * one plus the logged ones.
	 */
	@Test
	void totalsPastALongOfPicoDollarsAreExact() throws Exception {
		this.indexer.scanAndIngest();

		JsonNode all = get("/api/metrics/aggregate");
		assertThat(all.get("message_count").asLong()).isEqualTo(1_010);
		assertThat(all.get("tokens").get("output_tokens").asLong()).isEqualTo(900_000_000_000L + 10);
		assertThat(all.get("total_cost").asDouble()).isEqualTo(13_500_003.00018);
		assertThat(get("/api/metrics/aggregate?cost_mode=display").get("total_cost").asDouble()).isEqualTo(9_999_995.0);
		assertThat(get("/api/metrics/aggregate?cost_mode=auto").get("total_cost").asDouble())
			.isEqualTo(13_500_003.0 + 9_999_995.0);

		for (JsonNode p : get("/api/projects").get("projects")) {
			double want = p.get("path_hash").asText().equals(CALCULATED) ? 13_500_003.0 : 0.00018;
			assertThat(p.get("total_cost").asDouble()).as(p.toString()).isEqualTo(want);
		}
		JsonNode days = get("/api/metrics/daily?tz=UTC&from=2026-11-01&to=2026-11-30").get("metrics");
		assertThat(days).hasSize(2);
		assertThat(days.findValuesAsText("date")).containsExactly("2026-11-02", "2026-11-03");
		assertThat(days.get(0).get("cost").asDouble()).isEqualTo(13_500_003.0);
		JsonNode month = get("/api/metrics/monthly?tz=UTC&cost_mode=display").get("metrics");
		assertThat(month).hasSize(1);
		assertThat(month.get(0).get("cost").asDouble()).isEqualTo(9_999_995.0);
	}

	private JsonNode get(String path) throws Exception {
		return TestHttp.json(this.port, path);
	}

	private static Path root() {
		try {
			return TestRoots.create("cost-sums");
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
