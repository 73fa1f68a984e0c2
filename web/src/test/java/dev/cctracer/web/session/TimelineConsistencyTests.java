package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.client.RestClient;

import dev.cctracer.web.OwnRootWebTest;
import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;
import dev.cctracer.web.TestRoots;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A session's timeline against its totals, on the real transcripts (the older fixtures,
 * and Claude Code 2.1.81–2.1.150 of {@code cc-2026}) and a generated dataset: every row
 * links to a page that answers, and every message counted in the totals is an entry of
 * the timeline.
 */
class TimelineConsistencyTests extends OwnRootWebTest {

	private static final Path REAL = RealDataWebTest.realData();

	private static final TestRoots.Generated GENERATED = TestRoots.generated("timeline", DatasetGenerator.Spec.small());

	private static final Path ROOT = GENERATED.root();

	static {
		try {
			RealDataLayout.create(REAL, ROOT.resolve("claude"));
		}
		catch (IOException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/** A 2.1.150 session with 11 {@code system/turn_duration} lines, each with a uuid. */
	private static final String TURNS = "-Users-devuser/4bb63645-c6ef-443f-aec1-53d354b98a7a";

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		TestRoots.register(registry, ROOT);
		registry.add("cctracer.claude-dirs", () -> String.join(",", ROOT.resolve("claude").toString(),
				REAL.resolve("cc-2026/dotsv2").toString(), REAL.resolve("cc-2026/omarchy-backup").toString()));
		registry.add("cctracer.web.heavy-requests-per-minute", () -> "100000");
	}

	private RestClient http;

	private final ObjectMapper json = new ObjectMapper();

	@BeforeEach
	void index() throws InterruptedException {
		this.http = RestClient.create("http://127.0.0.1:" + this.port);
		this.indexer.scanAndIngest();
	}

	@Test
	void shouldLinkEveryTurnDurationRowToAPageThatAnswers() {
		// Claude Code's own lines carry a uuid: linked by it
		List<JsonNode> turns = turnDurations("/api/sessions/" + TURNS + "/messages?type=system&limit=200");
		assertThat(turns).hasSize(11).allSatisfy((m) -> assertThat(m.get("uuid").isNull()).isFalse());
		String page = page(sessionPage(TURNS) + "?type=system");
		for (JsonNode m : turns) {
			String href = sessionPage(TURNS) + "/messages/" + m.get("uuid").asText() + "?agent=";
			assertThat(page).contains("href=\"" + href + "\"");
			assertThat(status(href)).as(href).isEqualTo(200);
		}
		// generated lines (as the demo's) have none: linked by their position, which
		// answers with the same entry
		int generated = 0;
		for (String path : GENERATED.truth().sessions.keySet()) {
			List<JsonNode> rows = turnDurations("/api/sessions/" + path + "/messages?type=system&limit=200");
			String timeline = page(sessionPage(path) + "?type=system");
			for (JsonNode m : rows) {
				assertThat(m.get("uuid").isNull()).isTrue();
				String href = sessionPage(path) + "/messages/by-index/" + m.get("index").asInt() + "?agent=";
				assertThat(timeline).contains("href=\"" + href + "\"");
				// the line's subtype and what it says: the turn's duration
				assertThat(page(href))
					.containsPattern(">turn_duration\ntook ([0-9.]+ s|[0-9]+ min [0-9]+ s)(, [0-9]+ messages)?<")
					.contains(">timeline entry " + m.get("index").asInt() + " of ");
				generated++;
			}
		}
		assertThat(generated).isPositive();
	}

	@Test
	void shouldFindEveryCountedMessageOfEverySessionInItsTimeline() throws IOException {
		// counted messages and timeline entries of each agent where they differ
		Map<String, long[]> differences = new TreeMap<>();
		int sessions = 0;
		for (JsonNode project : get("/api/projects").get("projects")) {
			for (JsonNode s : sessionsOf(project.get("path_hash").asText())) {
				String path = project.get("path_hash").asText() + "/" + s.get("session_id").asText();
				JsonNode summary = get("/api/sessions/" + path);
				long counted = 0;
				for (JsonNode agent : summary.get("agents")) {
					long messages = agent.get("message_count").asLong();
					counted += messages;
					long entries = timelineResponses(path, agent);
					if (entries != messages) {
						differences.put(path + " " + agent.path("agent_id").asText(agent.get("kind").asText()),
								new long[] { messages, entries });
					}
				}
				assertThat(counted).as(path).isEqualTo(summary.get("message_count").asLong());
				sessions++;
			}
		}
		assertThat(sessions).isGreaterThan(20);
		// never fewer entries than counted messages; more only where a transcript repeats
		// responses counted elsewhere: a side question's transcript starts with the
		// conversation it was asked in (counted in the main transcript), and a generated
		// resumed session with a copy of the session it resumes (counted once, in one of
		// them): the surplus is never more than such copies
		String aside = "-home-devuser2-Claude/8fd119a6-9ab8-407b-810f-329cfb6153e0 aside_question-ac9ee4804d56a951";
		for (Map.Entry<String, long[]> d : differences.entrySet()) {
			assertThat(d.getValue()[1]).as(d.getKey()).isGreaterThan(d.getValue()[0]);
			if (!d.getKey().equals(aside)) {
				String session = d.getKey().substring(0, d.getKey().indexOf(' '));
				assertThat(GENERATED.truth().sessions).containsKey(session);
				Path file = ROOT.resolve("claude/projects").resolve(session + ".jsonl");
				Set<String> copied = responseIds(file);
				copied.retainAll(otherResponseIds(file));
				assertThat(d.getValue()[1] - d.getValue()[0]).as(d.getKey()).isLessThanOrEqualTo(copied.size());
			}
		}
		assertThat(differences).containsKey(aside);
		assertThat(differences.get(aside)).containsExactly(1, 22);
		Path dir = REAL.resolve("cc-2026/omarchy-backup/projects/-home-devuser2-Claude");
		Set<String> main = responseIds(dir.resolve("8fd119a6-9ab8-407b-810f-329cfb6153e0.jsonl"));
		List<String> asked = new ArrayList<>(responseIds(dir
			.resolve("8fd119a6-9ab8-407b-810f-329cfb6153e0/subagents/agent-aside_question-ac9ee4804d56a951.jsonl")));
		assertThat(asked).hasSize(22);
		assertThat(asked.stream().filter(main::contains)).hasSize(21);
	}

	/**
	 * What a timeline shows adds up to the totals: in every transcript, main or
	 * subagent's, the responses marked counted are the agent's messages and their costs
	 * its cost; a response the totals count elsewhere (a resumed session's copy, a side
	 * question's replay) is marked so and has no cost. The session's tools table counts
	 * the session's tool calls, no more.
	 */
	@Test
	void shouldAddUpEveryTimelineAndToolsTableToTheTotals() {
		int agents = 0;
		int uncounted = 0;
		for (JsonNode project : get("/api/projects").get("projects")) {
			for (JsonNode s : sessionsOf(project.get("path_hash").asText())) {
				String path = project.get("path_hash").asText() + "/" + s.get("session_id").asText();
				JsonNode summary = get("/api/sessions/" + path);
				for (JsonNode agent : summary.get("agents")) {
					String kind = agent.get("kind").asText();
					if (kind.equals("sidechain")) {
						// inline in the main transcript, whose rows are the main agent's
						continue;
					}
					String uri = kind.equals("main") ? "/api/sessions/" + path + "/messages?type=assistant&limit=200"
							: "/api/subagents/" + path + "/" + agent.get("agent_id").asText()
									+ "/messages?type=assistant&limit=200";
					List<JsonNode> rows = walk(uri);
					String what = path + " " + agent.path("agent_id").asText(kind);
					assertThat(rows.stream().filter((m) -> m.path("counted").asBoolean(false)).count()).as(what)
						.isEqualTo(agent.get("message_count").asLong());
					assertThat(rows.stream().mapToDouble((m) -> m.path("cost").asDouble(0)).sum()).as(what)
						.isCloseTo(agent.get("cost").get("total_cost").asDouble(), within(1e-6));
					List<JsonNode> copies = rows.stream()
						.filter((m) -> m.has("counted") && !m.get("counted").asBoolean())
						.toList();
					assertThat(copies).as(what).allSatisfy((m) -> assertThat(m.get("cost").isNull()).isTrue());
					if (kind.equals("main")) {
						// a message in full says the same as its row
						for (JsonNode row : rows) {
							if (!row.path("uuid").isNull() && row.has("counted")) {
								JsonNode detail = get(
										"/api/sessions/" + path + "/messages/" + row.get("uuid").asText());
								assertThat(detail.get("counted")).as(what).isEqualTo(row.get("counted"));
								assertThat(detail.get("cost")).as(what).isEqualTo(row.get("cost"));
							}
						}
					}
					uncounted += copies.size();
					agents++;
				}
				assertThat(get("/api/sessions/" + path + "/tools").get("total_calls").asLong()).as(path)
					.isEqualTo(summary.get("tool_calls").asLong());
			}
		}
		assertThat(agents).isGreaterThan(30);
		// the side question's 21 replayed responses and the generated resumed sessions'
		assertThat(uncounted).isGreaterThan(21);
	}

	/**
	 * The API responses of an agent's timeline: a transcript's assistant entries, or an
	 * inline sidechain's subagent entries that carry a model.
	 */
	private long timelineResponses(String path, JsonNode agent) {
		String kind = agent.get("kind").asText();
		if (kind.equals("sidechain")) {
			// the old layout's sidechain lines carry no agent id: they are "sidechain"
			String id = agent.get("agent_id").asText();
			return walk("/api/sessions/" + path + "/messages?type=subagent&limit=200").stream()
				.filter((m) -> id.equals(m.path("agent_id").asText("sidechain")) && !m.path("model").isNull())
				.count();
		}
		String filters = kind.equals("main") ? "/api/sessions/" + path + "/messages/filters"
				: "/api/subagents/" + path + "/" + agent.get("agent_id").asText() + "/messages/filters";
		for (JsonNode t : get(filters).get("types")) {
			if (t.get("type").asText().equals("assistant")) {
				return t.get("count").asLong();
			}
		}
		return -1;
	}

	/** The responses of every other transcript of the generated dataset. */
	private Set<String> otherResponseIds(Path file) throws IOException {
		Set<String> ids = new HashSet<>();
		try (Stream<Path> files = Files.walk(ROOT.resolve("claude/projects"))) {
			for (Path other : files.filter((f) -> f.toString().endsWith(".jsonl") && !f.equals(file)).toList()) {
				ids.addAll(responseIds(other));
			}
		}
		return ids;
	}

	/** The (message.id, requestId) of a file's assistant lines with usage. */
	private Set<String> responseIds(Path file) throws IOException {
		Set<String> ids = new HashSet<>();
		for (String line : Files.readAllLines(file)) {
			JsonNode l;
			try {
				l = this.json.readTree(line);
			}
			catch (JsonProcessingException ex) {
				// the generator's malformed lines
				continue;
			}
			if (l.path("type").asText().equals("assistant") && l.path("message").path("usage").isObject()) {
				ids.add(l.path("message").path("id").asText() + " " + l.path("requestId").asText());
			}
		}
		return ids;
	}

	/** The page of a session given as {@code project/session}. */
	private static String sessionPage(String path) {
		return "/projects/" + path.replace("/", "/sessions/");
	}

	private List<JsonNode> turnDurations(String uri) {
		return walk(uri).stream().filter((m) -> m.get("preview").asText().startsWith("turn_duration")).toList();
	}

	private List<JsonNode> sessionsOf(String project) {
		List<JsonNode> list = new ArrayList<>();
		get("/api/projects/" + project + "/sessions?limit=500").get("sessions").forEach(list::add);
		return list;
	}

	/** Every row of a keyset-paged list. */
	private List<JsonNode> walk(String uri) {
		List<JsonNode> all = new ArrayList<>();
		String cursor = null;
		do {
			JsonNode page = get(uri + ((cursor != null) ? "&cursor=" + cursor : ""));
			page.get("messages").forEach(all::add);
			cursor = page.path("next_cursor").asText(null);
		}
		while (cursor != null);
		return all;
	}

	private JsonNode get(String uri) {
		try {
			return this.json.readTree(page(uri));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private String page(String uri) {
		return this.http.get().uri(uri).retrieve().body(String.class);
	}

	private int status(String uri) {
		return this.http.get().uri(uri).exchange((req, res) -> res.getStatusCode().value());
	}

}
