package dev.cctracer.web.api;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.awaitility.Awaitility.await;

/**
 * The API's global, project, session and daily totals equal the generator's exact ground
 * truth.
 */
class GroundTruthApiTests extends OwnRootWebTest {

	private static final TestRoots.Generated DATA = TestRoots.generated("ground-truth", DatasetGenerator.Spec.tiny(7));

	private static final Path ROOT = DATA.root();

	private static final GroundTruth TRUTH = DATA.truth();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
	}

	private RestClient http;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void index() throws InterruptedException {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.indexer.scanAndIngest();
	}

	@Test
	void shouldEqualTheGroundTruthGlobally() throws IOException {
		assertThat(TRUTH.global.messages).isGreaterThan(100);
		assertThat(TRUTH.crossFileCopies).as("the dataset has resumed sessions").isPositive();
		JsonNode agg = get("/api/metrics/aggregate");
		assertTokens(agg.get("tokens"), TRUTH.global.usage);
		assertThat(agg.get("message_count").asLong()).isEqualTo(TRUTH.global.messages);
		assertThat(agg.get("total_cost").asDouble()).isEqualTo(TRUTH.global.costPico / 1e12);
		assertThat(agg.get("project_count").asLong()).isEqualTo(TRUTH.projects.size());
		assertThat(agg.get("session_count").asLong()).isEqualTo(TRUTH.sessions.size());
		// where the cost went: the kinds add up to the truth's total, each the sum of the
		// projects' own metrics (summed over their sessions), and the cache-hit rate is
		// the truth's cache reads over all its input
		JsonNode kinds = agg.get("cost");
		String[] names = { "input_cost", "output_cost", "cache_creation_cost", "cache_read_cost", "web_search_cost" };
		double sum = 0;
		for (String k : names) {
			double fromProjects = 0;
			for (String dir : TRUTH.projects.keySet()) {
				fromProjects += get("/api/projects/" + dir + "/metrics").get("cost").get(k).asDouble();
			}
			assertThat(kinds.get(k).asDouble()).as(k).isCloseTo(fromProjects, offset(1e-9));
			sum += kinds.get(k).asDouble();
		}
		assertThat(sum).isCloseTo(TRUTH.global.costPico / 1e12, offset(1e-9));
		assertThat(kinds.get("cache_read_cost").asDouble()).isPositive();
		Usage u = TRUTH.global.usage;
		assertThat(agg.get("cache_hit_rate").asDouble())
			.isCloseTo(u.cacheRead() * 100.0 / (u.cacheRead() + u.cacheWrite() + u.input()), offset(1e-9));
		assertThat(get("/api/index/status").get("invalid_lines").asLong()).isEqualTo(TRUTH.invalidLines);
		assertThat(get("/api/index/status").get("lines").asLong()).isEqualTo(TRUTH.lines);
	}

	@Test
	void shouldEqualTheGroundTruthPerProjectAndSession() throws IOException {
		JsonNode projects = get("/api/projects").get("projects");
		assertThat(projects).hasSize(TRUTH.projects.size());
		for (JsonNode p : projects) {
			String dir = p.get("path_hash").asText();
			GroundTruth.Totals want = TRUTH.projects.get(dir);
			assertTokens(p.get("tokens"), want.usage);
			assertThat(p.get("message_count").asLong()).as(dir).isEqualTo(want.messages);
			assertThat(p.get("total_cost").asDouble()).as(dir).isEqualTo(want.costPico / 1e12);
			JsonNode sessions = get("/api/projects/" + dir + "/sessions?limit=500").get("sessions");
			for (JsonNode s : sessions) {
				GroundTruth.Totals ws = TRUTH.sessions.get(dir + "/" + s.get("session_id").asText());
				assertThat(ws).as("session %s in truth", s.get("session_id")).isNotNull();
				assertTokens(s.get("tokens"), ws.usage);
				assertThat(s.get("message_count").asLong()).isEqualTo(ws.messages);
				assertThat(s.get("cost").get("total_cost").asDouble()).isEqualTo(ws.costPico / 1e12);
			}
		}
	}

	@Test
	void shouldEqualTheGroundTruthPerUtcDayAndModel() throws IOException {
		JsonNode days = get("/api/metrics/daily?tz=UTC").get("metrics");
		assertThat(days).hasSize(TRUTH.dailyUtc.size());
		for (JsonNode day : days) {
			Map<String, GroundTruth.Totals> want = TRUTH.dailyUtc.get(day.get("date").asText());
			assertThat(want).as(day.get("date").asText()).isNotNull();
			assertThat(day.get("models")).hasSize(want.size());
			for (JsonNode m : day.get("models")) {
				GroundTruth.Totals wm = want.get(m.get("model").asText());
				assertTokens(m.get("tokens"), wm.usage);
				assertThat(m.get("message_count").asLong()).isEqualTo(wm.messages);
				assertThat(m.get("cost").asDouble()).isEqualTo(wm.costPico / 1e12);
			}
		}
	}

	/**
	 * The entry-level export holds every line, and its counted lines carry the ground
	 * truth's tokens and cost per project: each line's cost, read back to pico-USD, sums
	 * to the truth's exactly; lines not counted carry no cost; times are ISO-8601 UTC.
	 */
	@Test
	void shouldExportEveryLineWithItsCountedCopiesPricedAsTheGroundTruth() throws IOException {
		JsonNode job = this.json.readTree(this.http.post()
			.uri("/api/exports")
			.header("X-Requested-By", "test")
			.contentType(MediaType.APPLICATION_JSON)
			.body("{\"format\": \"json\"}")
			.retrieve()
			.body(String.class));
		String status = job.get("status_url").asText();
		await().atMost(Duration.ofSeconds(60)).until(() -> get(status).get("state").asText().equals("succeeded"));
		String rows = this.http.get()
			.uri("/api/jobs/" + job.get("job_id").asText() + "/download")
			.retrieve()
			.body(String.class);
		Map<String, long[]> byProject = new TreeMap<>();
		long lines = 0;
		JsonNode array = this.json.readTree(rows);
		assertThat(array.isArray()).isTrue();
		for (JsonNode row : array) {
			String line = row.toString();
			lines++;
			if (!row.get("timestamp").isNull()) {
				assertThat(row.get("timestamp").asText())
					.matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z");
			}
			if (!row.get("counted").asBoolean()) {
				assertThat(row.get("cost").isNull()).as(line).isTrue();
				continue;
			}
			long[] sums = byProject.computeIfAbsent(row.get("project").asText(), (p) -> new long[7]);
			sums[0]++;
			sums[1] += row.get("input_tokens").asLong();
			sums[2] += row.get("output_tokens").asLong();
			sums[3] += row.get("cache_creation_5m_input_tokens").asLong();
			sums[4] += row.get("cache_creation_1h_input_tokens").asLong();
			sums[5] += row.get("cache_read_input_tokens").asLong();
			sums[6] += new BigDecimal(row.get("cost").asText()).movePointRight(12)
				.setScale(0, RoundingMode.HALF_EVEN)
				.longValueExact();
			assertThat(row.get("cache_creation_input_tokens").asLong())
				.isEqualTo(row.get("cache_creation_5m_input_tokens").asLong()
						+ row.get("cache_creation_1h_input_tokens").asLong());
		}
		assertThat(lines).isEqualTo(TRUTH.lines - TRUTH.invalidLines);
		assertThat(byProject.keySet()).containsExactlyElementsOf(TRUTH.projects.keySet());
		byProject.forEach((dir, sums) -> {
			GroundTruth.Totals want = TRUTH.projects.get(dir);
			assertThat(sums).as(dir)
				.containsExactly(want.messages, want.usage.input(), want.usage.output(), want.usage.cacheWrite5m(),
						want.usage.cacheWrite1h(), want.usage.cacheRead(), want.costPico);
		});
	}

	private static void assertTokens(JsonNode tokens, Usage want) {
		assertThat(tokens.get("input_tokens").asLong()).isEqualTo(want.input());
		assertThat(tokens.get("output_tokens").asLong()).isEqualTo(want.output());
		assertThat(tokens.get("cache_creation_5m_input_tokens").asLong()).isEqualTo(want.cacheWrite5m());
		assertThat(tokens.get("cache_creation_1h_input_tokens").asLong()).isEqualTo(want.cacheWrite1h());
		assertThat(tokens.get("cache_read_input_tokens").asLong()).isEqualTo(want.cacheRead());
	}

	private JsonNode get(String path) throws IOException {
		return this.json.readTree(this.http.get().uri(path).retrieve().body(String.class));
	}

}
