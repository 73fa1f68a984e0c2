package dev.cctracer.web.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.shared.pricing.CostMode;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;
import dev.cctracer.web.usage.Period;
import dev.cctracer.web.usage.TopSessionsService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Usage by origin on a database that holds two machines: this one ({@code box-a}) indexed
 * a generated dataset, then one project's files are handed to {@code box-b} (as if that
 * machine had logged them). The breakdown and the {@code origin} filter split the ground
 * truth exactly.
 */
class OriginApiTests extends OwnRootWebTest {

	private static final TestRoots.Generated DATA = TestRoots.generated("origins", DatasetGenerator.Spec.tiny(11));

	private static final Path ROOT = DATA.root();

	private static final GroundTruth TRUTH = DATA.truth();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.origin", () -> "box-a");
		// no scan after the hand-over: box-b's files are not this machine's to look at
		TestRoots.scansOnlyWhenAsked(registry);
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MetaRepository meta;

	@Autowired
	TopSessionsService top;

	@Test
	void usageSplitsByOriginAndFiltersByIt() throws Exception {
		this.indexer.scanAndIngest();
		String moved = TRUTH.projects.keySet().iterator().next();
		this.jdbc.sql("UPDATE source_file SET origin = 'box-b' WHERE project_dir = :p").param("p", moved).update();
		this.meta.bumpDataVersion();
		GroundTruth.Totals b = TRUTH.projects.get(moved);

		JsonNode origins = get("/api/origins").get("origins");
		assertThat(origins.findValuesAsText("origin")).containsExactlyInAnyOrder("box-a", "box-b");
		JsonNode boxB = find(origins, "box-b");
		assertThat(boxB.get("message_count").asLong()).isEqualTo(b.messages);
		assertThat(boxB.get("total_cost").asDouble()).isEqualTo(b.costPico / 1e12);
		assertThat(boxB.get("roots").get(0).asText()).endsWith("claude/projects");
		assertThat(find(origins, "box-a").get("message_count").asLong()).isEqualTo(TRUTH.global.messages - b.messages);

		JsonNode onlyB = get("/api/metrics/aggregate?origin=box-b");
		assertThat(onlyB.get("message_count").asLong()).isEqualTo(b.messages);
		assertThat(onlyB.get("tokens").get("output_tokens").asLong()).isEqualTo(b.usage.output());
		assertThat(onlyB.get("project_count").asLong()).isEqualTo(1);
		JsonNode onlyA = get("/api/metrics/aggregate?origin=box-a");
		assertThat(onlyA.get("total_cost").asDouble() + onlyB.get("total_cost").asDouble())
			.isCloseTo(TRUTH.global.costPico / 1e12, Offset.offset(1e-9));
		long dailyMessages = 0;
		for (JsonNode day : get("/api/metrics/daily?origin=box-b&tz=UTC").get("metrics")) {
			dailyMessages += day.get("message_count").asLong();
		}
		assertThat(dailyMessages).isEqualTo(b.messages);
		// to the 15-minute bucket, but never past the data's own span: the current
		// bucket's
		// end was a last activity in the future (a team trial saw 21:29:59.999 at 21:26)
		JsonNode all = get("/api/metrics/aggregate");
		Instant lastOfAll = Instant.parse(all.get("last_activity").asText());
		Instant firstOfAll = Instant.parse(all.get("first_activity").asText());
		for (JsonNode one : List.of(onlyA, onlyB)) {
			assertThat(Instant.parse(one.get("last_activity").asText())).isBeforeOrEqualTo(lastOfAll);
			assertThat(Instant.parse(one.get("first_activity").asText())).isAfterOrEqualTo(firstOfAll);
		}
		// the overview's top lists of one machine: its project at the ground truth's
		// cost, its sessions and subagents only (they had covered every machine)
		assertThat(this.top.mostExpensiveProjects("box-b", Period.all(), 100, CostMode.CALCULATE)).singleElement()
			.satisfies((p) -> {
				assertThat(p.project().pathHash()).isEqualTo(moved);
				assertThat(p.cost()).isCloseTo(b.costPico / 1e12, Offset.offset(1e-9));
			});
		List<TopSessionsService.RankedSessionDto> sessionsOfB = this.top.mostExpensive("box-b", Period.all(), 1000,
				CostMode.CALCULATE);
		assertThat(sessionsOfB).extracting((r) -> r.project() + "/" + r.session().sessionId())
			.containsExactlyInAnyOrderElementsOf(
					TRUTH.sessions.keySet().stream().filter((k) -> k.startsWith(moved + "/")).toList());
		assertThat(this.top.mostExpensive("box-a", Period.all(), 1000, CostMode.CALCULATE))
			.noneMatch((r) -> r.project().equals(moved));
		assertThat(this.top.mostExpensiveSubagents("box-b", Period.all(), 1000, CostMode.CALCULATE)).isNotEmpty()
			.allMatch((a) -> a.project().equals(moved));
		assertThat(this.top.mostExpensiveSubagents("box-a", Period.all(), 1000, CostMode.CALCULATE))
			.noneMatch((a) -> a.project().equals(moved));
		assertThat(status("/api/metrics/aggregate?origin=box-z")).isEqualTo(404);
		assertThat(status("/api/metrics/aggregate?origin=" + "x".repeat(300))).isEqualTo(400);
	}

	private static JsonNode find(JsonNode origins, String origin) {
		for (JsonNode o : origins) {
			if (o.get("origin").asText().equals(origin)) {
				return o;
			}
		}
		throw new AssertionError("no origin " + origin + " in " + origins);
	}

	private JsonNode get(String path) throws Exception {
		return TestHttp.json(this.port, path);
	}

	private int status(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

}
