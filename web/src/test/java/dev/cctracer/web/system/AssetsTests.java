package dev.cctracer.web.system;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app's assets go out compressed and cacheable for a year under a versioned URL; the
 * pages that link them stay {@code no-store} (they show live data); the icon browsers ask
 * for on their own leads to the app's.
 */
class AssetsTests extends RealDataWebTest {

	private final HttpClient http = HttpClient.newHttpClient();

	@Test
	void assetsAreVersionedCompressedAndCachedWhilePagesAreNot() throws Exception {
		HttpResponse<byte[]> page = fetch("/");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Cache-Control")).get().asString().contains("no-store");
		String html = new String(gunzip(page), "UTF-8");
		for (String asset : new String[] { "/css/app.css", "/js/app.js", "/js/theme.js" }) {
			Matcher link = Pattern.compile(Pattern.quote(asset) + "\\?v=([0-9a-f]{12})").matcher(html);
			assertThat(link.find()).as("%s linked with its version", asset).isTrue();
			HttpResponse<byte[]> response = fetch(asset + "?v=" + link.group(1));
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.headers().firstValue("Cache-Control")).get()
				.asString()
				.contains("max-age=31536000")
				.doesNotContain("no-store");
		}
		HttpResponse<byte[]> echarts = fetch("/webjars/echarts/5.3.1/dist/echarts.min.js");
		assertThat(echarts.headers().firstValue("Content-Encoding")).hasValue("gzip");
		assertThat(echarts.body().length).isLessThan(500_000);
		assertThat(gunzip(echarts).length).isGreaterThan(900_000);
		assertThat(echarts.headers().firstValue("Cache-Control")).get().asString().contains("max-age=31536000");
	}

	@Test
	void theIconBrowsersAskForLeadsToTheAppsIcon() throws Exception {
		HttpResponse<byte[]> ico = fetch("/favicon.ico");
		assertThat(ico.statusCode()).isEqualTo(301);
		assertThat(ico.headers().firstValue("Location")).get().asString().endsWith("/favicon.svg");
		HttpResponse<byte[]> svg = fetch("/favicon.svg");
		assertThat(svg.statusCode()).isEqualTo(200);
		assertThat(svg.headers().firstValue("Content-Type")).get().asString().startsWith("image/svg+xml");
		assertThat(new String(gunzip(svg), "UTF-8")).contains("<svg");
	}

	private HttpResponse<byte[]> fetch(String path) throws IOException, InterruptedException {
		return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.header("Accept-Encoding", "gzip")
			.build(), HttpResponse.BodyHandlers.ofByteArray());
	}

	private static byte[] gunzip(HttpResponse<byte[]> response) throws IOException {
		if (!"gzip".equals(response.headers().firstValue("Content-Encoding").orElse(""))) {
			return response.body();
		}
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
			return in.readAllBytes();
		}
	}

}
