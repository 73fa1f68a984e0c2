package dev.cctracer.web.session;

import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestHttp;
import dev.cctracer.web.TestRoots;
import dev.cctracer.worker.facts.FactsStore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A teammate's session: this machine ({@code box-a}) indexed a generated dataset and
 * wrote its facts, then one project's files are handed to {@code box-b} and leave this
 * disk (as if that machine had logged them and its worker had written their facts). The
 * session's page and its message endpoints show its timeline from the facts: every JSON
 * line of each of its transcripts (counted from the files before they left), in order,
 * and the usage the totals count adds up to the session's totals.
 */
class TeammateTimelineTests extends OwnRootWebTest {

	private static final TestRoots.Generated DATA = TestRoots.generated("teammate", DatasetGenerator.Spec.tiny(31));

	private static final Path ROOT = DATA.root();

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.origin", () -> "box-a");
		// no scan after the hand-over: box-b's files are not this machine's to look at
		TestRoots.scansOnlyWhenAsked(registry);
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "100000");
	}

	/**
	 * What a transcript held, read from it independently before it left the disk.
	 *
	 * @param agent its subagent id, {@code null} for the main transcript
	 * @param lines its complete lines that are JSON objects
	 * @param firstUuid the {@code uuid} of the first of them ({@code null} when none)
	 * @param lastUuid the {@code uuid} of the last of them
	 */
	record Transcript(String agent, int lines, String firstUuid, String lastUuid) {

	}

	/** The session handed over and its transcripts, once per class. */
	record HandedOver(String project, String session, List<Transcript> transcripts) {

	}

	private static HandedOver handedOver;

	@Autowired
	FactsStore facts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MetaRepository meta;

	private final ObjectMapper json = new ObjectMapper();

	private final ObjectMapper strict = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

	private synchronized HandedOver handOver() throws Exception {
		if (handedOver != null) {
			return handedOver;
		}
		this.indexer.scanAndIngest();
		this.facts.sync((n) -> {
		});
		String project = DATA.truth().projects.keySet().iterator().next();
		// the session of the project with the most transcripts (subagents too)
		String session = this.jdbc.sql("""
				SELECT session_id FROM source_file WHERE project_dir = :p AND session_id IS NOT NULL
				GROUP BY session_id HAVING SUM(CASE WHEN kind = 'MAIN' THEN 1 ELSE 0 END) = 1
				ORDER BY COUNT(*) DESC, session_id LIMIT 1
				""").param("p", project).query(String.class).single();
		List<Transcript> transcripts = new ArrayList<>();
		for (Map<String, Object> f : this.jdbc
			.sql("SELECT root, rel_path, kind, agent_id FROM source_file WHERE project_dir = :p AND session_id = :s"
					+ " AND deleted = FALSE ORDER BY CASE WHEN kind = 'MAIN' THEN 0 ELSE 1 END, rel_path")
			.param("p", project)
			.param("s", session)
			.query()
			.listOfRows()) {
			String agent = "MAIN".equals(f.get("kind")) ? null : (String) f.get("agent_id");
			if (!"MAIN".equals(f.get("kind"))) {
				assertThat(agent).as("a subagent transcript has its agent id").isNotNull();
			}
			transcripts.add(read(Path.of((String) f.get("root")).resolve((String) f.get("rel_path")), agent));
		}
		assertThat(transcripts).hasSizeGreaterThan(1);
		this.jdbc.sql("UPDATE source_file SET origin = 'box-b' WHERE project_dir = :p").param("p", project).update();
		this.meta.bumpDataVersion();
		Path dir = ROOT.resolve("claude/projects").resolve(project);
		Files.move(dir, Files.createDirectories(ROOT.resolve("box-b-disk")).resolve(project));
		handedOver = new HandedOver(project, session, transcripts);
		return handedOver;
	}

	/** Counts a transcript's complete lines that are JSON objects, as text. */
	private Transcript read(Path file, String agent) throws IOException {
		String text = Files.readString(file, StandardCharsets.UTF_8);
		int lines = 0;
		String first = null;
		String last = null;
		int start = 0;
		for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
			JsonNode line;
			try {
				line = this.strict.readTree(text.substring(start, end));
			}
			catch (IOException ex) {
				continue;
			}
			if (line == null || !line.isObject()) {
				continue;
			}
			String uuid = line.path("uuid").isTextual() ? line.get("uuid").asText() : null;
			if (lines++ == 0) {
				first = uuid;
			}
			last = uuid;
		}
		assertThat(lines).isPositive();
		return new Transcript(agent, lines, first, last);
	}

	@Test
	void theMessageEndpointsListEveryLineFromTheFactsAndTheCountedUsageAddsUpToTheSessionsTotals() throws Exception {
		HandedOver h = handOver();
		long[] counted = new long[5];
		for (Transcript t : h.transcripts()) {
			String base = base(h, t);
			List<JsonNode> rows = new ArrayList<>();
			String cursor = null;
			JsonNode facts = null;
			do {
				JsonNode page = get(base + "?limit=40" + ((cursor != null) ? "&cursor=" + cursor : ""));
				facts = page.get("facts");
				page.get("messages").forEach(rows::add);
				cursor = page.path("next_cursor").asText(null);
				assertThat(page.get("has_more").asBoolean()).isEqualTo(cursor != null);
			}
			while (cursor != null);
			assertThat(facts.get("origin").asText()).isEqualTo("box-b");
			assertThat(facts.get("this_machine").asBoolean()).isFalse();
			assertThat(facts.get("complete").asBoolean()).isTrue();
			assertThat(facts.get("entries").asLong()).isEqualTo(t.lines());
			assertThat(rows).as(base).hasSize(t.lines());
			for (int i = 0; i < rows.size(); i++) {
				assertThat(rows.get(i).get("index").asInt()).isEqualTo(i + 1);
			}
			assertThat(rows.get(0).get("uuid").asText(null)).isEqualTo(t.firstUuid());
			assertThat(rows.get(rows.size() - 1).get("uuid").asText(null)).isEqualTo(t.lastUuid());
			for (JsonNode row : rows) {
				assertThat(row.get("preview").asText("").length()).isLessThanOrEqualTo(300);
				// absent on a line without usage, as in the transcript's timeline
				assertThat(row.has("counted")).isEqualTo(!row.get("tokens").isNull());
				if (row.path("counted").asBoolean()) {
					JsonNode tokens = row.get("tokens");
					counted[0]++;
					counted[1] += tokens.get("input_tokens").asLong();
					counted[2] += tokens.get("output_tokens").asLong();
					counted[3] += tokens.get("cache_creation_input_tokens").asLong();
					counted[4] += tokens.get("cache_read_input_tokens").asLong();
				}
			}
			// numbered pages and the stream read the same lines
			JsonNode second = get(base + "?page=2&per_page=3");
			assertThat(second.get("total").asLong()).isEqualTo(t.lines());
			if (t.lines() > 3) {
				assertThat(second.get("messages").get(0).get("index").asInt()).isEqualTo(4);
			}
			HttpResponse<String> stream = send(base + "/stream");
			assertThat(stream.statusCode()).isEqualTo(200);
			assertThat(stream.body().lines()).hasSize(t.lines());
		}
		JsonNode session = get("/api/sessions/" + h.project() + "/" + h.session());
		JsonNode tokens = session.get("tokens");
		assertThat(counted[0]).isEqualTo(session.get("message_count").asLong()).isPositive();
		assertThat(counted[1]).isEqualTo(tokens.get("input_tokens").asLong());
		assertThat(counted[2]).isEqualTo(tokens.get("output_tokens").asLong());
		assertThat(counted[3]).isEqualTo(tokens.get("cache_creation_input_tokens").asLong());
		assertThat(counted[4]).isEqualTo(tokens.get("cache_read_input_tokens").asLong());

		// the facts page but do not filter; a message's detail needs the transcript
		String main = base(h, h.transcripts().get(0));
		HttpResponse<String> filtered = send(main + "?type=user");
		assertThat(filtered.statusCode()).isEqualTo(400);
		assertThat(filtered.body()).contains("comes from the facts");
		assertThat(send(main + "?cursor=bm9wZQ").statusCode()).isEqualTo(400);
		assertThat(send(main + "/" + h.transcripts().get(0).firstUuid()).statusCode()).isEqualTo(404);
	}

	@Test
	void theSessionPageRendersEveryLineFromTheFactsPageByPage() throws Exception {
		HandedOver h = handOver();
		// more lines than a page: "load more" is walked
		assertThat(h.transcripts().get(0).lines()).isGreaterThan(SessionController.PAGE);
		for (Transcript t : h.transcripts()) {
			String path = "/projects/" + h.project() + "/sessions/" + h.session()
					+ ((t.agent() != null) ? "?agent=" + URLEncoder.encode(t.agent(), StandardCharsets.UTF_8) : "");
			HttpResponse<String> page = send(path);
			assertThat(page.statusCode()).as(path + ": " + page.body()).isEqualTo(200);
			String html = page.body();
			assertThat(html).contains("Logged on <strong>box-b</strong>:")
				.contains("this timeline comes from the facts its worker wrote (text redacted, previews only)")
				.contains("id=\"facts-timeline\"")
				.doesNotContain("id=\"facts-lag\"")
				.doesNotContain("This transcript is not on this machine's disk");
			int rows = rows(html);
			assertThat(rows).isEqualTo(Math.min(SessionController.PAGE, t.lines()));
			// "load more", as the page's script does it
			String fragment = nextFragment(html);
			while (fragment != null) {
				HttpResponse<String> more = send(fragment);
				assertThat(more.statusCode()).isEqualTo(200);
				rows += rows(more.body());
				fragment = nextFragment(more.body());
			}
			assertThat(rows).as(path).isEqualTo(t.lines());
		}
	}

	/**
	 * What reads a teammate's transcripts answers from the session's facts and totals and
	 * says where the transcripts are: its tool statistics from the facts (as the card's
	 * count), each subagent by its totals, "on another machine", its prompts a 404 that
	 * says why. A team trial got "transcript file is gone" for each, and "No tool call"
	 * beside a card of 148.
	 */
	@Test
	void aTeammatesToolsAndSubagentsComeFromTheFactsAndTotalsAndSayWhereItsTranscriptsAre() throws Exception {
		HandedOver h = handOver();
		String api = "/api/sessions/" + h.project() + "/" + h.session();
		JsonNode session = get(api);
		HttpResponse<String> first = send(api + "/tools");
		JsonNode tools = RealDataWebTest.resultOf(first.statusCode(), this.json.readTree(first.body()), this::get);
		assertThat(tools.get("total_calls").asLong()).isEqualTo(session.get("tool_calls").asLong()).isPositive();
		List<String> agents = h.transcripts().stream().map(Transcript::agent).filter((a) -> a != null).toList();
		assertThat(agents).isNotEmpty();
		JsonNode subagents = get(api + "/subagents").get("subagents");
		List<String> listed = new ArrayList<>();
		subagents.forEach((a) -> {
			listed.add(a.get("agent_id").asText());
			assertThat(a.get("status").asText()).isEqualTo("transcript on another machine");
		});
		assertThat(listed).containsExactlyInAnyOrderElementsOf(agents);
		HttpResponse<String> prompts = send(api + "/commands");
		assertThat(prompts.statusCode()).isEqualTo(404);
		assertThat(prompts.body()).contains("not on this machine's disk").doesNotContain("file is gone");
		String page = send("/projects/" + h.project() + "/sessions/" + h.session()).body();
		assertThat(page).contains("id=\"transcripts-gone\"")
			.contains("a teammate's stay on the machine they were logged on")
			.doesNotContain("No tool call");
	}

	private static final Pattern ROW = Pattern.compile("<tr class=\"msg");

	private static final Pattern FRAGMENT = Pattern.compile("data-fragment=\"([^\"]+)\"");

	private static int rows(String html) {
		return (int) ROW.matcher(html).results().count();
	}

	private static String nextFragment(String html) {
		Matcher m = FRAGMENT.matcher(html);
		return m.find() ? m.group(1).replace("&amp;", "&") : null;
	}

	private static String base(HandedOver h, Transcript t) {
		return (t.agent() == null) ? "/api/sessions/" + h.project() + "/" + h.session() + "/messages"
				: "/api/subagents/" + h.project() + "/" + h.session() + "/" + t.agent() + "/messages";
	}

	private JsonNode get(String path) throws Exception {
		return TestHttp.json(this.port, path);
	}

	private HttpResponse<String> send(String path) throws Exception {
		return TestHttp.send(this.port, path);
	}

}
