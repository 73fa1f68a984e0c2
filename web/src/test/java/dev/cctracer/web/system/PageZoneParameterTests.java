package dev.cctracer.web.system;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;

import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page link that carries a zone ({@code ?tz=}) is shown in it, and the zone sticks as
 * the selector's cookie; a trial's {@code /?from=…&tz=Asia/Tokyo} showed UTC's numbers
 * and {@code /reports?tz=Mars/x} answered 200 in UTC.
 */
class PageZoneParameterTests extends RealDataWebTest {

	@Test
	void aPageAskedInAZoneSetsItAndIsShownInIt() throws Exception {
		HttpResponse<String> asked = page("/reports?from=2026-01-01&tz=Asia/Tokyo", null);
		assertThat(asked.statusCode()).isEqualTo(303);
		assertThat(asked.headers().firstValue("Location")).hasValue("/reports?from=2026-01-01");
		String cookie = asked.headers().firstValue("Set-Cookie").orElseThrow();
		assertThat(cookie).startsWith("tz=Asia%2FTokyo;").contains("Path=/", "SameSite=Lax", "Max-Age=31536000");
		// the page it leads to, with the cookie as a browser sends it back: in Tokyo's
		// zone, chosen in the selector
		HttpResponse<String> shown = page("/reports?from=2026-01-01", cookie.substring(0, cookie.indexOf(';')));
		assertThat(shown.statusCode()).isEqualTo(200);
		assertThat(shown.body()).contains("<option value=\"Asia/Tokyo\" selected=\"selected\">");
		// the only parameter: the page itself
		assertThat(page("/?tz=UTC", null).headers().firstValue("Location")).hasValue("/");
	}

	@Test
	void anUnknownZoneIsA400PageSayingSo() throws Exception {
		HttpResponse<String> bad = page("/reports?tz=Mars/x", null);
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("unknown time zone: Mars/x");
		assertThat(bad.headers().firstValue("Set-Cookie")).isEmpty();
	}

	private HttpResponse<String> page(String path, String cookie) throws Exception {
		return TestHttp.page(this.port, path, cookie);
	}

}
