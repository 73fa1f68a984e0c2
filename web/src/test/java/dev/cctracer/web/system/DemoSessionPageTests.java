package dev.cctracer.web.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.generator.DemoDataset;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo dataset ({@link DemoDataset}, as {@link DemoData} writes it) through the whole
 * app: its totals are the generator's ground truth, and its showcase session's page shows
 * a title, code changes, a named subagent, tool and API errors and web searches. The
 * expected code-change numbers are counted by hand from the demo's edits.
 */
class DemoSessionPageTests extends OwnRootWebTest {

	private static final Path ROOT;

	private static final GroundTruth TRUTH;

	private static final String SHOWCASE;

	static {
		try {
			ROOT = TestRoots.create("demo");
			DemoDataset demo = new DemoDataset(DemoData.SEED, Instant.parse("2026-11-30T18:00:00Z"));
			TRUTH = demo.generate(ROOT.resolve("claude"));
			SHOWCASE = demo.showcase();
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
	}

	private RestClient http;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void indexed() throws InterruptedException {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.indexer.scanAndIngest();
	}

	@Test
	void shouldCountTheDemoAsItsGroundTruth() {
		JsonNode agg = api("/api/metrics/aggregate");
		assertThat(agg.get("message_count").asLong()).isEqualTo(TRUTH.global.messages);
		assertThat(agg.get("total_cost").asDouble()).isEqualTo(TRUTH.global.costPico / 1e12);
		assertThat(agg.get("project_count").asLong()).isEqualTo(3);
		assertThat(agg.get("session_count").asLong()).isEqualTo(TRUTH.sessions.size());
		for (JsonNode p : api("/api/projects").get("projects")) {
			GroundTruth.Totals want = TRUTH.projects.get(p.get("path_hash").asText());
			assertThat(p.get("total_cost").asDouble()).isEqualTo(want.costPico / 1e12);
			assertThat(p.get("message_count").asLong()).isEqualTo(want.messages);
		}
	}

	@Test
	void shouldShowEverythingASessionPageCanOnTheShowcaseSession() {
		String page = html("/projects/" + SHOWCASE.replace("/", "/sessions/"));
		// the title the user gave wins over the AI title
		assertThat(page).containsPattern("<span id=\"session-title\">retry-catalog-client</span>");
		// CatalogClient.java +28 −4 (the retry loop: 17 added, 4 removed; two imports,
		// two
		// constants and their blank lines, the backoff method), CatalogClientTest.java
		// created with 15 lines then one assertion fixed, OrderServiceTest.java one line,
		// OrderController.java +2 imports and the list method's 2 lines as 4
		assertThat(page).contains("1 file created, 3 modified, +51 −8 lines");
		assertThat(section(page, "changes-panel")).contains("CatalogClient.java")
			.contains("CatalogClientTest.java")
			.contains("OrderServiceTest.java")
			.contains("OrderController.java");
		// the Explore subagent, named by its agent-name entry
		assertThat(section(page, "subagents-panel")).contains("call-site-finder").contains("Explore");
		// so the timeline's filters say their counts are the main transcript's
		assertThat(page).contains("id=\"filters-scope\"");
		// a failed edit and three failing commands; two API errors (529, 429)
		assertThat(page).contains("Errors (4)").contains("API errors (2)");
		assertThat(section(page, "api-errors-panel")).contains("overloaded").contains("rate_limit");
		// one response that searched the web twice, at $10 per 1,000 searches
		assertThat(page).containsPattern("id=\"session-web-search\">incl\\. 2 web searches \\$0\\.02");
	}

	@Test
	void shouldShowAnEditOfTheDemoAsADiffOnItsMessagePage() {
		String timeline = html("/projects/" + SHOWCASE.replace("/", "/sessions/") + "?tool=Edit");
		List<String> links = new ArrayList<>();
		Matcher m = Pattern.compile("class=\"msg-link\" href=\"([^\"]+)\"").matcher(timeline);
		while (m.find()) {
			links.add(m.group(1).replace("&amp;", "&"));
		}
		assertThat(links).isNotEmpty();
		assertThat(links).anySatisfy((link) -> assertThat(html(link)).contains("class=\"diff\"")
			.contains("<span class=\"add\">+        IOException last = null;")
			.contains("<span class=\"del\">-        return response.body();"));
	}

	private String section(String page, String id) {
		int start = page.indexOf("id=\"" + id + "\"");
		assertThat(start).as(id).isPositive();
		return page.substring(start, page.indexOf("</section>", start));
	}

	private String html(String path) {
		return this.http.get().uri(path).retrieve().body(String.class);
	}

	private JsonNode api(String path) {
		try {
			return this.json.readTree(html(path));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
