package dev.cctracer.web.browser;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.web.TestRoots;
import dev.cctracer.web.TestTranscripts;
import dev.cctracer.web.system.DisplayCurrency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Costs shown in another currency ({@code cctracer.display.currency=EUR} at 0.92 EUR per
 * US dollar) on the server's pages and in what the scripts draw, while the API stays in
 * USD. One session of two responses of Sonnet 4.5 ($3 / $15 per million input / output
 * tokens), priced by hand: 100,000 input and 20,000 output tokens the day before
 * yesterday, $0.30 + $0.30 = $0.60 (€0.552); 100,000 output tokens yesterday, $1.50
 * (€1.38); in all $2.10 (€1.932).
 */
class CurrencyBrowserTests extends OwnRootWebTest {

	private static final String PROJECT = "-home-dev-euro";

	private static final String SESSION = "e0e00000-0000-4000-8000-0000000000e0";

	private static final Path ROOT;

	static {
		try {
			ROOT = TestRoots.create("currency");
			Instant noon = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(12, ChronoUnit.HOURS);
			Path dir = Files.createDirectories(ROOT.resolve("claude/projects").resolve(PROJECT));
			Files.writeString(dir.resolve(SESSION + ".jsonl"), TestTranscripts.sonnetResponse(SESSION, "msg_eur_1",
					noon.minus(2, ChronoUnit.DAYS), 100_000, 20_000)
					+ TestTranscripts.sonnetResponse(SESSION, "msg_eur_2", noon.minus(1, ChronoUnit.DAYS), 0, 100_000));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.display.currency", () -> "EUR");
		registry.add("cctracer.display.usd-rate", () -> "0.92");
	}

	private static WebDriver driver;

	@Autowired
	DisplayCurrency currency;

	@BeforeAll
	static void startBrowser() throws IOException {
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
	void shouldBindTheConfiguredCurrency() {
		assertThat(this.currency.currency()).isEqualTo("EUR");
		assertThat(this.currency.usdRate()).isEqualByComparingTo(new BigDecimal("0.92"));
	}

	@Test
	void shouldShowThePagesCostsInEurosAndKeepTheApiInDollars() throws Exception {
		// the API: dollars, as counted
		assertThat(api("/api/metrics/aggregate").get("total_cost").asDouble()).isCloseTo(2.10, within(1e-9));
		// the overview, all time: €1.932, and what the costs are in
		open("/?from=&to=");
		assertThat(text("#period-all .value")).isEqualTo("€1.93");
		assertThat(text("#currency-note"))
			.startsWith("Costs in EUR at 0.92 EUR per US dollar (cctracer.display.usd-rate)");
		// the session page
		open("/projects/" + PROJECT + "/sessions/" + SESSION);
		assertThat(text("#session-cost")).isEqualTo("€1.93");
	}

	@Test
	void shouldDrawTheDailyCostInEuros() throws Exception {
		open("/");
		await().atMost(Duration.ofSeconds(20))
			.until(() -> driver.findElement(By.id("chart-daily")).getAttribute("data-rendered") != null);
		// the page hands the script dollars; the chart holds euros
		JsonNode spec = new ObjectMapper()
			.readTree(driver.findElement(By.id("chart-daily")).getAttribute("data-chart"));
		double dollars = 0;
		for (JsonNode v : spec.get("series").get(0).get("data")) {
			dollars += v.asDouble();
		}
		assertThat(dollars).isCloseTo(2.10, within(1e-9));
		Object drawn = ((JavascriptExecutor) driver)
			.executeScript("return echarts.getInstanceByDom(document.getElementById('chart-daily')).getOption()"
					+ ".series[0].data.reduce(function (a, b) { return a + b; }, 0);");
		assertThat(((Number) drawn).doubleValue()).isCloseTo(1.932, within(1e-9));
		// its axis and its table of numbers in euros
		assertThat(((JavascriptExecutor) driver)
			.executeScript("var f = echarts.getInstanceByDom(document.getElementById('chart-daily')).getOption()"
					+ ".yAxis[0].axisLabel.formatter; return [f(1.38), f(0.005), f(0.025), f(0.03), f(12.345)].join(' ');"))
			.isEqualTo("€1.38 €0.005 €0.025 €0.03 €12.35");
		String table = driver.findElement(By.cssSelector("#chart-daily + details.chart-data"))
			.getAttribute("textContent");
		assertThat(table).contains("€0.55").contains("€1.38").doesNotContain("$");
	}

	@Test
	void shouldTotalAnAnalyticsQueryInEuros() {
		open("/analytics");
		await().atMost(Duration.ofSeconds(60))
			.ignoreExceptions()
			.until(() -> "day,model".equals(driver.findElement(By.id("result-table")).getAttribute("data-group-by")));
		int cost = driver.findElements(By.cssSelector("#result-table thead th"))
			.stream()
			.map((th) -> th.getText().strip())
			.toList()
			.indexOf("Cost") - 2;
		assertThat(driver.findElements(By.cssSelector("#result-table tfoot tr.totals td")).get(cost).getText())
			.isEqualTo("€1.93");
		// a day's row: its cost in euros (the logged cost, none here, €0.00)
		assertThat(driver.findElements(By.cssSelector("#result-table tbody tr"))
			.stream()
			.map((tr) -> tr.findElements(By.cssSelector("td.num")).get(cost).getText())
			.toList()).containsExactlyInAnyOrder("€0.55", "€1.38");
	}

	private void open(String path) {
		driver.get("http://127.0.0.1:" + this.port + path);
	}

	private static String text(String css) {
		return driver.findElement(By.cssSelector(css)).getText().strip();
	}

	private JsonNode api(String path) throws Exception {
		HttpResponse<String> response = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path)).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(path).isEqualTo(200);
		return new ObjectMapper().readTree(response.body());
	}

}
