package dev.cctracer.web.statusline;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestRoots;
import dev.cctracer.web.TestTranscripts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code GET /api/statusline} on a session of this hour, priced by hand at Sonnet 4.5's
 * $3 / $15 per million input / output tokens: 100,000 input and 20,000 output tokens 40
 * minutes ago ($0.30 + $0.30 = $0.60) and 100,000 output tokens 10 minutes ago ($1.50);
 * another project's session three days ago ($1.50). A monthly budget of $10.
 */
class StatusLineTests extends OwnRootWebTest {

	private static final String SESSION = "57a70000-0000-4000-8000-000000000001";

	private static final String OLDER = "57a70000-0000-4000-8000-000000000002";

	/** A session of a model of no known family, between the other's two responses. */
	private static final String UNPRICED = "57a70000-0000-4000-8000-000000000003";

	private static final Instant NOW = Instant.now();

	private static final Instant FIRST = NOW.minus(40, ChronoUnit.MINUTES);

	private static final Instant SECOND = NOW.minus(10, ChronoUnit.MINUTES);

	private static final Instant EARLIER = NOW.minus(3, ChronoUnit.DAYS);

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("statusline");
			Path projects = ROOT.resolve("claude/projects");
			Files.writeString(Files.createDirectories(projects.resolve("-home-dev-live")).resolve(SESSION + ".jsonl"),
					TestTranscripts.sonnetResponse(SESSION, "msg_sl_1", FIRST, 100_000, 20_000)
							+ TestTranscripts.sonnetResponse(SESSION, "msg_sl_2", SECOND, 0, 100_000));
			Files.writeString(Files.createDirectories(projects.resolve("-home-dev-older")).resolve(OLDER + ".jsonl"),
					TestTranscripts.sonnetResponse(OLDER, "msg_sl_3", EARLIER, 0, 100_000));
			// its tokens cost 0: no total or block cost of the other tests moves
			Files.writeString(Files.createDirectories(projects.resolve("-home-dev-novel")).resolve(UNPRICED + ".jsonl"),
					TestTranscripts.sonnetResponse(UNPRICED, "msg_sl_4", NOW.minus(20, ChronoUnit.MINUTES), 1000, 1000)
						.replace("claude-sonnet-4-5-20250929", "claude-nova-1"));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.limits.monthly-budget-usd", () -> "10");
	}

	@BeforeEach
	void indexed() throws InterruptedException {
		this.indexer.scanAndIngest();
	}

	/** The hand prices of the responses of UTC days {@code first} to {@code last}. */
	private static double costOf(LocalDate first, LocalDate last) {
		double cost = 0;
		for (Object[] r : List.of(new Object[] { FIRST, 0.60 }, new Object[] { SECOND, 1.50 },
				new Object[] { EARLIER, 1.50 })) {
			LocalDate day = ((Instant) r[0]).atZone(ZoneOffset.UTC).toLocalDate();
			if (!day.isBefore(first) && !day.isAfter(last)) {
				cost += (double) r[1];
			}
		}
		return cost;
	}

	@Test
	void shouldSayTheSessionsCostTodaysTheBlocksAndTheMonthsBudget() throws Exception {
		JsonNode json = new ObjectMapper()
			.readTree(get("/api/statusline?session=" + SESSION + "&tz=UTC&format=json").body());
		Instant at = Instant.now();
		LocalDate today = at.atZone(ZoneOffset.UTC).toLocalDate();
		assertThat(json.get("project").asText()).isEqualTo("-home-dev-live");
		assertThat(json.get("session_cost").asDouble()).isCloseTo(2.10, within(1e-9));
		assertThat(json.get("session_unpriced_messages").asLong()).isZero();
		assertThat(json.get("today_cost").asDouble()).isCloseTo(costOf(today, today), within(1e-9));
		// the block began at the hour of the first response, 5 hours long; its burn
		// rate is its cost over the 30 minutes between its responses: $4.20 an hour
		Instant start = FIRST.truncatedTo(ChronoUnit.HOURS);
		JsonNode block = json.get("block");
		assertThat(block.get("cost").asDouble()).isCloseTo(2.10, within(1e-9));
		assertThat(block.get("ends_at").asText()).isEqualTo(start.plus(5, ChronoUnit.HOURS).toString());
		long left = Duration.between(at, start.plus(5, ChronoUnit.HOURS)).toMinutes();
		assertThat(block.get("minutes_left").asLong()).isBetween(left, left + 1);
		assertThat(block.get("cost_per_hour").asDouble()).isCloseTo(4.20, within(1e-9));
		double month = costOf(YearMonth.from(today).atDay(1), today);
		assertThat(json.get("month").get("spent_usd").asDouble()).isCloseTo(month, within(1e-9));
		assertThat(json.get("month").get("budget_usd").asDouble()).isEqualTo(10.0);
		// the text: the same numbers as people read them (the same answer's: a minute
		// may turn between two requests)
		long minutes = block.get("minutes_left").asLong();
		assertThat(json.get("text").asText()).isEqualTo(String.format(Locale.ROOT,
				"session $2.10 · today $%.2f · block $2.10, %dh %02dm left, $4.20/h · month $%.2f of $10.00 (%d%%)",
				costOf(today, today), minutes / 60, minutes % 60, month, Math.round(month * 10)));
		// as text/plain: the line alone
		assertThat(get("/api/statusline?session=" + SESSION + "&tz=UTC").body()).matches(
				"session \\$2\\.10 · today \\$\\d+\\.\\d\\d · block \\$2\\.10, \\dh \\d\\dm left, \\$4\\.20/h · month .*\n");
	}

	/**
	 * A session of a model of no known family says its cost is no whole one: its tokens
	 * cost 0 (a drift trial's read "session $0.03" alone).
	 */
	@Test
	void shouldSayASessionsResponsesOfAModelNoCardPrices() throws Exception {
		JsonNode json = new ObjectMapper()
			.readTree(get("/api/statusline?session=" + UNPRICED + "&tz=UTC&format=json").body());
		assertThat(json.get("session_cost").asDouble()).isZero();
		assertThat(json.get("session_unpriced_messages").asLong()).isOne();
		assertThat(json.get("text").asText()).startsWith("session $0.00 (1 unpriced) · today $");
	}

	@Test
	void shouldGiveASessionNotIndexedYetTheRestAndABadOneA400() throws Exception {
		// Claude Code asks before the session's first line is written
		JsonNode json = new ObjectMapper()
			.readTree(get("/api/statusline?session=57a70000-0000-4000-8000-0000000000ff&tz=UTC&format=json").body());
		assertThat(json.get("project").isNull()).isTrue();
		assertThat(json.get("session_cost").isNull()).isTrue();
		assertThat(json.get("session_unpriced_messages").isNull()).isTrue();
		assertThat(json.get("text").asText()).startsWith("today $");
		HttpResponse<String> bad = get("/api/statusline?session=..%2F..%2Fetc");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).doesNotContain("Exception");
		assertThat(get("/api/statusline?tz=Mars/Olympus").statusCode()).isEqualTo(400);
		assertThat(get("/api/statusline?format=xml").statusCode()).isEqualTo(400);
		// it finds a session's project itself: a project filter is refused, not ignored
		HttpResponse<String> project = get("/api/statusline?project=-home-dev-live");
		assertThat(project.statusCode()).isEqualTo(400);
		assertThat(project.body()).contains("this endpoint has no project filter");
		HttpResponse<String> plain = get("/api/statusline");
		assertThat(plain.statusCode()).isEqualTo(200);
		assertThat(plain.headers().firstValue("Content-Type"))
			.hasValueSatisfying((t) -> assertThat(t).startsWith("text/plain"));
		assertThat(plain.body()).startsWith("today $").contains("block $2.10");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

}
