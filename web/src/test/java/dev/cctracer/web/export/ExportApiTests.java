package dev.cctracer.web.export;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import org.junit.jupiter.api.Test;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.web.RealDataWebTest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Report downloads (CSV and JSON) and the entry-level export job.
 */
class ExportApiTests extends RealDataWebTest {

	@Test
	void shouldDownloadReportsAsCsvAndJson() throws Exception {
		indexed();
		Response daily = get("/api/exports/daily?format=csv&tz=UTC&project=" + RealDataLayout.SPOTTER);
		assertThat(daily.status()).isEqualTo(200);
		List<String> lines = Arrays.asList(daily.text().strip().split("\n"));
		assertThat(lines.get(0).strip()).isEqualTo("date,model,messages,input_tokens,output_tokens,"
				+ "cache_creation_5m_input_tokens,cache_creation_1h_input_tokens,cache_read_input_tokens,cost,"
				+ "unpriced_messages,estimated_messages");
		long output = 0;
		for (String line : lines.subList(1, lines.size())) {
			output += Long.parseLong(line.split(",")[4]);
		}
		assertThat(output).isEqualTo(
				find(get("/api/projects").body().get("projects"), "path_hash", RealDataLayout.SPOTTER).get("tokens")
					.get("output_tokens")
					.asLong());
		JsonNode sessions = get("/api/exports/sessions?format=json&project=" + RealDataLayout.SPOTTER).body();
		assertThat(sessions).hasSize(5);
		long messages = 0;
		for (JsonNode s : sessions) {
			messages += s.get("messages").asLong();
		}
		assertThat(messages).isEqualTo(256);
		// what the sessions list calls each session: its custom or AI title, else its
		// first prompt
		JsonNode listed = get("/api/sessions?limit=500").body().get("sessions");
		JsonNode all = get("/api/exports/sessions?format=json").body();
		assertThat(all).hasSize(listed.size());
		for (JsonNode s : all) {
			JsonNode one = find(listed, "session_id", s.get("session_id").asText());
			assertThat(s.get("title")).as(s.get("session_id").asText()).isEqualTo(one.get("title"));
			assertThat(s.get("first_prompt")).as(s.get("session_id").asText())
				.isEqualTo(one.path("first_prompt").isMissingNode() ? NullNode.getInstance() : one.get("first_prompt"));
		}
		assertThat(all.findValues("first_prompt")).anyMatch((t) -> !t.isNull());
		assertThat(get("/api/exports/models?format=csv").text()).contains("claude-opus-4-6");
		// the sessions and the models of a range (a trial got every session of the
		// history for a month of none): spotter's five sessions are of February 2026
		String spotter = "&tz=UTC&project=" + RealDataLayout.SPOTTER;
		assertThat(get("/api/exports/sessions?format=json&from=2026-02-01&to=2026-02-28" + spotter).body()).hasSize(5);
		assertThat(get("/api/exports/sessions?format=json&from=2020-01-01&to=2020-01-31" + spotter).body()).isEmpty();
		assertThat(get("/api/exports/models?format=csv&from=2020-01-01&to=2020-01-31&tz=UTC").text().strip())
			.isEqualTo("model,priced,messages,input_tokens,output_tokens,cache_creation_5m_input_tokens,"
					+ "cache_creation_1h_input_tokens,cache_read_input_tokens,cost");
		long modelMessages = 0;
		for (JsonNode m : get("/api/exports/models?format=json&from=2026-02-01&to=2026-02-28" + spotter).body()) {
			modelMessages += m.get("messages").asLong();
		}
		assertThat(modelMessages).isEqualTo(messages);
		assertThat(get("/api/exports/sessions?from=bad").status()).isEqualTo(400);
		// a cell from a transcript cannot run as a spreadsheet formula
		assertThat(ExportApiController.inert(new LinkedHashMap<>(
				Map.of("model", "=HYPERLINK(\"http://evil\",\"x\")", "tokens", 5, "name", "-x", "ok", "claude"))))
			.containsEntry("model", "'=HYPERLINK(\"http://evil\",\"x\")")
			.containsEntry("name", "'-x")
			.containsEntry("ok", "claude")
			.containsEntry("tokens", 5);
		// a bare carriage return (a row break to Excel and LibreOffice, which Jackson
		// does not quote) is a line feed inside a quoted cell, so what follows it never
		// starts a row; as a trial wrote it
		assertThat(
				new String(ExportApiController.csv(
						List.of(new LinkedHashMap<>(Map.of("model", "c\r=1+2", "tokens", 7)),
								new LinkedHashMap<>(Map.of("model", "\r=1+1", "tokens", 8)),
								new LinkedHashMap<>(Map.of("model", "a\n@SUM(A1)", "tokens", 9))),
						List.of("model", "tokens")), StandardCharsets.UTF_8))
			.isEqualTo("model,tokens\n\"c\n=1+2\",7\n\"'\n=1+1\",8\n\"a\n@SUM(A1)\",9\n");
		// a small cost in plain decimals, as a spreadsheet reads a number (it had read
		// "3.3E-5"), a whole one without ".0"
		assertThat(new String(ExportApiController.csv(List.of(new LinkedHashMap<>(Map.of("cost", 3.3e-5)),
				new LinkedHashMap<>(Map.of("cost", 12.0)), new LinkedHashMap<>(Map.of("cost", 1234567.891))),
				List.of("cost")), StandardCharsets.UTF_8))
			.isEqualTo("cost\n0.000033\n12\n1234567.891\n");
		// every report's CSV names the columns its rows have (every report the endpoint
		// serves, as its 404 lists them, has its columns)
		List<String> reports = List.of("daily", "weekly", "monthly", "blocks", "sessions", "models");
		assertThat(get("/api/exports/none").body().get("detail").asText()).endsWith(String.join(", ", reports));
		assertThat(ExportApiController.COLUMNS).containsOnlyKeys(reports);
		for (String report : reports) {
			JsonNode rows = get("/api/exports/" + report + "?format=json&from=2026-01-01&tz=UTC").body();
			assertThat(rows).as(report).isNotEmpty();
			List<String> keys = new ArrayList<>();
			rows.get(0).fieldNames().forEachRemaining(keys::add);
			assertThat(get("/api/exports/" + report + "?format=csv&from=2026-01-01&tz=UTC").text()).as(report)
				.startsWith(String.join(",", keys) + "\n");
		}
		// a range without activity: the header alone, not a 500 (every report, both
		// formats)
		for (String report : new String[] { "daily", "weekly", "monthly", "blocks" }) {
			Response csv = get("/api/exports/" + report + "?format=csv&from=2001-01-01&to=2001-01-02&tz=UTC");
			assertThat(csv.status()).as(report).isEqualTo(200);
			assertThat(csv.text()).as(report)
				.isEqualTo(String.join(",", ExportApiController.COLUMNS.get(report)) + "\n");
			Response json = get("/api/exports/" + report + "?format=json&from=2001-01-01&to=2001-01-02&tz=UTC");
			assertThat(json.body()).as(report).isEmpty();
		}
		assertThat(get("/api/exports/daily?format=xml").status()).isEqualTo(400);
		assertThat(get("/api/exports/secrets?format=csv").status()).isEqualTo(404);
	}

	@Test
	void shouldExportEntryLevelDataWithoutTextThroughAJob() throws Exception {
		indexed();
		Response accepted = postJson("/api/exports",
				"{\"format\": \"csv\", \"project\": \"" + RealDataLayout.SPOTTER + "\"}");
		assertThat(accepted.status()).isEqualTo(202);
		String status = accepted.body().get("status_url").asText();
		await().atMost(Duration.ofSeconds(60))
			.pollInterval(Duration.ofMillis(250))
			.until(() -> get(status).body().get("state").asText().matches("succeeded|failed"));
		assertThat(get(status).body().get("state").asText()).isEqualTo("succeeded");
		Response file = get("/api/jobs/" + accepted.body().get("job_id").asText() + "/download");
		assertThat(file.status()).isEqualTo(200);
		// the export on disk is its owner's only
		try (var exports = Files.list(ROOT.resolve("data/exports"))) {
			assertThat(exports.toList()).isNotEmpty()
				.allSatisfy((p) -> assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p)))
					.isEqualTo("rw-------"));
		}
		String csv = file.text();
		List<String> rows = Arrays.asList(csv.strip().split("\n"));
		assertThat(rows.get(0))
			.startsWith("project,session,agent_id,file,line,byte_offset,type,uuid,timestamp,message_id");
		// every line of the seven spotter transcripts (2385 + 40 + 2 + 199 + 15 + 96 +
		// 39), 256 of them counted
		assertThat(rows).hasSize(1 + 2776);
		// the counted column (19th), then the counted copy's cost, empty on the others
		assertThat(rows.stream().skip(1).filter((r) -> r.split(",", -1)[18].equals("true"))).hasSize(256)
			.allSatisfy((r) -> assertThat(r.split(",", -1)[19]).isNotEmpty());
		assertThat(rows.stream().skip(1).filter((r) -> r.split(",", -1)[18].equals("false")))
			.allSatisfy((r) -> assertThat(r.split(",", -1)[19]).isEmpty());
		assertThat(csv).doesNotContain("mix phx.server");
		// one session: its transcript's and its subagents' lines, recounted on disk
		Path spotter = ROOT.resolve("claude/projects").resolve(RealDataLayout.SPOTTER);
		long objects = jsonObjectLines(spotter.resolve(RealDataLayout.MAIN_SESSION + ".jsonl"));
		try (var subagents = Files.list(spotter.resolve(RealDataLayout.MAIN_SESSION + "/subagents"))) {
			for (Path f : subagents.filter((f) -> f.toString().endsWith(".jsonl")).toList()) {
				objects += jsonObjectLines(f);
			}
		}
		Response one = postJson("/api/exports", "{\"format\": \"csv\", \"project\": \"" + RealDataLayout.SPOTTER
				+ "\", \"session\": \"" + RealDataLayout.MAIN_SESSION + "\"}");
		assertThat(one.status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get(one.body().get("status_url").asText()).body().get("state").asText().equals("succeeded"));
		List<String> sessionRows = Arrays
			.asList(get("/api/jobs/" + one.body().get("job_id").asText() + "/download").text().strip().split("\n"));
		assertThat(sessionRows.get(0)).isEqualTo("project,session,agent_id,file,line,byte_offset,type,uuid,timestamp,"
				+ "message_id,request_id,model,input_tokens,output_tokens,cache_creation_input_tokens,"
				+ "cache_creation_5m_input_tokens,cache_creation_1h_input_tokens,cache_read_input_tokens,counted,cost,priced,estimated,priced_as");
		assertThat(sessionRows).hasSize(1 + (int) objects);
		// the file (4th column) below its Claude root, as verify names it: no machine's
		// absolute path in a file made to be shared
		assertThat(sessionRows.subList(1, sessionRows.size()))
			.allSatisfy((r) -> assertThat(r.split(",", -1)[3]).startsWith("'" + RealDataLayout.SPOTTER + "/")
				.doesNotContain(ROOT.toString()))
			.anySatisfy((r) -> assertThat(r.split(",", -1)[3])
				.isEqualTo("'" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + ".jsonl"));
		assertThat(sessionRows.subList(1, sessionRows.size())).allSatisfy(
				// a project dir starts with "-": a spreadsheet would read it as a formula
				(r) -> assertThat(r).startsWith("'" + RealDataLayout.SPOTTER + "," + RealDataLayout.MAIN_SESSION + ","))
			// the time (9th column) an ISO-8601 UTC instant, or empty for a line without
			// one
			.allSatisfy((r) -> assertThat(r.split(",", -1)[8])
				.matches("(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z)?"))
			.anySatisfy((r) -> assertThat(r.split(",", -1)[8]).isNotEmpty());
		// its file removed (old exports are pruned): the download says so, and asking
		// again at the same data version runs it again, once for two requests
		String oneId = one.body().get("job_id").asText();
		String oneBody = "{\"format\": \"csv\", \"project\": \"" + RealDataLayout.SPOTTER + "\", \"session\": \""
				+ RealDataLayout.MAIN_SESSION + "\"}";
		assertThat(postJson("/api/exports", oneBody).body().get("job_id").asText()).isEqualTo(oneId);
		Files.delete(ROOT.resolve("data/exports/" + oneId + ".csv"));
		Response gone = get("/api/jobs/" + oneId + "/download");
		assertThat(gone.status()).isEqualTo(404);
		assertThat(gone.body().get("detail").asText()).isEqualTo("the export file of job " + oneId + " is gone");
		Response again = postJson("/api/exports", oneBody);
		assertThat(again.status()).isEqualTo(202);
		String againId = again.body().get("job_id").asText();
		assertThat(againId).isNotEqualTo(oneId);
		assertThat(postJson("/api/exports", oneBody).body().get("job_id").asText()).isEqualTo(againId);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get(again.body().get("status_url").asText()).body().get("state").asText().equals("succeeded"));
		assertThat(get("/api/jobs/" + againId + "/download").text().strip().split("\n"))
			.containsExactlyElementsOf(sessionRows);
		// a time range: the session's lines timed at or after the middle one of its
		// timed lines (an instant as the bound), and a day range with its zone
		List<String> times = sessionRows.subList(1, sessionRows.size())
			.stream()
			.map((r) -> r.split(",", -1)[8])
			.filter((t) -> !t.isEmpty())
			.sorted()
			.toList();
		String middle = times.get(times.size() / 2);
		Response later = postJson("/api/exports", "{\"format\": \"csv\", \"project\": \"" + RealDataLayout.SPOTTER
				+ "\", \"session\": \"" + RealDataLayout.MAIN_SESSION + "\", \"from\": \"" + middle + "\"}");
		assertThat(later.status()).isEqualTo(202);
		await().atMost(Duration.ofSeconds(60))
			.until(() -> get(later.body().get("status_url").asText()).body().get("state").asText().equals("succeeded"));
		List<String> laterRows = Arrays
			.asList(get("/api/jobs/" + later.body().get("job_id").asText() + "/download").text().strip().split("\n"));
		assertThat(laterRows.subList(1, laterRows.size()))
			.hasSize((int) times.stream().filter((t) -> t.compareTo(middle) >= 0).count())
			.allSatisfy((r) -> assertThat(r.split(",", -1)[8]).isGreaterThanOrEqualTo(middle));
		assertThat(postJson("/api/exports", "{\"format\": \"csv\", \"from\": \"2026-13-01\"}").status()).isEqualTo(400);
		assertThat(postJson("/api/exports",
				"{\"format\": \"csv\", \"from\": \"2026-02-02\", \"to\": \"2026-02-01\", \"tz\": \"UTC\"}")
			.body()
			.get("detail")
			.asText()).isEqualTo("from must not be after to");
		assertThat(postJson("/api/exports", "{\"format\": \"csv\", \"tz\": \"Mars/Olympus\"}").status()).isEqualTo(400);
		assertThat(postJson("/api/exports", "{\"format\": \"csv\", \"since\": \"2026-02-01\"}").body()
			.get("detail")
			.asText()).contains("fields are format, project, session, from, to and tz");
		assertThat(postJson("/api/exports", "{\"format\": \"csv\", \"session\": \"../x\"}").status()).isEqualTo(400);
		// nothing to export: a 404, not an empty file; a session without its project: 400
		assertThat(postJson("/api/exports", "{\"format\": \"csv\", \"project\": \"" + RealDataLayout.SPOTTER
				+ "\", \"session\": \"" + UUID.randomUUID() + "\"}")
			.status()).isEqualTo(404);
		assertThat(postJson("/api/exports", "{\"format\": \"csv\", \"project\": \"-no-such-project\"}").status())
			.isEqualTo(404);
		Response alone = postJson("/api/exports",
				"{\"format\": \"csv\", \"session\": \"" + RealDataLayout.MAIN_SESSION + "\"}");
		assertThat(alone.status()).isEqualTo(400);
		assertThat(alone.body().get("detail").asText()).isEqualTo("a session is exported with its project: give both");
		Response xlsx = postJson("/api/exports", "{\"format\": \"xlsx\"}");
		assertThat(xlsx.status()).isEqualTo(400);
		assertThat(xlsx.body().get("detail").asText()).isEqualTo("format must be csv, json or parquet");
		Response unknown = postJson("/api/exports", "{\"format\": \"csv\", \"limit\": 5}");
		assertThat(unknown.status()).isEqualTo(400);
		assertThat(unknown.body().get("detail").asText())
			.isEqualTo("unknown field 'limit'; fields are format, project, session, from, to and tz");
		assertThat(postJson("/api/exports", "{\"format\": \"csv\", \"unknown\": null}").body().get("detail").asText())
			.isEqualTo("unknown field 'unknown'; fields are format, project, session, from, to and tz");
		assertThat(postJson("/api/exports", "{\"project\": \"../x\"}").status()).isEqualTo(400);
		assertThat(get("/api/jobs/" + UUID.randomUUID() + "/download").status()).isEqualTo(404);
	}

	/**
	 * The lines of a transcript that are JSON objects (Jackson, independent of the app).
	 */
	private long jsonObjectLines(Path file) throws IOException {
		long n = 0;
		for (String line : Files.readAllLines(file)) {
			try {
				if (!line.isBlank() && this.json.readTree(line).isObject()) {
					n++;
				}
			}
			catch (IOException ex) {
				// malformed: not exported
			}
		}
		return n;
	}

}
