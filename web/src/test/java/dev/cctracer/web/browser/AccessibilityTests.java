package dev.cctracer.web.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.deque.html.axecore.results.Results;
import com.deque.html.axecore.results.Rule;
import com.deque.html.axecore.selenium.AxeBuilder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestRoots;
import dev.cctracer.worker.IndexControl;
import dev.cctracer.worker.facts.FactsStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every page in both themes, 1400 and 375 CSS pixels wide, checked by axe-core (Deque's,
 * WCAG 2.1 A and AA rules: contrast, labels, names, ARIA) in the real browser; at 375 px
 * no page is wider than the window (tables scroll in their own box).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class AccessibilityTests {

	private static final Path SHOTS = Path.of("target/screenshots");

	private static final String PASSWORD = "a11y-test-password";

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("a11y");
			RealDataLayout.create(RealDataWebTest.realData(), ROOT.resolve("claude"));
			longNames(ROOT.resolve("claude/projects"));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * A session with a long unbroken title in a project with a long path: what made the
	 * session list wider than a phone (its project choice, a title column a few letters
	 * wide).
	 */
	private static void longNames(Path projects) throws IOException {
		String cwd = longCwd();
		String session = LONG_NAMES_SESSION;
		Path dir = Files.createDirectories(projects.resolve(longProject()));
		Files.writeString(dir.resolve(session + ".jsonl"), "{\"type\":\"custom-title\",\"customTitle\":\""
				+ "a-very-long-title-without-spaces-".repeat(6) + "\",\"sessionId\":\"" + session + "\"}\n"
				+ "{\"type\":\"user\",\"uuid\":\"1a9e0000-0000-4000-8000-000000000001\",\"sessionId\":\"" + session
				+ "\",\"cwd\":\"" + cwd + "\",\"timestamp\":\"2026-11-30T10:00:00Z\",\"message\":{\"role\":"
				+ "\"user\",\"content\":\"hello\"}}\n{\"type\":\"assistant\",\"uuid\":"
				+ "\"1a9e0000-0000-4000-8000-000000000002\",\"sessionId\":\"" + session + "\",\"cwd\":\"" + cwd
				+ "\",\"requestId\":\"req_a11e\",\"timestamp\":\"2026-11-30T10:00:05Z\",\"message\":{\"id\":"
				+ "\"msg_a11e\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":"
				+ "[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":10,\"output_tokens\":5}}}\n");
		// a subagent given a task with a long unbroken name: its row in "Where the cost
		// went" hid the Messages and Cost columns behind a sideways scroll (a trial, at
		// 1400 and 1920 px)
		String agent = "a11e0000000000001";
		Path subagents = Files.createDirectories(dir.resolve(session).resolve("subagents"));
		Files.writeString(subagents.resolve("agent-" + agent + ".meta.json"),
				"{\"agentType\":\"Explore\",\"description\":\"Verify: ConsumeMobileHandsetContractExpiredEventHandler"
						+ "IsNotImplementedAnywhere\"}");
		Files
			.writeString(subagents.resolve("agent-" + agent + ".jsonl"), "{\"type\":\"assistant\",\"isSidechain\":true,"
					+ "\"agentId\":\"" + agent + "\",\"uuid\":\"1a9e0000-0000-4000-8000-000000000003\",\"sessionId\":\""
					+ session + "\",\"cwd\":\"" + cwd + "\",\"requestId\":\"req_a11f\",\"timestamp\":"
					+ "\"2026-11-30T10:00:07Z\",\"message\":{\"id\":\"msg_a11f\",\"role\":\"assistant\",\"model\":"
					+ "\"claude-haiku-4-5-20251001\",\"content\":[{\"type\":\"text\",\"text\":\"found\"}],\"usage\":"
					+ "{\"input_tokens\":20,\"output_tokens\":8}}}\n");
	}

	/** The session of {@link #longNames}, its subagent's long name in its cost panel. */
	private static final String LONG_NAMES_SESSION = "1a9e0000-0000-4000-8000-00000000a11e";

	/**
	 * The cwd of {@link #longNames}: under the user's home, long whatever the home is,
	 * and its start without a hyphen, where a browser may break a line (it breaks none at
	 * a slash).
	 */
	private static String longCwd() {
		return Path
			.of(System.getProperty("user.home"), "work", "clients", "of", "a", "long", "list", "of", "them", "all",
					"an-unusually-long-client-name", "repository-of-it")
			.toString()
			.replace('\\', '/');
	}

	/** The project dir of {@link #longNames}, as Claude Code names it after the cwd. */
	private static String longProject() {
		return longCwd().replaceAll("[^A-Za-z0-9]", "-");
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.web.admin-password", () -> PASSWORD);
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "100000");
		// the teammate's session leaves the disk: no scan may notice
		TestRoots.scansOnlyWhenAsked(registry);
	}

	private static WebDriver driver;

	@LocalServerPort
	int port;

	@Autowired
	IndexControl index;

	@Autowired
	FactsStore facts;

	@Autowired
	JdbcClient jdbc;

	private final ObjectMapper json = new ObjectMapper();

	/**
	 * The narrow window (px): a small phone's width (a trial saw pages overflow at 390).
	 */
	private static final int NARROW = 375;

	@BeforeAll
	static void startBrowser() throws IOException {
		Files.createDirectories(SHOTS);
		driver = Chromium.start(1400, 1000);
	}

	@AfterAll
	static void stopBrowser() {
		if (driver != null) {
			driver.quit();
		}
	}

	@Test
	void everyPageMeetsWcagAaInBothThemesAndFitsANarrowScreen() throws Exception {
		this.index.scanAndIngest();
		List<String> pages = pages();
		List<String> problems = new ArrayList<>();
		for (String theme : new String[] { "light", "dark" }) {
			for (int width : new int[] { 1400, NARROW }) {
				driver.manage().window().setSize(new Dimension(width, 1000));
				for (String page : pages) {
					open(page, theme);
					Results results = new AxeBuilder().withTags(List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa"))
						.analyze(driver);
					for (Rule rule : results.getViolations()) {
						problems.add(theme + " " + width + "px " + page + ": " + rule.getId() + " (" + rule.getHelp()
								+ ") at "
								+ rule.getNodes().stream().limit(3).map((n) -> n.getTarget().toString()).toList());
					}
					if (width == 1400 && theme.equals("light")) {
						problems.addAll(textAlternativesAndSortState(page));
						// a misspelt tag in a template (a "<thNone>" once stood for a
						// column header) is an element no browser knows
						none(problems, page, "elements no browser knows", "Array.from(document.querySelectorAll('*'))"
								+ ".filter((e) => e instanceof HTMLUnknownElement).map((e) => e.tagName)");
						// every page's layout, an error page's too (an unknown address's
						// zone selector had no choice)
						none(problems, page, "zone selector without choices",
								"document.querySelectorAll('#tz-select option').length ? [] : ['empty']");
						// the keyboard's first stop skips the menu to the content (a
						// trial
						// needed 11 Tabs to reach a page's filters)
						none(problems, page, "no skip link first",
								"(function () { var f = document.querySelector('a[href], button, input, select, textarea');"
										+ " return f && f.classList.contains('skip') && f.getAttribute('href') === '#content'"
										+ " && document.getElementById('content') ? [] : [f ? f.outerHTML : 'none']; })()");
						// a link in a page's text looks like one: the menu's style had
						// made a message's previous/next and the reports' jumps plain
						// text
						none(problems, page, "links drawn as plain text",
								"Array.from(document.querySelectorAll('main a[href]')).filter((a) => {"
										+ " var cs = getComputedStyle(a); return a.offsetParent !== null"
										+ " && !a.closest('th') && !a.classList.contains('preset')"
										+ " && cs.color === getComputedStyle(document.body).color"
										+ " && cs.textDecorationLine.indexOf('underline') < 0; }).map((a) => a.textContent.trim())");
						// at a desktop's width every column of the cost panel's tables
						// shows
						none(problems, page, "cost tables wider than their box",
								"Array.from(document.querySelectorAll('.cost-part .table-scroll'))"
										+ ".filter((e) => e.scrollWidth > e.clientWidth).map((e) => e.parentElement.id)");
					}
					if (width == NARROW) {
						// a text or path column keeps a readable width in its table (text
						// that may wrap anywhere had been squeezed to a few letters a
						// line)
						none(problems, page, "text columns squeezed",
								"Array.from(document.querySelectorAll('table.grid td')).filter((td) => td.offsetParent !== null"
										+ " && (td.classList.contains('text') || td.querySelector(':scope > code'))"
										+ " && td.textContent.trim().length > 24 && td.getBoundingClientRect().width < 100)"
										+ ".map((td) => td.textContent.trim().slice(0, 40))");
						long overflow = (Long) ((JavascriptExecutor) driver).executeScript(
								"return document.documentElement.scrollWidth - document.documentElement.clientWidth");
						if (overflow > 0) {
							problems.add(theme + " " + NARROW + "px " + page + ": the page is " + overflow
									+ " px wider than the window");
							shot("overflow-" + theme + page.replaceAll("[^A-Za-z0-9]", "_"));
						}
					}
				}
			}
		}
		assertThat(problems).as(String.join("\n", problems)).isEmpty();
	}

	@Test
	void shouldFitTheSessionTablesOnALaptopScreen() throws Exception {
		this.index.scanAndIngest();
		driver.manage().window().setSize(new Dimension(1280, 1000));
		try {
			// eleven columns, the long project's path among them: the table had been ~120
			// px wider than its panel at 1280, its Status column behind a sideways scroll
			// (a trial), since every header kept its words on one line
			for (String page : List.of("/sessions", "/projects/" + longProject())) {
				open(page, "light");
				List<String> problems = new ArrayList<>();
				none(problems, page, "session tables wider than their panel",
						"Array.from(document.querySelectorAll('table.grid')).filter((t) => t.querySelector('a.session-title'))"
								+ ".map((t) => t.parentElement.closest('.table-scroll, .panel'))"
								+ ".filter((box) => box.scrollWidth > box.clientWidth).map((box) => (box.scrollWidth - box.clientWidth) + ' px')");
				assertThat(problems).as(String.join("\n", problems)).isEmpty();
			}
		}
		finally {
			driver.manage().window().setSize(new Dimension(1400, 1000));
		}
	}

	/**
	 * Adds a problem when {@code list}, a script's expression for a list of what is wrong
	 * on the page, finds anything.
	 */
	@SuppressWarnings("unchecked")
	private static void none(List<String> problems, String page, String what, String list) {
		List<String> found = (List<String>) ((JavascriptExecutor) driver).executeScript("return " + list + ";");
		if (!found.isEmpty()) {
			problems.add(page + ": " + what + ": " + found);
		}
	}

	/**
	 * What axe cannot see: every drawn chart is followed by its numbers as a table (one
	 * row per label), and every table sorted by a header link says which column with
	 * {@code aria-sort}.
	 */
	@SuppressWarnings("unchecked")
	private static List<String> textAlternativesAndSortState(String page) {
		List<String> problems = (List<String>) ((JavascriptExecutor) driver).executeScript(
				"""
						var problems = [];
						document.querySelectorAll('[data-rendered]').forEach(function (chart) {
						  var details = chart.nextElementSibling;
						  var rows = details && details.matches('details.chart-data') ? details.querySelectorAll('tbody tr').length : -1;
						  if (chart.getAttribute('role') !== 'img' || rows !== Number(chart.getAttribute('data-rendered'))) {
						    problems.push('chart ' + (chart.id || '?') + ' has no table of its ' + chart.getAttribute('data-rendered') + ' labels');
						  }
						});
						document.querySelectorAll('table').forEach(function (table) {
						  var sortable = table.querySelectorAll('thead th a[href*="sort="]').length;
						  var sorted = table.querySelectorAll('thead th[aria-sort="ascending"], thead th[aria-sort="descending"]').length;
						  if (sortable > 0 && sorted !== 1) {
						    problems.push('table ' + (table.id || '?') + ' is sortable but ' + sorted + ' headers say aria-sort');
						  }
						});
						return problems;
						""");
		return problems.stream().map((p) -> page + ": " + p).toList();
	}

	/** The pages of the app: each kind once, with real data behind it. */
	private List<String> pages() throws Exception {
		String project = "/projects/" + RealDataLayout.SPOTTER;
		String session = project + "/sessions/" + RealDataLayout.MAIN_SESSION;
		JsonNode messages = this.json.readTree(fetch("/api/sessions/" + RealDataLayout.SPOTTER + "/"
				+ RealDataLayout.MAIN_SESSION + "/messages?type=assistant&limit=1"));
		String message = session + "/messages/" + messages.get("messages").get(0).get("uuid").asText();
		List<String> pages = new ArrayList<>(List.of("/", "/projects", project, session, message, teammateSession(),
				"/projects/" + longProject() + "/sessions/" + LONG_NAMES_SESSION, "/analytics", "/search?q=phx.server",
				"/login", "/no/such/page"));
		for (String optional : new String[] { "/reports", "/sessions" }) {
			if (status(optional) == 200) {
				pages.add(optional);
			}
		}
		return pages;
	}

	/**
	 * A teammate's session: its transcript handed to another origin and gone from this
	 * disk, its timeline from the facts.
	 */
	private String teammateSession() throws Exception {
		this.facts.sync((n) -> {
		});
		this.jdbc.sql("UPDATE source_file SET origin = 'box-b' WHERE project_dir = :p AND session_id = :s")
			.param("p", RealDataLayout.SPOTTER)
			.param("s", RealDataLayout.SHORT_SESSION)
			.update();
		Files.move(
				ROOT.resolve("claude/projects")
					.resolve(RealDataLayout.SPOTTER)
					.resolve(RealDataLayout.SHORT_SESSION + ".jsonl"),
				ROOT.resolve("box-b-" + RealDataLayout.SHORT_SESSION + ".jsonl"));
		String page = "/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.SHORT_SESSION;
		assertThat(fetch(page)).contains("id=\"facts-timeline\"");
		return page;
	}

	private void open(String path, String theme) {
		driver.get("http://127.0.0.1:" + this.port + "/login");
		((JavascriptExecutor) driver).executeScript("localStorage.setItem('cctracer-theme', arguments[0])", theme);
		driver.get("http://127.0.0.1:" + this.port + path);
		await().atMost(Duration.ofSeconds(20))
			.until(() -> "complete".equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
		assertThat(driver.findElement(By.tagName("html")).getAttribute("data-theme")).isEqualTo(theme);
	}

	private String fetch(String path) throws Exception {
		var response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		return response.body();
	}

	private int status(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private static void shot(String name) throws IOException {
		Chromium.shot(driver, SHOTS, name);
	}

}
