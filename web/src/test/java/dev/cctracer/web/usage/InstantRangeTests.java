package dev.cctracer.web.usage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A range given as instants inside 15-minute buckets counts the responses of that range
 * to the millisecond (a trial asked 11:17–11:18 and got 0 of 4 responses, and 11:10–11:20
 * the whole 11:15 bucket and none of 11:10–11:15, with a last activity after its end).
 * The responses below are written as Claude Code writes them (each one's usage on two
 * content-block lines); every expected figure is counted by hand from the table.
 */
class InstantRangeTests extends OwnRootWebTest {

	private static final String SHOP = "-home-me-shop";

	private static final String BLOG = "-home-me-blog";

	/** Time, input and output tokens of each response of the shop's session. */
	private static final Object[][] SHOP_RESPONSES = { { "11:05:00.000", 100, 10 }, { "11:14:59.999", 200, 20 },
			{ "11:15:00.000", 400, 40 }, { "11:17:30.000", 800, 80 }, { "11:29:59.000", 1600, 160 },
			{ "11:31:00.000", 3200, 320 } };

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("instant-range");
			StringBuilder shop = new StringBuilder();
			int n = 0;
			for (Object[] r : SHOP_RESPONSES) {
				n++;
				shop.append(response("a1b2c3d4-0000-4000-8000-000000000001", "msg_shop" + n, (String) r[0], (int) r[1],
						(int) r[2]));
			}
			Files.writeString(Files.createDirectories(ROOT.resolve("claude/projects/" + SHOP))
				.resolve("a1b2c3d4-0000-4000-8000-000000000001.jsonl"), shop);
			Files.writeString(
					Files.createDirectories(ROOT.resolve("claude/projects/" + BLOG))
						.resolve("b1b2c3d4-0000-4000-8000-000000000002.jsonl"),
					response("b1b2c3d4-0000-4000-8000-000000000002", "msg_blog1", "11:16:00.000", 6400, 640));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		TestRoots.scansOnlyWhenAsked(registry);
	}

	@BeforeEach
	void index() throws InterruptedException {
		this.indexer.scanAndIngest();
	}

	@Test
	void shouldCountTheResponsesOfARangeToTheMillisecond() throws Exception {
		// 11:14:59.999, 11:15:00, 11:17:30 and the blog's 11:16
		JsonNode a = aggregate("from=2026-06-02T11:10:00Z&to=2026-06-02T11:20:00Z");
		assertThat(a.get("message_count").asLong()).isEqualTo(4);
		assertThat(a.at("/tokens/input_tokens").asLong()).isEqualTo(200 + 400 + 800 + 6400);
		assertThat(a.at("/tokens/output_tokens").asLong()).isEqualTo(20 + 40 + 80 + 640);
		assertThat(a.get("session_count").asLong()).isEqualTo(2);
		assertThat(a.get("project_count").asLong()).isEqualTo(2);
		// within the range asked, not at the ends of its buckets
		assertThat(a.get("first_activity").asText()).isGreaterThanOrEqualTo("2026-06-02T11:10:00.000Z");
		assertThat(a.get("last_activity").asText()).isLessThanOrEqualTo("2026-06-02T11:19:59.999Z");

		// one minute inside a bucket: the 11:17:30 response, $3/M input and $15/M output
		JsonNode b = aggregate("from=2026-06-02T11:17:00Z&to=2026-06-02T11:18:00Z");
		assertThat(b.get("message_count").asLong()).isEqualTo(1);
		assertThat(b.at("/tokens/input_tokens").asLong()).isEqualTo(800);
		assertThat(b.get("total_cost").asDouble()).isEqualTo(0.0036);
		assertThat(b.get("session_count").asLong()).isEqualTo(1);

		// on buckets, as before: 11:15, 11:17:30, 11:29:59 and the blog's 11:16
		assertThat(aggregate("from=2026-06-02T11:15:00Z&to=2026-06-02T11:30:00Z").at("/tokens/input_tokens").asLong())
			.isEqualTo(400 + 800 + 1600 + 6400);
		// open ends: from 11:10 on, every response but the first; up to 11:14:59 (the
		// millisecond after it is not in), the first alone
		assertThat(aggregate("from=2026-06-02T11:10:00Z").at("/tokens/input_tokens").asLong())
			.isEqualTo(200 + 400 + 800 + 1600 + 3200 + 6400);
		assertThat(aggregate("to=2026-06-02T11:14:59Z").at("/tokens/input_tokens").asLong()).isEqualTo(100);
		assertThat(aggregate("to=2026-06-02T11:15:00Z").at("/tokens/input_tokens").asLong()).isEqualTo(100 + 200);
		// to the millisecond: the 11:14:59.999 response is out of a range that ends
		// there,
		// and alone in one millisecond's range; a bound finer than a millisecond keeps
		// what is before it (.9991 is after .999) and leaves what is before it (.000001)
		assertThat(aggregate("to=2026-06-02T11:14:59.999Z").at("/tokens/input_tokens").asLong()).isEqualTo(100);
		JsonNode oneMilli = aggregate("from=2026-06-02T11:14:59.999Z&to=2026-06-02T11:15:00.000Z");
		assertThat(oneMilli.at("/tokens/input_tokens").asLong()).isEqualTo(200);
		assertThat(oneMilli.get("first_activity").asText()).isEqualTo("2026-06-02T11:14:59.999Z");
		assertThat(aggregate("to=2026-06-02T11:14:59.9991Z").at("/tokens/input_tokens").asLong()).isEqualTo(100 + 200);
		assertThat(aggregate("from=2026-06-02T11:17:30.000001Z&to=2026-06-02T11:18:00Z").get("message_count").asLong())
			.isZero();
		// two bounds within one millisecond: a range, empty (not a 400)
		assertThat(
				aggregate("from=2026-06-02T11:14:59.9981Z&to=2026-06-02T11:14:59.9989Z").get("message_count").asLong())
			.isZero();
		assertThat(TestHttp
			.send(this.port, "/api/metrics/aggregate?from=2026-06-02T11:14:59.9989Z&to=2026-06-02T11:14:59.9981Z")
			.statusCode()).isEqualTo(400);
		// across two bucket bounds, each end inside one: 11:14:59.999 to 11:29:59
		assertThat(aggregate("from=2026-06-02T11:14:59Z&to=2026-06-02T11:30:01Z").get("message_count").asLong())
			.isEqualTo(5);
		// a project's, and its days
		assertThat(aggregate("from=2026-06-02T11:10:00Z&to=2026-06-02T11:20:00Z&project_hash=" + SHOP)
			.at("/tokens/input_tokens")
			.asLong()).isEqualTo(200 + 400 + 800);
		JsonNode days = TestHttp
			.json(this.port, "/api/metrics/daily?tz=UTC&from=2026-06-02T11:10:00Z&to=2026-06-02T11:20:00Z")
			.get("metrics");
		assertThat(days).hasSize(1);
		assertThat(days.get(0).get("input_tokens").asLong()).isEqualTo(200 + 400 + 800 + 6400);
		assertThat(days.get(0).get("message_count").asLong()).isEqualTo(4);
		JsonNode shopDays = TestHttp
			.json(this.port, "/api/metrics/daily/" + SHOP + "?tz=UTC&from=2026-06-02T11:17:00Z&to=2026-06-02T11:30:00Z")
			.get("metrics");
		assertThat(shopDays.get(0).get("input_tokens").asLong()).isEqualTo(800 + 1600);
		// the whole day is every response
		assertThat(aggregate("from=2026-06-02&to=2026-06-02&tz=UTC").at("/tokens/input_tokens").asLong())
			.isEqualTo(100 + 200 + 400 + 800 + 1600 + 3200 + 6400);
	}

	private JsonNode aggregate(String query) throws IOException, InterruptedException {
		return TestHttp.json(this.port, "/api/metrics/aggregate?" + query);
	}

	/**
	 * One response as Claude Code writes it: a thinking line and a text line, each with
	 * its usage.
	 */
	private static String response(String session, String messageId, String time, int input, int output) {
		String usage = "{\"input_tokens\":" + input + ",\"output_tokens\":" + output
				+ ",\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}";
		StringBuilder lines = new StringBuilder();
		String[] blocks = { "{\"type\":\"thinking\",\"thinking\":\"checking\",\"signature\":\"x\"}",
				"{\"type\":\"text\",\"text\":\"done\"}" };
		int i = 0;
		for (String block : blocks) {
			i++;
			lines.append("{\"type\":\"assistant\",\"uuid\":\"")
				.append(messageId)
				.append("-line")
				.append(i)
				.append("\",\"parentUuid\":null,\"isSidechain\":false,\"sessionId\":\"")
				.append(session)
				.append("\",\"timestamp\":\"2026-06-02T")
				.append(time)
				.append("Z\",\"cwd\":\"")
				.append(session.startsWith("a") ? "/home/me/shop" : "/home/me/blog")
				.append("\",\"version\":\"2.1.150\",\"requestId\":\"req_")
				.append(messageId)
				.append("\",\"message\":{\"id\":\"")
				.append(messageId)
				.append("\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[")
				.append(block)
				.append("],\"usage\":")
				.append(usage)
				.append("}}\n");
		}
		return lines.toString();
	}

}
