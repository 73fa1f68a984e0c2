package dev.cctracer.web.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debian's headless Chromium driven through chromedriver, as every browser test starts
 * it.
 */
final class Chromium {

	private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

	private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

	private Chromium() {
	}

	/**
	 * A new browser with a fresh profile.
	 * @param width window width (CSS pixels)
	 * @param height window height (CSS pixels)
	 */
	static WebDriver start(int width, int height) throws IOException {
		assertThat(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER))
			.as("browser tests need Debian's chromium and chromium-driver (apt-get install chromium chromium-driver; "
					+ ".ci/run installs them)")
			.isTrue();
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM.toFile());
		options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
				"--disable-background-networking", "--disable-component-update", "--disable-sync",
				"--disable-dev-shm-usage", "--window-size=" + width + "," + height,
				"--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
			.usingAnyFreePort()
			.build();
		WebDriver driver = new ChromeDriver(service, options);
		driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
		return driver;
	}

	/**
	 * Saves what the browser shows as {@code name}.png in {@code dir}, a record for
	 * people reading a run, never an assertion. Chromium on a busy two-core machine once
	 * answered a screenshot with "timeout … aborted by navigation" (CI, stop 40) on a
	 * page that had loaded: the shot is tried again (three tries) once the document is
	 * complete, and a second failure is reported on stderr without failing the test that
	 * asked for it.
	 * @param driver the browser
	 * @param dir where the picture goes
	 * @param name its file name without the extension
	 */
	static void shot(WebDriver driver, Path dir, String name) throws IOException {
		Path target = dir.resolve(name + ".png");
		for (int attempt = 1;; attempt++) {
			try {
				Path file = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
				Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
				return;
			}
			catch (WebDriverException ex) {
				if (attempt == 3) {
					System.err.println("no screenshot " + target.getFileName() + ": "
							+ ex.getMessage().lines().findFirst().orElse(""));
					return;
				}
				try {
					await().atMost(Duration.ofSeconds(30))
						.ignoreExceptions()
						.until(() -> "complete"
							.equals(((JavascriptExecutor) driver).executeScript("return document.readyState")));
				}
				catch (ConditionTimeoutException notComplete) {
					// tried again all the same: the test's own checks say what is wrong
				}
			}
		}
	}

}
