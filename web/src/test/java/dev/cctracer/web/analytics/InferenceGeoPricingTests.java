package dev.cctracer.web.analytics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * US-only inference ({@code "inference_geo": "us"}) costs 1.1× the token rates of the
 * models whose card says so (prices-2026-11.md), after the fast-mode multiplier. The
 * ingest's totals priced it; the analytics, the tool statistics and the entry export,
 * which price the facts in DuckDB, had left it out (a format-drift trial: a session of
 * $0.74025 was $0.7189 in a query and in the export's lines).
 */
class InferenceGeoPricingTests extends OwnRootWebTest {

	private static final String PROJECT = "-tmp-geo-pricing";

	private static final String SESSION = "9e000000-0000-4000-8000-000000000001";

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("geo-pricing");
			Path project = Files.createDirectories(ROOT.resolve("claude/projects/" + PROJECT));
			Files
				.writeString(project.resolve(SESSION + ".jsonl"),
						line("g1", "claude-opus-5", "\"inference_geo\":\"us\"", 1000, 2000, 10000)
								+ line("g2", "claude-opus-5", "\"inference_geo\":\"us\",\"speed\":\"fast\"", 100, 1000,
										0)
								+ line("g3", "claude-sonnet-4-5", "\"inference_geo\":\"us\"", 1000, 1000, 0)
								+ line("g4", "claude-opus-5", "\"inference_geo\":\"global\"", 1000, 0, 0));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private static String line(String id, String model, String usageExtra, long input, long output, long read) {
		return "{\"type\":\"assistant\",\"sessionId\":\"" + SESSION + "\",\"uuid\":\"9e000000-0000-4000-8000-0000000000"
				+ id.substring(1) + "0\",\"timestamp\":\"2026-11-20T10:0" + id.substring(1)
				+ ":00Z\",\"requestId\":\"req_" + id + "\",\"message\":{\"id\":\"msg_" + id
				+ "\",\"role\":\"assistant\"," + "\"model\":\"" + model
				+ "\",\"content\":[{\"type\":\"text\",\"text\":\"ok\"}],\"usage\":{" + "\"input_tokens\":" + input
				+ ",\"output_tokens\":" + output + ",\"cache_read_input_tokens\":" + read
				+ ",\"cache_creation_input_tokens\":0," + usageExtra + "}}}\n";
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		TestRoots.scansOnlyWhenAsked(registry);
	}

	@Test
	void shouldPriceUsOnlyInferenceAlikeInTheTotalsTheAnalyticsAndTheExport() throws Exception {
		this.indexer.scanAndIngest();
		// by hand, Opus 5 at $5 input, $25 output, $0.50 cache read per million tokens,
		// fast 2×, US-only 1.1×; Sonnet 4.5 ($3 / $15) has no US-only price: its base
		// rates; "global" is no multiplier
		double g1 = (1000 * 5 + 2000 * 25 + 10000 * 0.5) / 1e6 * 1.1;
		double g2 = (100 * 5 + 1000 * 25) / 1e6 * 2 * 1.1;
		double g3 = (1000 * 3 + 1000 * 15) / 1e6;
		double g4 = 1000 * 5 / 1e6;
		JsonNode session = TestHttp.json(this.port, "/api/sessions/" + PROJECT + "/" + SESSION);
		assertThat(session.get("cost").get("total_cost").asDouble()).isCloseTo(g1 + g2 + g3 + g4, within(1e-12));
		JsonNode byModel = TestHttp.postForResult(this.port, "/api/queries",
				"{\"group_by\": [\"model\"], \"project\": \"" + PROJECT + "\"}");
		for (JsonNode row : byModel.get("rows")) {
			double expected = row.get("model").asText().equals("claude-opus-5") ? g1 + g2 + g4 : g3;
			assertThat(row.get("cost").asDouble()).as(row.toString()).isCloseTo(expected, within(1e-12));
		}
		assertThat(byModel.get("rows")).hasSize(2);
		// the entry export's lines, one a response
		JsonNode job = new ObjectMapper().readTree(
				TestHttp.post(this.port, "/api/exports", "{\"format\": \"json\", \"project\": \"" + PROJECT + "\"}")
					.body());
		RealDataWebTest.resultOf(202, job, (path) -> TestHttp.json(this.port, path));
		JsonNode rows = new ObjectMapper()
			.readTree(TestHttp.send(this.port, "/api/jobs/" + job.get("job_id").asText() + "/download").body());
		double sum = 0;
		for (JsonNode row : rows) {
			sum += row.path("cost").asDouble();
			if (row.path("uuid").asText().endsWith("00020")) {
				assertThat(row.get("cost").asDouble()).isCloseTo(g2, within(1e-12));
			}
		}
		assertThat(sum).isCloseTo(g1 + g2 + g3 + g4, within(1e-12));
	}

}
