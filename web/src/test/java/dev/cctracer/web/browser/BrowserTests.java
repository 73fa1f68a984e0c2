package dev.cctracer.web.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.HtmlUtils;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.DemoDataset;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestRoots;
import dev.cctracer.web.system.Formats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard and the admin console in a real browser: Debian's headless Chromium
 * driven by Selenium through chromedriver, against the app on a random port with the real
 * transcripts, a generated dataset (exact ground truth) and a transcript that carries
 * {@code <script>}. Screenshots land in {@code target/screenshots/}.
 */
class BrowserTests extends OwnRootWebTest {

	private static final Path SHOTS = Path.of("target/screenshots");

	private static final String PASSWORD = "browser-test-password";

	static final String XSS_PROJECT = "-home-dev-xss";

	static final String XSS_SESSION = "5c0e7e57-0000-4000-8000-00000000c0de";

	private static final Path ROOT;

	private static final GroundTruth TRUTH;

	/** The demo's showcase session ({@link DemoDataset#showcase()}), beside the rest. */
	private static final String DEMO_SHOWCASE;

	static {
		try {
			ROOT = TestRoots.create("browser");
			RealDataLayout.create(RealDataWebTest.realData(), ROOT.resolve("claude"));
			TRUTH = new DatasetGenerator(DatasetGenerator.Spec.small()).generate(ROOT.resolve("claude"));
			DemoDataset demo = new DemoDataset(42, Instant.parse("2026-03-01T18:00:00Z"));
			demo.generate(ROOT.resolve("claude"));
			DEMO_SHOWCASE = demo.showcase();
			Path xss = Files.createDirectories(ROOT.resolve("claude/projects").resolve(XSS_PROJECT));
			Files.writeString(xss.resolve(XSS_SESSION + ".jsonl"), xssTranscript());
			// a model of no known family and an unlisted Opus: unpriced and estimated
			Path unlisted = Files.createDirectories(ROOT.resolve("claude/projects/-home-dev-unlisted"));
			Files.writeString(unlisted.resolve("5c0e7e57-0000-4000-8000-0000000abcde.jsonl"),
					"""
							{"type":"assistant","sessionId":"5c0e7e57-0000-4000-8000-0000000abcde","timestamp":"2026-02-20T09:00:00Z","requestId":"req_u1","message":{"id":"msg_u1","model":"mistral-large","usage":{"input_tokens":10,"output_tokens":10}}}
							{"type":"assistant","sessionId":"5c0e7e57-0000-4000-8000-0000000abcde","timestamp":"2026-02-20T09:01:00Z","requestId":"req_u2","message":{"id":"msg_u2","model":"claude-opus-6-20270101","usage":{"input_tokens":100,"output_tokens":100}}}
							""");
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.ingest.debounce", () -> "50ms");
		registry.add("cctracer.web.admin-password", () -> PASSWORD);
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "100000");
	}

	private static WebDriver driver;

	private final ObjectMapper json = new ObjectMapper();

	private final Formats fmt = new Formats();

	@BeforeAll
	static void startBrowser() throws IOException {
		Files.createDirectories(SHOTS);
		driver = Chromium.start(1366, 1000);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@BeforeEach
	void indexed() throws InterruptedException {
		this.indexer.scanAndIngest();
	}

	@Test
	void shouldWalkFromTheOverviewThroughAProjectAndASessionToAMessage() throws Exception {
		open("/");
		assertThat(text("#total-cost"))
			.isEqualTo(this.fmt.money(api("/api/metrics/aggregate").get("total_cost").asDouble()));
		assertThat(driver.findElement(By.id("chart-daily")).getAttribute("data-rendered")).isNotNull();
		shot("overview");
		// the top projects of all time (the default range, the 30 days to the last
		// activity, holds the real transcripts' only): the most expensive generated one,
		// whose cost on its page is the generator's exact ground truth
		open("/?from=&to=");
		assertThat(text("#top-projects h2")).contains("(their usage in all time)");
		WebElement top = driver.findElements(By.cssSelector("#top-projects a[href^='/projects/']"))
			.stream()
			.filter((a) -> TRUTH.projects.containsKey(a.getAttribute("href").replaceFirst(".*/projects/", "")))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no generated project among the range's top projects"));
		String project = top.getAttribute("href").replaceFirst(".*/projects/", "");
		top.click();
		assertThat(driver.getCurrentUrl()).endsWith("/projects/" + project);
		assertThat(text("#project-totals .card .value"))
			.isEqualTo(this.fmt.money(TRUTH.projects.get(project).costPico / 1e12));
		List<WebElement> sessions = driver.findElements(By.cssSelector("#sessions tbody tr"));
		assertThat(sessions).hasSize((int) api("/api/projects/" + project + "/sessions").get("total").asLong());
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> "done"
				.equals(driver.findElement(By.cssSelector("#project-tools .chart")).getAttribute("data-loaded")));
		// the chart stacks each tool's succeeded and failed calls: its table says so and
		// sums them to the tool's calls
		JsonNode tools = api("/api/projects/" + project + "/tools").get("tools");
		List<WebElement> head = driver.findElements(By.cssSelector("#project-tools .chart-data thead th"));
		assertThat(head.stream().map((th) -> th.getAttribute("textContent").strip())).containsExactly("", "succeeded",
				"failed", "total");
		List<WebElement> rows = driver.findElements(By.cssSelector("#project-tools .chart-data tbody tr"));
		assertThat(rows).hasSize(Math.min(20, tools.size())).isNotEmpty();
		for (int i = 0; i < rows.size(); i++) {
			List<WebElement> cells = rows.get(i).findElements(By.cssSelector("th, td"));
			assertThat(cells.get(0).getAttribute("textContent")).isEqualTo(tools.get(i).get("name").asText());
			assertThat(cells.get(2).getAttribute("textContent")).isEqualTo(tools.get(i).get("errors").asText());
			assertThat(cells.get(3).getAttribute("textContent")).isEqualTo(tools.get(i).get("calls").asText());
		}
		// failed calls are drawn red, not in the palette's second colour (green); the
		// calls that succeeded in a colour of the palette, which has no red
		assertThat(((JavascriptExecutor) driver)
			.executeScript("return echarts.getInstanceByDom(document.querySelector('#project-tools .chart'))"
					+ ".getOption().series.map(function (s) { return s.name + ' ' + (s.itemStyle || {}).color; })"))
			.asString()
			.contains("failed #d64545")
			.containsPattern("succeeded #[0-9a-f]{6}")
			.doesNotContain("succeeded #d64545");
		shot("project");
		sessions.get(0).findElement(By.cssSelector("a")).click();
		assertThat(driver.getCurrentUrl()).contains("/projects/" + project + "/sessions/");
		String sessionId = driver.getCurrentUrl().substring(driver.getCurrentUrl().lastIndexOf('/') + 1);
		assertThat(text("#session-cost"))
			.isEqualTo(this.fmt.money(TRUTH.sessions.get(project + "/" + sessionId).costPico / 1e12));
		assertThat(driver.findElements(By.cssSelector("#timeline tr.msg"))).isNotEmpty();
		assertThat(driver.findElements(By.cssSelector("#tools tbody tr"))).isNotEmpty();
		shot("session");
		WebElement assistant = driver.findElements(By.cssSelector("#timeline tr.msg"))
			.stream()
			.filter((row) -> row.getText().contains("assistant"))
			.findFirst()
			.orElseThrow();
		String preview = assistant.findElement(By.cssSelector("a.msg-link")).getText();
		assistant.findElement(By.cssSelector("a.msg-link")).click();
		assertThat(driver.getCurrentUrl()).contains("/messages/");
		assertThat(text("h1")).startsWith("Message");
		assertThat(text("#message-text pre").replaceAll("\\s+", " "))
			.startsWith(preview.replace("…", "").replace("...", "").replaceAll("\\s+", " ").strip().substring(0, 20));
		shot("message");
	}

	@Test
	void shouldFilterTheTimelineAndLoadMoreWithoutRepeatsOrGaps() throws Exception {
		// the generated session with the most messages: more than one page of 50
		String project = null;
		String session = null;
		long most = 0;
		for (String key : TRUTH.sessions.keySet()) {
			String p = key.substring(0, key.indexOf('/'));
			String id = key.substring(key.indexOf('/') + 1);
			JsonNode s = api("/api/sessions/" + p + "/" + id);
			if (s.get("message_count").asLong() > most) {
				most = s.get("message_count").asLong();
				project = p;
				session = id;
			}
		}
		String base = "/projects/" + project + "/sessions/" + session;
		open(base);
		int all = api("/api/sessions/" + project + "/" + session + "/messages?limit=200").get("messages").size();
		assertThat(all).isGreaterThan(50);
		((JavascriptExecutor) driver).executeScript("window.__stayed = true;");
		// the first page by the keyboard: the focus goes on at the first row loaded (it
		// had fallen to the page's body, the next Tab past the new rows)
		int firstPage = driver.findElements(By.cssSelector("#timeline tr.msg")).size();
		driver.findElement(By.id("load-more")).sendKeys(Keys.ENTER);
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> driver.findElements(By.cssSelector("#timeline tr.msg")).size() > firstPage);
		assertThat(((JavascriptExecutor) driver).executeScript(
				"var row = document.activeElement.closest('tr.msg'); return row && row.getAttribute('data-index');"))
			.isEqualTo(String.valueOf(firstPage + 1));
		while (!driver.findElements(By.id("load-more")).isEmpty()) {
			int before = driver.findElements(By.cssSelector("#timeline tr.msg")).size();
			driver.findElement(By.id("load-more")).click();
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.until(() -> driver.findElements(By.cssSelector("#timeline tr.msg")).size() > before);
		}
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__stayed === true")).isEqualTo(true);
		List<Integer> indexes = new ArrayList<>();
		for (WebElement row : driver.findElements(By.cssSelector("#timeline tr.msg td:first-child"))) {
			indexes.add(Integer.parseInt(row.getText()));
		}
		assertThat(indexes).hasSize(all).isSorted().doesNotHaveDuplicates();
		shot("timeline-all");
		// on a phone (390 px) each entry is a card whose text has the screen's width: the
		// text had started past the screen's edge, 85 px wide, each row 559 px tall
		driver.manage().window().setSize(new Dimension(390, 844));
		try {
			open(base);
			@SuppressWarnings("unchecked")
			Map<String, Object> text = (Map<String, Object>) ((JavascriptExecutor) driver)
				.executeScript("var r = document.querySelector('#timeline tr.msg td.text').getBoundingClientRect();"
						+ " return {left: r.left, right: r.right, width: r.width,"
						+ " page: document.documentElement.clientWidth,"
						+ " scroll: document.documentElement.scrollWidth};");
			double page = ((Number) text.get("page")).doubleValue();
			assertThat(((Number) text.get("left")).doubleValue()).isGreaterThanOrEqualTo(0);
			assertThat(((Number) text.get("right")).doubleValue()).isLessThanOrEqualTo(page);
			assertThat(((Number) text.get("width")).doubleValue()).isGreaterThan(page * 0.75);
			assertThat(((Number) text.get("scroll")).doubleValue()).isLessThanOrEqualTo(page);
			shot("timeline-390");
		}
		finally {
			driver.manage().window().setSize(new Dimension(1366, 1000));
		}
		// filters: tool results that failed
		open(base);
		new Select(driver.findElement(By.id("filter-type"))).selectByValue("tool_result");
		driver.findElement(By.id("filter-errors")).click();
		navigateBy(By.id("apply-filters"));
		List<WebElement> rows = driver.findElements(By.cssSelector("#timeline tr.msg"));
		JsonNode errors = api(
				"/api/sessions/" + project + "/" + session + "/messages?type=tool_result&error_only=true");
		assertThat(rows).hasSize(errors.get("messages").size()).isNotEmpty();
		assertThat(rows).allSatisfy((row) -> {
			assertThat(row.getAttribute("class")).contains("error");
			assertThat(row.getText()).contains("tool_result");
		});
		shot("timeline-errors");
	}

	@Test
	void shouldShowARealSessionWithItsSubagentsAndTheirCost() throws Exception {
		JsonNode session = null;
		String project = null;
		for (JsonNode p : api("/api/projects").get("projects")) {
			for (JsonNode s : api("/api/projects/" + p.get("path_hash").asText() + "/sessions").get("sessions")) {
				String dir = p.get("path_hash").asText();
				if (s.get("subagent_count").asLong() > 0 && !TRUTH.projects.containsKey(dir)
						&& api("/api/sessions/" + dir + "/" + s.get("session_id").asText() + "/subagents").toString()
							.contains("\"layout\":\"subagents\"")) {
					session = s;
					project = dir;
				}
			}
		}
		assertThat(session).as("a real session with subagents").isNotNull();
		String id = session.get("session_id").asText();
		open("/projects/" + project + "/sessions/" + id);
		shot("real-session");
		assertThat(text("#session-cost")).isEqualTo(this.fmt.money(session.get("cost").get("total_cost").asDouble()));
		JsonNode subagents = api("/api/sessions/" + project + "/" + id + "/subagents");
		List<WebElement> items = driver.findElements(By.cssSelector("#subagents-panel li.subagent"));
		assertThat(items).hasSize(subagents.get("total_count").asInt());
		shot("real-session");
		WebElement ownFile = items.stream()
			.filter((item) -> !item.getText().contains("in the main transcript"))
			.findFirst()
			.orElseThrow();
		((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", ownFile);
		open(ownFile.findElement(By.cssSelector("a")).getAttribute("href").replaceFirst("^http://[^/]+", ""));
		shot("real-subagent");
		assertThat(text("#timeline-panel h2")).startsWith("Timeline of subagent");
		assertThat(driver.findElements(By.cssSelector("#timeline tr.msg"))).isNotEmpty();
	}

	@Test
	void shouldShowATranscriptsScriptAsTextAndNeverRunIt() throws Exception {
		open("/projects/" + XSS_PROJECT + "/sessions/" + XSS_SESSION);
		assertThat(driver.findElement(By.id("timeline")).getText()).contains("<script>");
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__xss === undefined")).isEqualTo(true);
		shot("script-as-text");
		open(driver.findElements(By.cssSelector("#timeline a.msg-link"))
			.get(0)
			.getAttribute("href")
			.replaceFirst("^http://[^/]+", ""));
		assertThat(text("#message-text pre")).contains("<script>window.__xss = 1</script>")
			.contains("<img src=x onerror=\"window.__xss = 2\">");
		assertThat(driver.findElements(By.cssSelector("main script, main img"))).isEmpty();
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__xss === undefined")).isEqualTo(true);
	}

	@Test
	void shouldLogInToTheAdminConsoleAndFollowARebuildToCompletion() throws Exception {
		open("/admin");
		assertThat(driver.getCurrentUrl()).endsWith("/login");
		login("wrong-password");
		assertThat(driver.findElements(By.id("login-error"))).hasSize(1);
		login(PASSWORD);
		assertThat(driver.getCurrentUrl()).contains("/admin");
		assertThat(driver.findElements(By.cssSelector("#file-table tbody tr"))).isNotEmpty();
		navigateBy(By.id("action-verify"));
		assertThat(text("#outcome")).contains("Rebuild and verify queued as job");
		String job = text("#outcome").replaceAll(".*job ([0-9a-f-]{36}).*", "$1");
		// the job table refreshes itself until the job is done
		await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(300)).ignoreExceptions().until(() -> {
			List<WebElement> row = driver.findElements(By.id("job-" + job));
			return !row.isEmpty() && "succeeded".equals(row.get(0).getAttribute("data-state"));
		});
		assertThat(driver.findElement(By.id("job-" + job)).getText()).contains("100%");
		shot("admin-verified");
		String resultUrl = driver.findElement(By.cssSelector("#job-" + job + " a.job-result")).getAttribute("href");
		// the link works for the admin logged in here, and for no one else (an admin
		// job's id follows from the public data version)
		assertThat(apiOrNull(resultUrl.substring(resultUrl.indexOf("/api/")))).isNull();
		driver.get(resultUrl);
		JsonNode result = this.json.readTree(driver.findElement(By.tagName("body")).getText());
		driver.navigate().back();
		assertThat(result.get("equal").asBoolean()).as("%s", result.get("differences")).isTrue();
		navigateBy(By.id("action-clear"));
		assertThat(text("#outcome")).startsWith("Caches cleared");
		navigateBy(By.id("action-scan"));
		assertThat(text("#outcome")).startsWith("Rescan done");
		navigateBy(By.cssSelector("form[action='/logout'] button"));
		open("/admin");
		assertThat(driver.getCurrentUrl()).endsWith("/login");
	}

	/**
	 * The session page's tools (and errors and prompts) follow the data as its header
	 * does: a helper's trial saw "1 error" in the header and the old tools table below.
	 */
	@Test
	void shouldUpdateTheOpenSessionsToolsWhenItsLogGrowsWithoutAReload() throws Exception {
		open("/projects/" + XSS_PROJECT + "/sessions/" + XSS_SESSION);
		assertThat(text("#tools-panel")).doesNotContain("LiveProbe");
		((JavascriptExecutor) driver).executeScript("window.__stayed = true;");
		Path file = ROOT.resolve("claude/projects").resolve(XSS_PROJECT).resolve(XSS_SESSION + ".jsonl");
		String id = "msg_tool_" + System.nanoTime();
		Files.writeString(file, "{\"type\":\"assistant\",\"uuid\":\""
				+ UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8)) + "\",\"sessionId\":\"" + XSS_SESSION
				+ "\",\"timestamp\":\"2026-02-01T10:06:00Z\",\"cwd\":\"/home/dev/xss\",\"message\":{\"id\":\"" + id
				+ "\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":"
				+ "\"tool_use\",\"id\":\"toolu_live\",\"name\":\"LiveProbe\",\"input\":{}}],\"usage\":"
				+ "{\"input_tokens\":10,\"output_tokens\":20}}}\n", StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> text("#tools-panel").contains("LiveProbe"));
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__stayed === true")).isEqualTo(true);
	}

	/**
	 * A timeline shown to its end follows the transcript: a response's later line grows
	 * its row (not a second row), new messages are added below, and the filters' counts
	 * follow while the choice typed in stays.
	 */
	@Test
	void shouldFollowTheOpenTimelineAsItsTranscriptGrows() throws Exception {
		String session = "5c0e7e57-0000-4000-8000-0000000f0110";
		Path file = ROOT.resolve("claude/projects").resolve(XSS_PROJECT).resolve(session + ".jsonl");
		Files.writeString(file,
				prompt(session, "f0110000-0000-4000-8000-000000000001", "2026-02-01T11:00:00Z", "follow me")
						+ response(session, 2, "{\"type\":\"text\",\"text\":" + "\"First block\"}"));
		String page = "/projects/" + XSS_PROJECT + "/sessions/" + session;
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
			open(page);
			return driver.findElements(By.cssSelector("#timeline tr.msg")).size() == 2;
		});
		((JavascriptExecutor) driver).executeScript("window.__stayed = true;");
		driver.findElement(By.id("filter-search")).sendKeys("typed");
		// the response's next content block, a line of its own
		Files.writeString(file,
				response(session, 3,
						"{\"type\":\"tool_use\",\"id\":\"toolu_follow\",\"name\":" + "\"FollowProbe\",\"input\":{}}"),
				StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> lastRow("#timeline tr.msg").contains("FollowProbe"));
		assertThat(driver.findElements(By.cssSelector("#timeline tr.msg"))).hasSize(2);
		assertThat(text("#filter-tool")).contains("FollowProbe (1 call)");
		// its tool's result and a new prompt: rows of their own, below
		Files.writeString(file, "{\"type\":\"user\",\"uuid\":\"f0110000-0000-4000-8000-000000000004\","
				+ "\"sessionId\":\"" + session + "\",\"timestamp\":\"2026-02-01T11:00:04Z\",\"message\":{\"role\":"
				+ "\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_follow\",\"content\":"
				+ "\"probe failed\",\"is_error\":true}]}}\n{\"type\":\"user\",\"uuid\":"
				+ "\"f0110000-0000-4000-8000-000000000005\",\"sessionId\":\"" + session + "\",\"timestamp\":"
				+ "\"2026-02-01T11:00:05Z\",\"message\":{\"role\":\"user\",\"content\":\"and again\"}}\n",
				StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> driver.findElements(By.cssSelector("#timeline tr.msg")).size() == 4);
		List<String> indexes = driver.findElements(By.cssSelector("#timeline tr.msg"))
			.stream()
			.map((tr) -> tr.getAttribute("data-index"))
			.toList();
		assertThat(indexes).containsExactly("1", "2", "3", "4");
		assertThat(lastRow("#timeline tr.msg")).contains("and again");
		await().atMost(Duration.ofSeconds(10)).until(() -> text("#filter-error-count").equals("1"));
		assertThat(driver.findElement(By.id("filter-search")).getAttribute("value")).isEqualTo("typed");
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__stayed === true")).isEqualTo(true);
		// rewritten to its first prompt: the page says so and offers a reload; a tool no
		// longer in the transcript leaves the tool filter
		Files.writeString(file, Files.readAllLines(file).get(0) + "\n");
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> text("#timeline").contains("The transcript was rewritten"));
		await().atMost(Duration.ofSeconds(10)).until(() -> !text("#filter-tool").contains("FollowProbe"));
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__stayed === true")).isEqualTo(true);
	}

	/**
	 * Lines committed while the timeline was reading (its fragment answered slowly) are
	 * read on from the new tail, without waiting for another change that may not come.
	 */
	@Test
	void shouldFollowLinesCommittedWhileTheTimelineWasReading() throws Exception {
		String session = "5c0e7e57-0000-4000-8000-0000000f0111";
		Path file = ROOT.resolve("claude/projects").resolve(XSS_PROJECT).resolve(session + ".jsonl");
		Files.writeString(file, prompt(session, "f0111000-0000-4000-8000-000000000001", "first words"));
		String page = "/projects/" + XSS_PROJECT + "/sessions/" + session;
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
			open(page);
			return driver.findElements(By.cssSelector("#timeline tr.msg")).size() == 1;
		});
		// the timeline's reads answer 5 s late, and say when one started
		((JavascriptExecutor) driver).executeScript("var f = window.fetch; window.fetch = function (u, o) {"
				+ " var p = f(u, o); if (String(u).indexOf('/timeline') < 0) { return p; }"
				+ " window.__reading = true;"
				+ " return p.then(function (r) { return new Promise(function (ok) { setTimeout(function () { ok(r); },"
				+ " 5000); }); }); };");
		Files.writeString(file, prompt(session, "f0111000-0000-4000-8000-000000000002", "second words"),
				StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> Boolean.TRUE.equals(((JavascriptExecutor) driver).executeScript("return window.__reading")));
		// committed while that read is on its way
		Files.writeString(file, prompt(session, "f0111000-0000-4000-8000-000000000003", "third words"),
				StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> lastRow("#timeline tr.msg").contains("third words"));
		assertThat(driver.findElements(By.cssSelector("#timeline tr.msg"))).hasSize(3);
	}

	private static String prompt(String session, String uuid, String text) {
		return "{\"type\":\"user\",\"uuid\":\"" + uuid + "\",\"sessionId\":\"" + session
				+ "\",\"timestamp\":\"2026-02-01T12:00:00Z\",\"message\":{\"role\":\"user\",\"content\":\"" + text
				+ "\"}}\n";
	}

	private static String lastRow(String css) {
		List<WebElement> rows = driver.findElements(By.cssSelector(css));
		return rows.get(rows.size() - 1).getText();
	}

	/**
	 * Line {@code n} of the response {@code msg_follow}: one content block and its usage.
	 */
	/**
	 * The open session page follows its status (a trial saw "completed" while the API
	 * said "running") and the removal of its transcript (the tools panel emptied while
	 * its card still counted the calls): the banner appears and the tools come from the
	 * facts.
	 */
	@Test
	void shouldFollowTheOpenSessionsStatusAndTheRemovalOfItsTranscript() throws Exception {
		String session = "5c0e7e57-0000-4000-8000-0000000f0120";
		Path file = ROOT.resolve("claude/projects").resolve(XSS_PROJECT).resolve(session + ".jsonl");
		Files.writeString(file,
				prompt(session, "f0120000-0000-4000-8000-000000000001", "2026-02-01T12:00:00Z", "status probe")
						+ statusProbe(session, 2));
		// written ten minutes ago: a finished session
		Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.from(Instant.now().minusSeconds(600)));
		String page = "/projects/" + XSS_PROJECT + "/sessions/" + session;
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
			open(page);
			return driver.findElements(By.cssSelector("#timeline tr.msg")).size() == 2;
		});
		assertThat(text("#session-status")).isEqualTo("completed");
		((JavascriptExecutor) driver).executeScript("window.__stayed = true;");
		// Claude Code stamps a line as it writes it
		Files.writeString(file, statusProbe(session, 3, Instant.now().toString()), StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> text("#session-status").equals("running"));
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> text("#tools-panel").contains("2"));
		// the facts are written while the file is here (a project's tool statistics bring
		// them up to date); Claude Code removes it weeks later
		await().atMost(Duration.ofSeconds(30))
			.pollInterval(Duration.ofMillis(500))
			.until(() -> apiOrNull("/api/projects/" + XSS_PROJECT + "/tools") != null);
		Files.delete(file);
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> !driver.findElements(By.id("transcripts-gone")).isEmpty());
		assertThat(text("#transcripts-gone")).contains("One of this session's transcripts is");
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> text("#tools-panel").contains("StatusProbe") && text("#tools").contains("2"));
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__stayed === true")).isEqualTo(true);
	}

	/** A prompt line of a session (JSONL, newline-ended). */
	private static String prompt(String session, String uuid, String timestamp, String text) {
		return "{\"type\":\"user\",\"uuid\":\"" + uuid + "\",\"sessionId\":\"" + session + "\",\"timestamp\":\""
				+ timestamp + "\",\"message\":{\"role\":\"user\",\"content\":\"" + text + "\"}}\n";
	}

	/** A response of the status probe's session with one StatusProbe call. */
	private static String statusProbe(String session, int n) {
		return statusProbe(session, n, "2026-02-01T12:00:0" + n + "Z");
	}

	/** The same, logged at {@code timestamp} (ISO-8601). */
	private static String statusProbe(String session, int n, String timestamp) {
		return "{\"type\":\"assistant\",\"uuid\":\"f0120000-0000-4000-8000-00000000000" + n + "\",\"sessionId\":\""
				+ session + "\",\"requestId\":\"req_status_" + n + "\",\"timestamp\":\"" + timestamp
				+ "\",\"message\":{\"id\":\"msg_status_" + n + "\",\"role\":\"assistant\",\"model\":"
				+ "\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_status_" + n
				+ "\",\"name\":\"StatusProbe\",\"input\":{}}],\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}}\n";
	}

	private static String response(String session, int n, String block) {
		return "{\"type\":\"assistant\",\"uuid\":\"f0110000-0000-4000-8000-00000000000" + n + "\",\"sessionId\":\""
				+ session + "\",\"requestId\":\"req_follow\",\"timestamp\":\"2026-02-01T11:00:0" + n + "Z\","
				+ "\"message\":{\"id\":\"msg_follow\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\","
				+ "\"content\":[" + block + "],\"usage\":{\"input_tokens\":10,\"output_tokens\":20}}}\n";
	}

	@Test
	void shouldUpdateTheOpenOverviewWhenALogGrowsWithoutAReload() throws Exception {
		open("/");
		String before = text("#total-tokens");
		((JavascriptExecutor) driver).executeScript("window.__stayed = true;");
		Path file = ROOT.resolve("claude/projects").resolve(XSS_PROJECT).resolve(XSS_SESSION + ".jsonl");
		Files.writeString(file, line("msg_live_" + System.nanoTime(), "2026-02-01T10:05:00Z", 7_000_000),
				StandardOpenOption.APPEND);
		await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> !text("#total-tokens").equals(before));
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__stayed === true")).isEqualTo(true);
		shot("overview-live");
	}

	@Test
	void shouldRunAnAnalyticsQueryThroughAJobAndDrawIt() throws Exception {
		open("/analytics");
		new Select(driver.findElement(By.id("group-1"))).selectByValue("model");
		new Select(driver.findElement(By.id("group-2"))).selectByValue("");
		driver.findElement(By.id("query-from")).clear();
		driver.findElement(By.id("query-to")).clear();
		driver.findElement(By.id("run-query")).click();
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> "model".equals(driver.findElement(By.id("result-table")).getAttribute("data-group-by")));
		JsonNode models = api("/api/metrics/models");
		List<WebElement> rows = driver.findElements(By.cssSelector("#result-table tbody tr"));
		assertThat(rows).hasSize(models.get("models").size());
		// a cost that is not a list price says so on its row, as the models' totals do
		int unpricedRows = 0;
		for (WebElement row : rows) {
			String model = row.findElement(By.tagName("td")).getText();
			JsonNode listed = null;
			for (JsonNode m : models.get("models")) {
				if (m.get("model").asText().equals(model)) {
					listed = m;
				}
			}
			assertThat(listed).as(model).isNotNull();
			List<String> badges = row.findElements(By.cssSelector("td.num .badge"))
				.stream()
				.map(WebElement::getText)
				.toList();
			assertThat(badges.stream().anyMatch((b) -> b.endsWith(" unpriced"))).as(model + " " + badges)
				.isEqualTo(!listed.get("priced").asBoolean());
			assertThat(badges.stream().anyMatch((b) -> b.endsWith(" estimated"))).as(model + " " + badges)
				.isEqualTo(listed.get("estimated").asBoolean());
			unpricedRows += listed.get("priced").asBoolean() ? 0 : 1;
		}
		assertThat(unpricedRows).as("-home-dev-unlisted's mistral-large").isPositive();
		assertThat(driver.findElement(By.id("query-chart")).getAttribute("data-rendered")).isNotNull();
		assertThat(text("#query-status")).endsWith(rows.size() + (rows.size() == 1 ? " row" : " rows"));
		shot("analytics");
		// a query that fails leaves no earlier answer under its error
		((JavascriptExecutor) driver).executeScript("document.getElementById('query-from').value = '2026-06-10';"
				+ "document.getElementById('query-to').value = '2026-06-01';");
		driver.findElement(By.id("run-query")).click();
		await().atMost(Duration.ofSeconds(20))
			.ignoreExceptions()
			.until(() -> text("#query-status").startsWith("The query failed"));
		assertThat(text("#query-status")).contains("from must not be after to");
		assertThat(driver.findElements(By.cssSelector("#result-table tbody tr"))).isEmpty();
		assertThat(driver.findElement(By.id("query-chart")).isDisplayed()).isFalse();
		assertThat(driver.findElements(By.cssSelector("#query-chart + details.chart-data"))).isEmpty();
	}

	@Test
	void shouldSwitchThemeAndTimeZone() throws Exception {
		open("/projects");
		String theme = (String) ((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.getAttribute('data-theme')");
		driver.findElement(By.id("theme-toggle")).click();
		assertThat(((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.getAttribute('data-theme')"))
			.isEqualTo("dark".equals(theme) ? "light" : "dark");
		open("/projects");
		assertThat(((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.getAttribute('data-theme')")).isNotEqualTo(theme);
		shot("projects-other-theme");
		new Select(driver.findElement(By.id("tz-select"))).selectByValue("Asia/Tokyo");
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptions()
			.until(() -> "Asia/Tokyo".equals(
					new Select(driver.findElement(By.id("tz-select"))).getFirstSelectedOption().getAttribute("value")));
		String project = TRUTH.projects.keySet().iterator().next();
		JsonNode last = api("/api/projects");
		for (JsonNode p : last.get("projects")) {
			if (p.get("path_hash").asText().equals(project)) {
				String expected = this.fmt.time(p.get("last_activity").asText(), ZoneId.of("Asia/Tokyo"));
				assertThat(driver.findElement(By.id("projects")).getText()).contains(expected);
			}
		}
		driver.findElement(By.id("theme-toggle")).click();
	}

	/**
	 * A model is one colour on every chart (each chart had given its series the palette's
	 * colours in its own order: opus blue on the overview, green on analytics), and the
	 * theme's switch draws every chart again, a job's too (a project's tools chart had
	 * kept its dark-on-dark legend until a reload).
	 */
	@Test
	void shouldDrawEveryChartInTheThemeAndAModelInOneColour() throws Exception {
		String project = TRUTH.projects.keySet().iterator().next();
		open("/projects/" + project);
		await().atMost(Duration.ofSeconds(30))
			.until(() -> !driver.findElements(By.cssSelector("[data-job-chart][data-loaded=done]")).isEmpty());
		Map<String, String> onProject = seriesColours();
		assertThat(onProject).isNotEmpty();
		String theme = (String) ((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.getAttribute('data-theme')");
		driver.findElement(By.id("theme-toggle")).click();
		try {
			String other = "dark".equals(theme) ? "light" : "dark";
			List<WebElement> drawn = driver.findElements(By.cssSelector("[data-rendered]"));
			assertThat(drawn).hasSizeGreaterThanOrEqualTo(2)
				.allSatisfy((el) -> assertThat(el.getAttribute("data-drawn-theme")).isEqualTo(other));
			open("/");
			Map<String, String> onOverview = seriesColours();
			assertThat(onOverview.keySet()).containsAnyElementsOf(onProject.keySet());
			onOverview.forEach((name, colour) -> {
				if (onProject.containsKey(name)) {
					assertThat(colour).as(name).isEqualTo(onProject.get(name));
				}
			});
		}
		finally {
			driver.findElement(By.id("theme-toggle")).click();
		}
	}

	/**
	 * The colour of each series of the page's charts, by name; a chart's series never
	 * share one.
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, String> seriesColours() {
		List<List<String>> charts = (List<List<String>>) ((JavascriptExecutor) driver)
			.executeScript("return Array.from(document.querySelectorAll('[data-rendered]')).map(function (el) {"
					+ " return echarts.getInstanceByDom(el).getOption().series.map(function (s) {"
					+ " return s.name + '\\n' + s.itemStyle.color; }); });");
		Map<String, String> colours = new HashMap<>();
		for (List<String> chart : charts) {
			assertThat(chart.stream().map((s) -> s.substring(s.indexOf('\n') + 1))).doesNotHaveDuplicates();
			for (String s : chart) {
				colours.put(s.substring(0, s.indexOf('\n')), s.substring(s.indexOf('\n') + 1));
			}
		}
		return colours;
	}

	/**
	 * A first visit from a browser in another zone than the server's shows the browser's
	 * zone on that first page already (a trial saw the server's Etc/UTC until the next
	 * page), and the selector lists UTC once.
	 */
	@Test
	void shouldShowTheBrowsersZoneFromTheFirstVisit() throws Exception {
		var chrome = (org.openqa.selenium.chrome.ChromeDriver) driver;
		open("/projects");
		org.openqa.selenium.Cookie before = driver.manage().getCookieNamed("tz");
		try {
			chrome.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "America/Los_Angeles"));
			driver.manage().deleteCookieNamed("tz");
			((JavascriptExecutor) driver).executeScript("sessionStorage.clear();");
			open("/projects");
			await().atMost(Duration.ofSeconds(10))
				.ignoreExceptions()
				.until(() -> "America/Los_Angeles"
					.equals(new Select(driver.findElement(By.id("tz-select"))).getFirstSelectedOption()
						.getAttribute("value")));
			String project = TRUTH.projects.keySet().iterator().next();
			for (JsonNode p : api("/api/projects").get("projects")) {
				if (p.get("path_hash").asText().equals(project)) {
					assertThat(driver.findElement(By.id("projects")).getText())
						.contains(this.fmt.time(p.get("last_activity").asText(), ZoneId.of("America/Los_Angeles")));
				}
			}
			List<String> zones = new Select(driver.findElement(By.id("tz-select"))).getOptions()
				.stream()
				.map((o) -> o.getAttribute("value"))
				.toList();
			assertThat(zones).contains("UTC").doesNotContain("Etc/UTC");
		}
		finally {
			chrome.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", ""));
			driver.manage().deleteCookieNamed("tz");
			if (before != null) {
				driver.manage().addCookie(new org.openqa.selenium.Cookie("tz", before.getValue(), "/"));
			}
		}
	}

	@Test
	void shouldAnswerAnUnknownProjectWithAnErrorPage() throws Exception {
		open("/projects/-no-such-project");
		assertThat(text("h1")).contains("404");
		assertThat(text("#error-detail")).contains("-no-such-project");
		open("/projects/..%2F..%2Fetc");
		assertThat(text("h1")).containsAnyOf("400", "404");
		// a path nothing serves: the same error page in the layout, not JSON
		open("/no/such/page");
		assertThat(text("h1")).contains("404");
		assertThat(text("#error-detail")).isEqualTo("There is no page at this address.");
	}

	@Test
	void shouldShowTheDemosEditsTitleSubagentAndErrors() throws Exception {
		String session = "/projects/" + DEMO_SHOWCASE.replace("/", "/sessions/");
		open(session);
		assertThat(text("#session-title")).isEqualTo("retry-catalog-client");
		assertThat(text("#changes-panel p")).isEqualTo("1 file created, 3 modified, +51 −8 lines");
		assertThat(text("#subagents-panel")).contains("call-site-finder").contains("Explore");
		assertThat(text("#api-errors-panel h2")).isEqualTo("API errors (2)");
		assertThat(text("#session-web-search")).startsWith("incl. 2 web searches");
		shot("demo-session");
		open(session + "?tool=MultiEdit");
		driver.findElements(By.cssSelector("#timeline a.msg-link")).get(0).click();
		assertThat(driver.getCurrentUrl()).contains("/messages/");
		// each tool call is its own section now (anchored #call-<tool_use id>)
		assertThat(driver.findElements(By.cssSelector("section.tool-call .diff .add"))).isNotEmpty();
		assertThat(text("section.tool-call")).contains("+    static final int MAX_ATTEMPTS = 3;");
		shot("demo-diff");
	}

	/**
	 * Every same-origin link of every page answers 200: from the overview (and the admin
	 * console, logged in), every page link is followed, up to 15 session pages (filters
	 * and cursors included) and 4 message pages of each session; every other link found
	 * on a followed page is requested (redirects followed): API, script and style links.
	 * Failures are collected and reported together.
	 */
	@Test
	void shouldAnswerEveryLinkOfEveryPageWith200() throws Exception {
		String origin = "http://127.0.0.1:" + this.port;
		String basic = "Basic "
				+ Base64.getEncoder().encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
		HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
		Pattern href = Pattern.compile("\\s(?:href|src)=\"([^\"]*)\"");
		Pattern session = Pattern.compile("^/projects/[^/?]+/sessions/[^/?]+(\\?.*)?$");
		Pattern message = Pattern.compile("^/projects/[^/?]+/sessions/([^/?]+)/messages/.*");
		Map<String, String> foundOn = new LinkedHashMap<>();
		Deque<String> toFollow = new ArrayDeque<>(List.of("/", "/admin"));
		foundOn.put("/", "(start)");
		foundOn.put("/admin", "(start)");
		Map<String, Integer> messagesOf = new HashMap<>();
		int sessions = 0;
		Set<String> followed = new HashSet<>();
		List<String> failures = new ArrayList<>();
		Map<String, Integer> checked = new LinkedHashMap<>();
		while (!toFollow.isEmpty()) {
			String path = toFollow.poll();
			if (!followed.add(path)) {
				continue;
			}
			HttpResponse<String> page = client.send(
					HttpRequest.newBuilder(URI.create(origin + path)).header("Authorization", basic).build(),
					HttpResponse.BodyHandlers.ofString());
			checked.put(path, page.statusCode());
			if (page.statusCode() != 200) {
				failures.add(page.statusCode() + " " + path + " (linked from " + foundOn.get(path) + ")");
				continue;
			}
			if (!page.headers().firstValue("Content-Type").orElse("").startsWith("text/html")) {
				continue;
			}
			Matcher m = href.matcher(page.body());
			while (m.find()) {
				String link = HtmlUtils.htmlUnescape(m.group(1));
				if (link.startsWith(origin)) {
					link = link.substring(origin.length());
				}
				int hash = link.indexOf('#');
				link = (hash >= 0) ? link.substring(0, hash) : link;
				// same origin only (JobRunr's dashboard has its own port); logging
				// out is a form post
				if (!link.startsWith("/") || link.startsWith("//") || link.equals("/logout")
						|| foundOn.containsKey(link)) {
					continue;
				}
				foundOn.put(link, path);
				Matcher msg = message.matcher(link);
				if (msg.matches() ? messagesOf.merge(msg.group(1), 1, Integer::sum) > 4
						: session.matcher(link).matches() && ++sessions > 15) {
					// past the cap: neither requested nor followed
					continue;
				}
				if (!link.startsWith("/api/") && !link.startsWith("/css/") && !link.startsWith("/js/")
						&& !link.startsWith("/webjars/")) {
					toFollow.add(link);
					continue;
				}
				int status = client
					.send(HttpRequest.newBuilder(URI.create(origin + link)).header("Authorization", basic).build(),
							HttpResponse.BodyHandlers.discarding())
					.statusCode();
				checked.put(link, status);
				if (status != 200) {
					failures.add(status + " " + link + " (linked from " + path + ")");
				}
			}
		}
		assertThat(failures).as("links that do not answer 200, of %d checked", checked.size()).isEmpty();
		// it went everywhere: projects, sessions, messages, the admin console, the API
		assertThat(checked.keySet()).anyMatch((p) -> p.startsWith("/projects/") && !p.contains("/sessions/"))
			.anyMatch((p) -> session.matcher(p).matches())
			.anyMatch((p) -> message.matcher(p).matches())
			.anyMatch((p) -> p.startsWith("/admin"))
			.anyMatch((p) -> p.startsWith("/api/"))
			.contains("/analytics", "/projects");
	}

	@Test
	void shouldStepThroughATranscriptAndFromAToolCallToItsResultAndBack() throws Exception {
		// a generated session's first assistant message that calls a tool
		String key = TRUTH.sessions.keySet().iterator().next();
		String project = key.substring(0, key.indexOf('/'));
		String session = key.substring(key.indexOf('/') + 1);
		JsonNode call = null;
		for (JsonNode m : api("/api/sessions/" + project + "/" + session + "/messages?type=assistant&limit=200")
			.get("messages")) {
			if (!m.get("tools").isEmpty() && m.get("uuid").isTextual()) {
				call = m;
				break;
			}
		}
		assertThat(call).isNotNull();
		String toolUseId = call.get("tools").get(0).get("id").asText();
		int index = call.get("index").asInt();
		open("/projects/" + project + "/sessions/" + session + "/messages/" + call.get("uuid").asText());
		assertThat(text("#entry-position")).startsWith("timeline entry " + index + " of ");
		assertThat(driver.findElement(By.id("entry-position")).getAttribute("title"))
			.contains("A session's Messages count only the API responses");
		// next, then previous: back where it started
		navigateBy(By.id("next-entry"));
		assertThat(text("#entry-position")).startsWith("timeline entry " + (index + 1) + " of ");
		navigateBy(By.id("previous-entry"));
		assertThat(text("#entry-position")).startsWith("timeline entry " + index + " of ");
		// the call's result, on its own entry, anchored to the block
		navigateBy(By.cssSelector("#call-" + toolUseId + " .call-result a"));
		assertThat(driver.getCurrentUrl()).endsWith("#result-" + toolUseId);
		assertThat(driver.findElement(By.id("result-" + toolUseId)).getText()).contains(toolUseId);
		assertThat(text("#entry-position")).doesNotStartWith("timeline entry " + index + " of ");
		shot("message-result");
		// and back to the call
		navigateBy(By.cssSelector("#result-" + toolUseId + " .result-call a"));
		assertThat(driver.getCurrentUrl()).endsWith("#call-" + toolUseId);
		assertThat(text("#entry-position")).startsWith("timeline entry " + index + " of ");
		assertThat(driver.findElement(By.id("call-" + toolUseId)).getText()).contains(toolUseId);
	}

	@Test
	void shouldSearchEveryTranscriptFollowTheJobAndOpenAHit() throws Exception {
		open("/");
		navigateBy(By.linkText("Search"));
		driver.findElement(By.id("search-q")).sendKeys("WINDOW.__xss");
		navigateBy(By.id("run-search"));
		// the first answer is the job (this text was never searched); the page polls it,
		// then shows the hits in place
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> !driver.findElements(By.cssSelector("#search-hits tbody tr")).isEmpty());
		List<WebElement> rows = driver.findElements(By.cssSelector("#search-hits tbody tr"));
		// the lines of the transcript whose text is a script (its prompt, its answer and
		// the answers another test appends), recounted from the file
		List<String> lines = Files
			.readAllLines(ROOT.resolve("claude/projects").resolve(XSS_PROJECT).resolve(XSS_SESSION + ".jsonl"));
		long holding = lines.stream().filter((l) -> l.contains("window.__xss")).count();
		assertThat(holding).isGreaterThanOrEqualTo(2);
		assertThat(rows).hasSize((int) holding);
		assertThat(text("#search-count")).isEqualTo(holding + " hits.");
		assertThat(driver.findElements(By.cssSelector("#search-hits mark")))
			.allSatisfy((m) -> assertThat(m.getText()).isEqualTo("window.__xss"))
			.hasSizeGreaterThanOrEqualTo((int) holding + 1);
		assertThat(rows.get(0).getText()).contains("Echo: <script>window.__xss = 3</script>");
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__xss === undefined")).isEqualTo(true);
		shot("search");
		navigateBy(By.cssSelector("#search-hits tbody tr:first-child td:nth-child(4) a"));
		assertThat(driver.getCurrentUrl())
			.contains("/projects/" + XSS_PROJECT + "/sessions/" + XSS_SESSION + "/messages/");
		assertThat(driver.findElement(By.id("content")).getText()).contains("Echo: <script>window.__xss = 3</script>");
		assertThat(((JavascriptExecutor) driver).executeScript("return window.__xss === undefined")).isEqualTo(true);
	}

	@Test
	void shouldExportOneSessionFromItsPage() throws Exception {
		open("/projects/" + XSS_PROJECT + "/sessions/" + XSS_SESSION);
		WebElement json = driver.findElement(By.cssSelector("#export-panel button[data-format=json]"));
		((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", json);
		json.click();
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> driver.findElement(By.cssSelector("#export-status a"))
				.getText()
				.equals("Download the json export"));
		String href = driver.findElement(By.cssSelector("#export-status a")).getAttribute("href");
		String body = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.ofString())
			.body();
		List<JsonNode> rows = new ArrayList<>();
		this.json.readTree(body).forEach(rows::add);
		// the transcript's lines (its prompt, its answer and any another test appends),
		// this session's only, in file order; the answers counted, at the session's cost
		List<String> lines = Files
			.readAllLines(ROOT.resolve("claude/projects").resolve(XSS_PROJECT).resolve(XSS_SESSION + ".jsonl"));
		assertThat(rows).hasSize(lines.size())
			.allSatisfy((r) -> assertThat(r.get("session").asText()).isEqualTo(XSS_SESSION));
		assertThat(rows.get(0).get("type").asText()).isEqualTo("user");
		assertThat(rows.get(0).get("cost").isNull()).isTrue();
		assertThat(rows.get(1).get("type").asText()).isEqualTo("assistant");
		assertThat(rows.get(1).get("counted").asBoolean()).isTrue();
		assertThat(rows.get(1).get("timestamp").asText()).isEqualTo("2026-02-01T10:00:05.000Z");
		// each answer priced by hand: Sonnet 4.5 at $3 per million input and $15 per
		// million output tokens, no cache
		assertThat(rows.stream().filter((r) -> r.get("counted").asBoolean()))
			.hasSize((int) lines.stream().filter((l) -> l.contains("\"assistant\"")).count())
			.allSatisfy((r) -> assertThat(r.get("cost").asDouble()).isCloseTo(
					r.get("input_tokens").asLong() * 3e-6 + r.get("output_tokens").asLong() * 15e-6, within(1e-12)));
		assertThat(rows.get(1).get("cost").asDouble()).isCloseTo(10 * 3e-6 + 20 * 15e-6, within(1e-12));
		assertThat(driver.findElement(By.id("export-timeline")).getAttribute("href"))
			.endsWith("/api/sessions/" + XSS_PROJECT + "/" + XSS_SESSION + "/messages/stream");
	}

	private void login(String password) {
		// the form fills in the admin's name: typed over, as a user who knows it would
		driver.findElement(By.id("username")).clear();
		driver.findElement(By.id("username")).sendKeys("admin");
		driver.findElement(By.id("password")).sendKeys(password);
		navigateBy(By.id("login"));
	}

	/** Clicks and waits until a new document has loaded (form posts and redirects). */
	private static void navigateBy(By target) {
		((JavascriptExecutor) driver).executeScript("window.__oldDocument = true;");
		driver.findElement(target).click();
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> Boolean.TRUE.equals(((JavascriptExecutor) driver)
				.executeScript("return window.__oldDocument === undefined && document.readyState === 'complete'")));
	}

	private void open(String path) {
		driver.get("http://127.0.0.1:" + this.port + path);
	}

	private static String text(String css) {
		return driver.findElement(By.cssSelector(css)).getText().strip();
	}

	private static void shot(String name) throws IOException {
		Chromium.shot(driver, SHOTS, name);
		Files.writeString(SHOTS.resolve(name + ".html"), driver.getPageSource());
	}

	private JsonNode api(String path) throws Exception {
		JsonNode node = apiOrNull(path);
		assertThat(node).as(path).isNotNull();
		return node;
	}

	private JsonNode apiOrNull(String path) throws Exception {
		var response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		return (response.statusCode() == 200) ? this.json.readTree(response.body()) : null;
	}

	private static String xssTranscript() {
		String user = "{\"type\":\"user\",\"uuid\":\"7a1f0000-0000-4000-8000-000000000001\",\"parentUuid\":null,"
				+ "\"sessionId\":\"" + XSS_SESSION
				+ "\",\"timestamp\":\"2026-02-01T10:00:00Z\",\"cwd\":\"/home/dev/xss\","
				+ "\"message\":{\"role\":\"user\",\"content\":"
				+ "\"<script>window.__xss = 1</script><img src=x onerror=\\\"window.__xss = 2\\\">\"}}\n";
		return user + line("msg_xss_1", "2026-02-01T10:00:05Z", 20);
	}

	private static String line(String id, String ts, long output) {
		return "{\"type\":\"assistant\",\"uuid\":\"" + UUID.nameUUIDFromBytes(id.getBytes(StandardCharsets.UTF_8))
				+ "\",\"parentUuid\":\"7a1f0000-0000-4000-8000-000000000001\",\"sessionId\":\"" + XSS_SESSION
				+ "\",\"timestamp\":\"" + ts + "\",\"cwd\":\"/home/dev/xss\",\"message\":{\"id\":\"" + id
				+ "\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\","
				+ "\"text\":\"Echo: <script>window.__xss = 3</script>\"}],\"usage\":{\"input_tokens\":10,\"output_tokens\":"
				+ output + "}}}\n";
	}

	@Test
	void shouldAnswerTheFirstAnalyticsQueryWithASortableTableAndTotals() throws Exception {
		open("/analytics");
		// the first query runs on load over the data's last 30 days: rows, not an empty
		// axis
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> "day,model".equals(driver.findElement(By.id("result-table")).getAttribute("data-group-by")));
		List<WebElement> rows = driver.findElements(By.cssSelector("#result-table tbody tr"));
		assertThat(rows).isNotEmpty();
		assertThat(driver.findElement(By.id("query-empty")).isDisplayed()).isFalse();
		// the chart shows all 30 days of the range, days without usage as zero
		assertThat(driver.findElement(By.id("query-chart")).getAttribute("data-rendered")).isEqualTo("30");
		List<String> headers = driver.findElements(By.cssSelector("#result-table thead th"))
			.stream()
			.map(WebElement::getText)
			.map(String::strip)
			.toList();
		assertThat(headers).startsWith("Day", "Model", "Cost", "Total tokens", "Messages", "Tool calls", "Failed calls",
				"Input tokens", "Output tokens");
		assertThat(headers).noneMatch((h) -> h.contains("_"));
		// the totals row is the sum of the rows
		int cost = headers.indexOf("Cost") - 2;
		int tokens = headers.indexOf("Total tokens") - 2;
		double costSum = 0;
		long tokenSum = 0;
		for (WebElement row : rows) {
			List<WebElement> cells = row.findElements(By.cssSelector("td.num"));
			costSum += Double.parseDouble(cells.get(cost).getAttribute("data-value"));
			tokenSum += Long.parseLong(cells.get(tokens).getAttribute("data-value"));
			assertThat(cells.get(tokens).getText()).matches("\\d{1,3}|\\d+\\.\\d[KMB]|\\d+\\.\\d\\d[MB]");
		}
		List<WebElement> totals = driver.findElements(By.cssSelector("#result-table tfoot tr.totals td"));
		// the total's cost, then what of it is not a list price (-home-dev-unlisted's two
		// messages)
		assertThat(totals.get(cost).getText()).startsWith(this.fmt.money(costSum) + " ");
		assertThat(totals.get(cost).findElements(By.cssSelector(".badge")).stream().map(WebElement::getText))
			.containsExactly("1 unpriced", "1 estimated");
		assertThat(Long.parseLong(totals.get(tokens).getAttribute("data-value"))).isEqualTo(tokenSum);
		assertThat(totals.get(tokens).getText()).isEqualTo(this.fmt.tokens(tokenSum));
		assertThat(text("#result-table tfoot th")).isEqualTo("Total (" + rows.size() + " rows)");
		// a click on a header sorts by it (numbers largest first), a second click
		// reverses
		WebElement header = driver.findElement(By.cssSelector("#result-table th[data-column='total_tokens']"));
		header.findElement(By.tagName("button")).click();
		assertThat(header.getAttribute("aria-sort")).isEqualTo("descending");
		List<Long> sorted = analyticsColumn("total_tokens");
		assertThat(sorted).isSortedAccordingTo(Comparator.reverseOrder());
		header.findElement(By.tagName("button")).click();
		assertThat(header.getAttribute("aria-sort")).isEqualTo("ascending");
		assertThat(analyticsColumn("total_tokens")).isSorted();
		assertThat(driver.findElements(By.cssSelector("#result-table th[aria-sort]"))).hasSize(1);
		// the table scrolls in its own box: the page itself never gets wider
		assertThat(((JavascriptExecutor) driver)
			.executeScript("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
			.isEqualTo(true);
		shot("analytics-first-use");
		// as on a phone: the form wraps, the table still scrolls in its own box
		driver.manage().window().setSize(new Dimension(420, 900));
		try {
			assertThat(((JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
				.isEqualTo(true);
			shot("analytics-first-use-420");
		}
		finally {
			driver.manage().window().setSize(new Dimension(1366, 1000));
		}
	}

	void shouldAnswerTheQuestionsOfTheDayOnTheOverview() throws Exception {
		open("/");
		String tz = new Select(driver.findElement(By.id("tz-select"))).getFirstSelectedOption().getAttribute("value");
		LocalDate today = LocalDate.now(ZoneId.of(tz));
		String month = "from=" + today.withDayOfMonth(1) + "&to=" + today + "&tz=" + tz;
		assertThat(text("#period-month .value"))
			.isEqualTo(this.fmt.money(api("/api/metrics/aggregate?" + month).get("total_cost").asDouble()));
		assertThat(text("#period-today .value")).isEqualTo(this.fmt
			.money(api("/api/metrics/aggregate?from=" + today + "&to=" + today + "&tz=" + tz).get("total_cost")
				.asDouble()));
		assertThat(text("#period-all .value"))
			.isEqualTo(this.fmt.money(api("/api/metrics/aggregate").get("total_cost").asDouble()));
		assertThat(driver.findElements(By.cssSelector("#periods .card"))).hasSize(6);
		// the chart: every day of the range a bar, consecutive
		JsonNode chart = this.json.readTree(driver.findElement(By.id("chart-daily")).getAttribute("data-chart"));
		List<String> days = new ArrayList<>();
		chart.get("x").forEach((d) -> days.add(d.asText()));
		assertThat(days).hasSize(30);
		for (int i = 1; i < days.size(); i++) {
			assertThat(LocalDate.parse(days.get(i))).isEqualTo(LocalDate.parse(days.get(i - 1)).plusDays(1));
		}
		assertThat(text("#week-limits")).contains("This week");
		// top tools: computed by a job, then shown without a reload, most expensive first
		await().atMost(Duration.ofSeconds(90))
			.ignoreExceptions()
			.until(() -> !driver.findElements(By.cssSelector("#top-tools table tbody tr")).isEmpty());
		List<JsonNode> tools = new ArrayList<>();
		api("/api/tools").get("tools").forEach(tools::add);
		tools.sort((a, b) -> Double.compare(b.get("cost").asDouble(), a.get("cost").asDouble()));
		assertThat(text("#top-tools tbody tr td")).isEqualTo(tools.get(0).get("name").asText());
		shot("overview-periods");
		// all time: one click to the most expensive session
		open("/?from=&to=");
		assertThat(driver.findElement(By.cssSelector("#period-range .label")).getAttribute("textContent"))
			.isEqualTo("Range: all time");
		String topCost = text("#top-sessions tbody tr td:last-child");
		navigateBy(By.cssSelector("#top-sessions tbody tr a"));
		assertThat(driver.getCurrentUrl()).contains("/sessions/");
		assertThat(text("#session-cost")).isEqualTo(topCost);
		// the picker's presets
		open("/");
		navigateBy(By.xpath("//form[@id='range-picker']//a[text()='7 days']"));
		assertThat(driver.getCurrentUrl()).contains("from=" + today.minusDays(6) + "&to=" + today);
		assertThat(driver.findElement(By.id("range-from")).getAttribute("value"))
			.isEqualTo(today.minusDays(6).toString());
		assertThat(this.json.readTree(driver.findElement(By.id("chart-daily")).getAttribute("data-chart")).get("x"))
			.hasSize(7);
	}

	@Test
	void shouldShowReportsWithTheApisNumbersSortedAndExportable() throws Exception {
		open("/reports?from=&to=");
		String tz = new Select(driver.findElement(By.id("tz-select"))).getFirstSelectedOption().getAttribute("value");
		JsonNode weekly = api("/api/metrics/weekly?tz=" + tz).get("metrics");
		assertThat(driver.findElements(By.cssSelector("#daily-table tbody tr")))
			.hasSize(api("/api/metrics/daily?tz=" + tz).get("metrics").size());
		assertThat(driver.findElements(By.cssSelector("#weekly-table tbody tr"))).hasSize(weekly.size());
		assertThat(driver.findElements(By.cssSelector("#monthly-table tbody tr")))
			.hasSize(api("/api/metrics/monthly?tz=" + tz).get("metrics").size());
		String total = this.fmt.money(api("/api/metrics/aggregate?tz=" + tz).get("total_cost").asDouble());
		for (String table : List.of("#daily-table", "#weekly-table", "#monthly-table")) {
			// the total's cost, then what of it is not a list price (-home-dev-unlisted's
			// two messages)
			assertThat(text(table + " tfoot td:last-child > span:first-child")).as(table).isEqualTo(total);
			assertThat(text(table + " tfoot td:last-child")).as(table).endsWith(" 1 unpriced 1 estimated");
		}
		assertThat(text("#weekly-table tbody tr td:last-child > span:first-child"))
			.isEqualTo(this.fmt.money(weekly.get(0).get("cost").asDouble()));
		// a row's models open
		driver.findElement(By.cssSelector("#weekly-table tbody tr summary")).click();
		assertThat(driver.findElements(By.cssSelector("#weekly-table tbody tr:first-child li")))
			.hasSize(weekly.get(0).get("models").size());
		// sorted by cost, the largest first as the analytics table sorts, then the other
		// way; a click anywhere in the header cell sorts (only its small button did, and
		// cheapest first)
		WebElement cost = driver.findElement(By.xpath("//table[@id='weekly-table']//th[button='Cost']"));
		cost.findElement(By.tagName("button")).click();
		assertThat(cost.getAttribute("aria-sort")).isEqualTo("descending");
		List<Double> costs = new ArrayList<>();
		driver.findElements(By.cssSelector("#weekly-table tbody tr td:last-child"))
			.forEach((td) -> costs.add(-Double.parseDouble(td.getAttribute("data-value"))));
		assertThat(costs).isSorted();
		((JavascriptExecutor) driver).executeScript("arguments[0].click();", cost);
		assertThat(cost.getAttribute("aria-sort")).isEqualTo("ascending");
		assertThat(Double.parseDouble(
				driver.findElement(By.cssSelector("#weekly-table tbody tr td:last-child")).getAttribute("data-value")))
			.isEqualTo(-costs.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
		// the export link answers the report as CSV
		String href = driver.findElement(By.id("export-weekly-csv")).getAttribute("href");
		HttpResponse<String> csv = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(href)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(csv.statusCode()).isEqualTo(200);
		assertThat(csv.body()).startsWith("week_start,model,messages");
		shot("reports");
		// at 420 px the page does not scroll sideways: the tables scroll in their own box
		driver.manage().window().setSize(new Dimension(420, 900));
		try {
			open("/reports?from=&to=");
			assertThat(((JavascriptExecutor) driver)
				.executeScript("return document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
				.isEqualTo(true);
			shot("reports-420");
		}
		finally {
			driver.manage().window().setSize(new Dimension(1366, 1000));
		}
	}

	@Test
	void shouldListAnalyticsSessionsMostExpensiveFirstLinkProjectsAndSayWhenNothingMatched() throws Exception {
		open("/analytics");
		analyticsQuery("session", "", "", "");
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> "session".equals(driver.findElement(By.id("result-table")).getAttribute("data-group-by")));
		assertThat(driver.findElement(By.cssSelector("#result-table th[data-column='cost']")).getAttribute("aria-sort"))
			.isEqualTo("descending");
		// the most expensive session of all (the API's costs) comes first and links to
		// its page
		String top = null;
		double most = -1;
		for (JsonNode p : api("/api/projects").get("projects")) {
			String dir = p.get("path_hash").asText();
			for (JsonNode s : api("/api/projects/" + dir + "/sessions?limit=500").get("sessions")) {
				if (s.get("cost").get("total_cost").asDouble() > most) {
					most = s.get("cost").get("total_cost").asDouble();
					top = "/projects/" + dir + "/sessions/" + s.get("session_id").asText();
				}
			}
		}
		WebElement first = driver.findElement(By.cssSelector("#result-table tbody tr a.session-link"));
		assertThat(first.getAttribute("href")).endsWith(top);
		// each called as the pages call it: its title, else its first prompt, else its
		// id's start (GET /api/sessions)
		Map<String, String> names = new HashMap<>();
		for (JsonNode s : api("/api/sessions?limit=500").get("sessions")) {
			String id = s.get("session_id").asText();
			names.put(id, !s.get("title").isNull() ? s.get("title").asText()
					: s.path("first_prompt").asText(id.substring(0, 8)));
		}
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
			List<WebElement> links = driver.findElements(By.cssSelector("#result-table tbody tr a.session-link"));
			assertThat(links).isNotEmpty();
			// sessions of one name apart by their id's start (a chart groups bars by
			// label)
			assertThat(links).allSatisfy((a) -> {
				String id = a.getAttribute("title");
				String name = names.get(id).strip();
				assertThat(a.getText().strip()).isIn(name, name + " · " + id.substring(0, 8));
			});
			assertThat(links)
				.anySatisfy((a) -> assertThat(a.getText()).isNotEqualTo(a.getAttribute("title").substring(0, 8)));
		});
		assertThat(text("#result-table tbody tr td.num")).isEqualTo(this.fmt.money(most));
		shot("analytics-sessions");
		// projects show their display path and link to their page
		analyticsQuery("project", "", "", "");
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> "project".equals(driver.findElement(By.id("result-table")).getAttribute("data-group-by")));
		for (WebElement link : driver.findElements(By.cssSelector("#result-table tbody a.project-link"))) {
			String dir = link.getAttribute("title");
			assertThat(link.getAttribute("href")).endsWith("/projects/" + dir);
			for (JsonNode p : api("/api/projects").get("projects")) {
				if (p.get("path_hash").asText().equals(dir)) {
					assertThat(link.getText()).isEqualTo(p.get("project_path").asText());
				}
			}
		}
		// the exports follow the query: the daily report its range and project, the
		// entry export its project
		String project = api("/api/projects").get("projects").get(0).get("path_hash").asText();
		new Select(driver.findElement(By.id("query-project"))).selectByValue(project);
		analyticsQuery("day", "", "2026-01-01", "2026-01-31");
		awaitQueryDone();
		assertThat(driver.findElement(By.cssSelector("a.report-export[data-report='daily'][data-format='csv']"))
			.getAttribute("href")).contains("to=2026-01-31").contains("project=" + project);
		assertThat(driver.findElement(By.cssSelector("button.export-job")).getAttribute("data-project"))
			.isEqualTo(project);
		assertThat(driver.findElement(By.id("query-default")).isDisplayed()).isFalse();
		new Select(driver.findElement(By.id("query-project"))).selectByValue("");
		// a range of thousands of years: the chart spans the data's own days, each once
		analyticsQuery("day", "", "1970-01-01", "9999-12-31");
		awaitQueryDone();
		List<String> dayCells = driver.findElements(By.cssSelector("#result-table tbody tr td:first-child"))
			.stream()
			.map((td) -> td.getAttribute("textContent"))
			.map(String::strip)
			.filter((t) -> t.matches("\\d{4}-\\d{2}-\\d{2}"))
			.sorted()
			.toList();
		assertThat(dayCells).isNotEmpty();
		long span = ChronoUnit.DAYS.between(LocalDate.parse(dayCells.get(0)),
				LocalDate.parse(dayCells.get(dayCells.size() - 1))) + 1;
		assertThat(driver.findElement(By.id("query-chart")).getAttribute("data-rendered"))
			.isEqualTo(String.valueOf(span));
		// the axis tells small amounts apart ($0.025 is not $0.03)
		assertThat(((JavascriptExecutor) driver).executeScript("var f = echarts.getInstanceByDom("
				+ "document.getElementById('query-chart')).getOption().yAxis[0].axisLabel.formatter;"
				+ "return [f(0.025), f(0.02), f(0), f(12.345)].join(' ');"))
			.isEqualTo("$0.025 $0.02 $0.00 $12.35");
		// nothing in range: a message with the range, no blank chart
		analyticsQuery("day", "", "1990-01-01", "1990-01-31");
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> driver.findElement(By.id("query-empty")).isDisplayed());
		assertThat(text("#query-empty")).startsWith("Nothing matched from 1990-01-01 to 1990-01-31");
		assertThat(driver.findElement(By.id("query-chart")).isDisplayed()).isFalse();
		assertThat(driver.findElements(By.id("result-table"))).isEmpty();
		assertThat(text("#query-status")).isEqualTo("0 rows");
		shot("analytics-empty");
	}

	/** Waits for the analytics query the form ran last to be shown ("N rows"). */
	private static void awaitQueryDone() {
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> driver.findElement(By.id("query-status"))
				.getAttribute("textContent")
				.matches("\\d+ rows?( .*)?"));
	}

	/** Sets the analytics form (dates as yyyy-MM-dd, or empty) and runs it. */
	private static void analyticsQuery(String first, String second, String from, String to) {
		new Select(driver.findElement(By.id("group-1"))).selectByValue(first);
		new Select(driver.findElement(By.id("group-2"))).selectByValue(second);
		((JavascriptExecutor) driver).executeScript("document.getElementById('query-from').value = arguments[0];"
				+ "document.getElementById('query-to').value = arguments[1];", from, to);
		driver.findElement(By.id("run-query")).click();
	}

	/** The raw values of one column of the analytics table, top to bottom. */
	private static List<Long> analyticsColumn(String column) {
		List<String> columns = driver.findElements(By.cssSelector("#result-table thead th"))
			.stream()
			.map((th) -> th.getAttribute("data-column"))
			.toList();
		int index = columns.indexOf(column);
		return driver.findElements(By.cssSelector("#result-table tbody tr"))
			.stream()
			.map((tr) -> Long.parseLong(tr.findElements(By.tagName("td")).get(index).getAttribute("data-value")))
			.toList();
	}

	// issue 17 items 3 and 4: the Sessions page and the session page, cost first

	@Test
	void shouldListTheSessionsOfEveryProjectByTitleSortedAndFiltered() throws Exception {
		JsonNode all = api("/api/sessions?limit=500");
		open("/sessions");
		shot("sessions");
		assertThat(text("#session-count")).isEqualTo(all.get("total").asLong() + " sessions");
		List<WebElement> rows = driver.findElements(By.cssSelector("#all-sessions tbody tr"));
		assertThat(rows).hasSize((int) Math.min(25, all.get("total").asLong()));
		// newest first, each called by its title, else its first prompt, else its id
		JsonNode first = all.get("sessions").get(0);
		String expected = first.hasNonNull("title") ? first.get("title").asText() : first.hasNonNull("first_prompt")
				? first.get("first_prompt").asText() : first.get("session_id").asText().substring(0, 8);
		assertThat(rows.get(0).findElement(By.cssSelector("a.session-title")).getText()).isEqualTo(expected);
		// sorted by cost: the most expensive first
		navigateBy(By.linkText("Cost"));
		shot("sessions-by-cost");
		JsonNode dearest = api("/api/sessions?sort=cost&limit=1").get("sessions").get(0);
		assertThat(driver.getCurrentUrl()).contains("sort=cost");
		assertThat(text("#all-sessions tbody tr:first-child td:nth-child(9) span"))
			.isEqualTo(this.fmt.money(dearest.get("cost").get("total_cost").asDouble()));
		assertThat(driver.findElement(By.cssSelector("#all-sessions th[aria-sort=descending]")).getText())
			.isEqualTo("Cost ▼");
		// sorted by failed tool calls: the session whose tools failed most first
		navigateBy(By.linkText("Failed calls"));
		JsonNode failing = api("/api/sessions?sort=errors&limit=1").get("sessions").get(0);
		assertThat(failing.get("errors").asLong()).isPositive();
		assertThat(text("#all-sessions tbody tr:first-child td:nth-child(7)"))
			.isEqualTo(this.fmt.num(failing.get("errors").asLong()));
		assertThat(text("#all-sessions tbody tr:first-child td:nth-child(6)"))
			.isEqualTo(this.fmt.num(failing.get("tool_calls").asLong()));
		// a title search finds a session by its first prompt
		JsonNode prompted = null;
		for (JsonNode s : all.get("sessions")) {
			if (s.hasNonNull("first_prompt") && s.get("first_prompt").asText().strip().split(" ")[0].length() > 3) {
				prompted = s;
				break;
			}
		}
		assertThat(prompted).as("a session without a title but with a first prompt").isNotNull();
		String word = prompted.get("first_prompt").asText().strip().split(" ")[0];
		driver.findElement(By.id("filter-q")).sendKeys(word);
		navigateBy(By.id("apply-session-filters"));
		shot("sessions-search");
		assertThat(driver.findElements(By.cssSelector("#all-sessions a.session-title"))).extracting(WebElement::getText)
			.contains(prompted.get("first_prompt").asText());
		// a project filter keeps to its project, and the project page titles the same way
		String project = prompted.get("path_hash").asText();
		open("/sessions?project=" + project);
		assertThat(driver.findElements(By.cssSelector("#all-sessions tbody tr td:nth-child(2) a")))
			.extracting((a) -> a.getAttribute("href"))
			.allSatisfy((href) -> assertThat(href).endsWith("/projects/" + project));
		open("/projects/" + project);
		assertThat(driver.findElements(By.cssSelector("#sessions a.session-title"))).extracting(WebElement::getText)
			.doesNotContain("")
			.isNotEmpty();
		// 420 px wide: the table scrolls in its own box, the page itself does not
		driver.manage().window().setSize(new Dimension(420, 900));
		try {
			open("/sessions");
			shot("sessions-420");
			assertThat(((JavascriptExecutor) driver)
				.executeScript("const m = document.querySelector('main'); return m.scrollWidth <= m.clientWidth;"))
				.isEqualTo(true);
		}
		finally {
			driver.manage().window().setSize(new Dimension(1366, 1000));
		}
	}

	@Test
	void shouldPutASessionsCostFirstAndScopeASubagentViewInEveryPanel() throws Exception {
		String project = null;
		JsonNode session = null;
		JsonNode subagent = null;
		for (JsonNode s : api("/api/sessions?sort=cost&limit=500").get("sessions")) {
			if (s.get("subagent_count").asLong() == 0) {
				continue;
			}
			String dir = s.get("path_hash").asText();
			for (JsonNode a : api("/api/sessions/" + dir + "/" + s.get("session_id").asText() + "/subagents")
				.get("subagents")) {
				if ("subagents".equals(a.get("layout").asText()) && a.get("tool_calls").asLong() > 0) {
					project = dir;
					session = s;
					subagent = a;
				}
			}
			if (session != null) {
				break;
			}
		}
		assertThat(session).as("a session with a subagent file that called tools").isNotNull();
		String base = "/projects/" + project + "/sessions/" + session.get("session_id").asText();
		open(base);
		shot("session-cost-first");
		// the cost breakdown is above the timeline
		assertThat(driver.findElement(By.id("cost-panel")).getLocation().getY())
			.isLessThan(driver.findElement(By.id("timeline-panel")).getLocation().getY());
		assertThat(text("#cost-panel h2")).isEqualTo("Where the cost went");
		assertThat(driver.findElements(By.cssSelector("#cost-agents tbody tr"))).hasSizeGreaterThan(1);
		// the tools sorted by cost: the costs descend (the 7th column; the cost of the
		// failed calls follows it)
		navigateBy(By.id("tools-by-cost"));
		List<Double> costs = driver.findElements(By.cssSelector("#tools tbody tr td:nth-child(7)"))
			.stream()
			.map((td) -> Double.parseDouble(td.getText().replace("$", "").replace(",", "")))
			.toList();
		assertThat(costs).isNotEmpty().isSortedAccordingTo((a, b) -> Double.compare(b, a));
		// the subagent's view: labelled, its own cost in the header, its own tools
		String agentId = subagent.get("agent_id").asText();
		open(base + "?agent=" + agentId);
		shot("session-subagent-scope");
		assertThat(text("#agent-scope")).startsWith("Subagent view:").contains(agentId);
		JsonNode agentTotals = null;
		for (JsonNode a : api("/api/sessions/" + project + "/" + session.get("session_id").asText()).get("agents")) {
			if (agentId.equals(a.path("agent_id").asText())) {
				agentTotals = a;
			}
		}
		assertThat(agentTotals).isNotNull();
		assertThat(text("#session-cost"))
			.isEqualTo(this.fmt.money(agentTotals.get("cost").get("total_cost").asDouble()));
		assertThat(text("#session-messages")).isEqualTo(this.fmt.num(agentTotals.get("message_count").asLong()));
		assertThat(text("#tools-panel h2")).isEqualTo("Tools of this subagent");
		JsonNode agentTools = api(
				"/api/subagents/" + project + "/" + session.get("session_id").asText() + "/" + agentId + "/tools");
		assertThat(driver.findElements(By.cssSelector("#tools tbody tr"))).hasSize(agentTools.get("tools").size());
	}

}
