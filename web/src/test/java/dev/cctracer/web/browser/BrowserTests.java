package dev.cctracer.web.browser;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.util.HtmlUtils;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestRoots;
import dev.cctracer.web.system.Formats;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The dashboard and the admin console in a real browser: Debian's headless Chromium
 * driven by Selenium through chromedriver, against the app on a random port with the real
 * transcripts, a generated dataset (exact ground truth) and a transcript that carries
 * {@code <script>}. Screenshots land in {@code target/screenshots/}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class BrowserTests {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private static final Path SHOTS = Path.of("target/screenshots");

	private static final String PASSWORD = "browser-test-password";

	static final String XSS_PROJECT = "-home-dev-xss";

	static final String XSS_SESSION = "5c0e7e57-0000-4000-8000-00000000c0de";

	private static final Path ROOT;

	private static final GroundTruth TRUTH;

	static {
		try {
			ROOT = TestRoots.create("browser");
			RealDataLayout.create(RealDataWebTest.realData(), ROOT.resolve("claude"));
			TRUTH = new DatasetGenerator(DatasetGenerator.Spec.small()).generate(ROOT.resolve("claude"));
			Path xss = Files.createDirectories(ROOT.resolve("claude/projects").resolve(XSS_PROJECT));
			Files.writeString(xss.resolve(XSS_SESSION + ".jsonl"), xssTranscript());
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

	@LocalServerPort
	int port;

	@Autowired
	Indexer indexer;

	private final ObjectMapper json = new ObjectMapper();

	private final Formats fmt = new Formats();

	@BeforeAll
	static void startBrowser() throws IOException {
		assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
			.as("browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; "
					+ ".ci/run installs them)")
			.isTrue();
		Files.createDirectories(SHOTS);
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=1366,1000",
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
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
			.isEqualTo(this.fmt.usd(api("/api/metrics/aggregate").get("total_cost").asDouble()));
		assertThat(driver.findElement(By.id("chart-daily")).getAttribute("data-rendered")).isNotNull();
		shot("overview");
		// a generated project: its cost on the page is the generator's exact ground truth
		String project = TRUTH.projects.keySet().iterator().next();
		driver.findElement(By.cssSelector("#top-projects a[href='/projects/" + project + "']")).click();
		assertThat(driver.getCurrentUrl()).endsWith("/projects/" + project);
		assertThat(text("#project-totals .card .value"))
			.isEqualTo(this.fmt.usd(TRUTH.projects.get(project).costPico / 1e12));
		List<WebElement> sessions = driver.findElements(By.cssSelector("#sessions tbody tr"));
		assertThat(sessions).hasSize((int) api("/api/projects/" + project + "/sessions").get("total").asLong());
		await().atMost(Duration.ofSeconds(30))
			.ignoreExceptions()
			.until(() -> "done"
				.equals(driver.findElement(By.cssSelector("#project-tools .chart")).getAttribute("data-loaded")));
		shot("project");
		sessions.get(0).findElement(By.cssSelector("a")).click();
		assertThat(driver.getCurrentUrl()).contains("/projects/" + project + "/sessions/");
		String sessionId = driver.getCurrentUrl().substring(driver.getCurrentUrl().lastIndexOf('/') + 1);
		assertThat(text("#session-cost"))
			.isEqualTo(this.fmt.usd(TRUTH.sessions.get(project + "/" + sessionId).costPico / 1e12));
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
		assertThat(text("#session-cost")).isEqualTo(this.fmt.usd(session.get("cost").get("total_cost").asDouble()));
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
		JsonNode result = api(resultUrl.substring(resultUrl.indexOf("/api/")));
		assertThat(result.get("equal").asBoolean()).as("%s", result.get("differences")).isTrue();
		navigateBy(By.id("action-clear"));
		assertThat(text("#outcome")).startsWith("Caches cleared");
		navigateBy(By.id("action-scan"));
		assertThat(text("#outcome")).startsWith("Rescan done");
		navigateBy(By.cssSelector("form[action='/logout'] button"));
		open("/admin");
		assertThat(driver.getCurrentUrl()).endsWith("/login");
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
			.until(() -> !driver.findElements(By.id("result-table")).isEmpty());
		JsonNode models = api("/api/metrics/models");
		List<WebElement> rows = driver.findElements(By.cssSelector("#result-table tbody tr"));
		assertThat(rows).hasSize(models.get("models").size());
		assertThat(driver.findElement(By.id("query-chart")).getAttribute("data-rendered")).isNotNull();
		assertThat(text("#query-status")).endsWith(rows.size() + " rows");
		shot("analytics");
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

	private void login(String password) {
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
		File file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
		Files.copy(file.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
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

}
