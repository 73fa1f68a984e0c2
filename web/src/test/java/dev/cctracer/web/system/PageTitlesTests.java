package dev.cctracer.web.system;

import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each page has a title of its own (tabs and history had all read "Claude Code Tracer": a
 * trial), and an error page shows the layout a page shows: its zone selector had been
 * empty, since the layout's model is added after a handler that did not throw.
 */
class PageTitlesTests extends RealDataWebTest {

	private static final Pattern TITLE = Pattern.compile("<title>([^<]*)</title>");

	@Test
	void shouldTitleEachPageByWhatItShows() throws Exception {
		indexed();
		assertThat(title(page("/", null))).isEqualTo("Overview · Claude Code Tracer");
		assertThat(title(page("/projects", null))).isEqualTo("Projects · Claude Code Tracer");
		assertThat(title(page("/sessions", null))).isEqualTo("Sessions · Claude Code Tracer");
		String path = null;
		for (var p : get("/api/projects").body().get("projects")) {
			if (p.get("path_hash").asText().equals(RealDataLayout.SPOTTER)) {
				path = p.get("project_path").asText();
			}
		}
		assertThat(path).isNotBlank();
		assertThat(title(page("/projects/" + RealDataLayout.SPOTTER, null))).isEqualTo(path + " · Claude Code Tracer");
		// a session by its name, as its heading says it
		HttpResponse<String> session = page(
				"/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.MAIN_SESSION, null);
		Matcher heading = Pattern.compile("id=\"session-title\">([^<]*)</span>").matcher(session.body());
		String name = heading.find() ? heading.group(1) : "Session " + RealDataLayout.MAIN_SESSION.substring(0, 8);
		String sessionName = name.length() > 60 ? name.substring(0, 57) + "..." : name;
		assertThat(title(session)).isEqualTo(sessionName + " · Claude Code Tracer");
		// a subagent's view by the subagent's name and its session's (it had read as its
		// session), a message by its place in the timeline
		HttpResponse<String> subagent = page(
				"/projects/" + RealDataLayout.SPOTTER + "/sessions/" + RealDataLayout.MAIN_SESSION + "?agent=aac57f5",
				null);
		Matcher label = Pattern.compile("Subagent view:\\s*<strong>([^<]*)</strong>").matcher(subagent.body());
		assertThat(label.find()).isTrue();
		String agentName = label.group(1).replace("&#39;", "'");
		assertThat(title(subagent)).isEqualTo((agentName.length() > 40 ? agentName.substring(0, 37) + "..." : agentName)
				+ " · " + sessionName + " · Claude Code Tracer");
		String uuid = get("/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION
				+ "/messages?type=assistant&limit=1")
			.body()
			.get("messages")
			.get(0)
			.get("uuid")
			.asText();
		HttpResponse<String> message = page("/projects/" + RealDataLayout.SPOTTER + "/sessions/"
				+ RealDataLayout.MAIN_SESSION + "/messages/" + uuid, null);
		long index = get(
				"/api/sessions/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + "/messages/" + uuid)
			.body()
			.get("message_index")
			.asLong();
		assertThat(title(message)).startsWith("Message " + index + " · ");
	}

	@Test
	void shouldShowAnErrorPageInTheLayoutOfEveryPage() throws Exception {
		HttpResponse<String> bad = page("/sessions?from=2026-06-05&to=2026-06-01", "tz=Asia%2FTokyo");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(title(bad)).isEqualTo("400 · Bad request · Claude Code Tracer");
		assertThat(bad.body()).contains("<option value=\"Asia/Tokyo\" selected=\"selected\">")
			.contains("<option value=\"UTC\"");
	}

	@Test
	void shouldServeAPathWithATrailingSlashAsThePathWithout() throws Exception {
		// Spring Framework 6 no longer matches "/sessions/" to "/sessions": it had been a
		// 404
		HttpResponse<String> sessions = page("/sessions/?from=2026-06-05&to=2026-06-01", "tz=Asia%2FTokyo");
		assertThat(sessions.statusCode()).as("the query is read: its range is refused").isEqualTo(400);
		assertThat(title(sessions)).isEqualTo("400 · Bad request · Claude Code Tracer");
		assertThat(title(page("/sessions/", null))).isEqualTo("Sessions · Claude Code Tracer");
		HttpResponse<String> api = TestHttp.send(this.port, "/api/projects/");
		assertThat(api.statusCode()).isEqualTo(200);
		assertThat(api.body()).contains("\"projects\"");
		// the admin console's rules see the path without the slash
		assertThat(page("/admin/", null).statusCode()).isIn(302, 401);
		assertThat(page("/admin/", null).headers().firstValue("Location"))
			.isEqualTo(page("/admin", null).headers().firstValue("Location"));
		// the root is not a trailing slash, and a path unknown without it is a 404
		assertThat(title(page("/", null))).isEqualTo("Overview · Claude Code Tracer");
		assertThat(page("/no-such-page/", null).statusCode()).isEqualTo(404);
	}

	private static String title(HttpResponse<String> page) {
		Matcher m = TITLE.matcher(page.body());
		assertThat(m.find()).as(page.uri().toString()).isTrue();
		return m.group(1).replace("&#39;", "'").replace("&amp;", "&");
	}

	private HttpResponse<String> page(String path, String cookie) throws Exception {
		return TestHttp.page(this.port, path, cookie);
	}

}
