package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.FileSystemUtils;

import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.shared.job.ToolStat;
import dev.cctracer.worker.FactsOutOfMemoryException;
import dev.cctracer.worker.SessionFacts;
import dev.cctracer.worker.analytics.EntriesExport;
import dev.cctracer.worker.analytics.QueryRunner;
import dev.cctracer.worker.analytics.ResultJobRunner;
import dev.cctracer.worker.analytics.SearchQuery;
import dev.cctracer.worker.analytics.ToolStatsQuery;
import dev.cctracer.worker.duckdb.DuckDbEngine;
import dev.cctracer.worker.indexing.Indexer;
import dev.cctracer.worker.indexing.TracerContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

/**
 * Tests for the entry-level facts: every analytic reads what the ingest's parser read, so
 * the lines DuckDB's own JSON reader dropped (escaped lone surrogates) or failed on (a
 * line over 64 MiB) count in queries, tool statistics, search and exports exactly as in
 * the incremental totals, and the facts follow appends, truncations and replacements.
 */
class FactsTests {

	@TempDir
	Path tmp;

	private ConfigurableApplicationContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	private void start() {
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.facts.after-commit=false").context;
	}

	/**
	 * A forked session's copies of the original's responses ({@code forkedFrom}) count in
	 * the original in the facts' counting too, as in the incremental totals, though the
	 * fork's file sorts first. Hand-counted: the original 2 responses (outputs 5 and 7),
	 * the fork its own 1 (output 11).
	 */
	@Test
	void aForkedSessionsCopiesCountInTheSessionThatMadeThem() throws Exception {
		String original = "bbbbbbbb-0000-4000-8000-000000000001";
		String fork = "aaaaaaaa-0000-4000-8000-000000000009";
		String text = "[{\"type\":\"text\",\"text\":\"hi\"}]";
		String m1 = usage("m1", "2026-11-02T10:00:00Z", 5, text);
		String m2 = usage("m2", "2026-11-02T10:01:00Z", 7, text);
		Files.writeString(project("-fork").resolve(original + ".jsonl"), m1 + m2);
		String mark = "{\"forkedFrom\":{\"sessionId\":\"" + original + "\",\"messageUuid\":\"u\"},";
		Files.writeString(project("-fork").resolve(fork + ".jsonl"), m1.replaceFirst("^\\{", mark)
				+ m2.replaceFirst("^\\{", mark) + usage("m3", "2026-11-02T10:05:00Z", 11, text));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		Map<String, List<Object>> bySession = new TreeMap<>();
		rows(List.of("session"), "-fork").forEach(
				(r) -> bySession.put((String) r.get("session"), List.of(r.get("messages"), r.get("output_tokens"))));
		assertThat(bySession).containsOnly(entry(original, List.of(2L, 12L)), entry(fork, List.of(1L, 11L)));
	}

	/**
	 * Hand-counted: one response calls four tools in parallel; Bash fails in the tool,
	 * the user declines the Edit, a permission rule the Write, and Claude Code cancels
	 * the Read because the Bash call failed — Claude Code 2.x's own texts
	 * ({@code ../shared/realdata/cc-2026}). Four errors, two declined, one cancelled.
	 */
	@Test
	void failedCallsSayWhetherTheToolFailedTheCallWasDeclinedOrCancelled() throws Exception {
		Path file = project("-kinds").resolve("aaaaaaaa-0000-4000-8000-000000000001.jsonl");
		Files.writeString(file,
				String.join("", usage("m1", "2026-11-02T10:00:00Z", 5,
						"[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\","
								+ "\"input\":{}},{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"Edit\",\"input\":{}},"
								+ "{\"type\":\"tool_use\",\"id\":\"t3\",\"name\":\"Read\",\"input\":{}},"
								+ "{\"type\":\"tool_use\",\"id\":\"t4\",\"name\":\"Write\",\"input\":{}}]"),
						result("t1", true, "2026-11-02T10:00:01Z", "Exit code 1\\nls: cannot access 'x'"),
						result("t2", true, "2026-11-02T10:00:02Z",
								"The user doesn't want to proceed with this tool use. The tool use was rejected."),
						result("t3", true, "2026-11-02T10:00:03Z",
								"<tool_use_error>Cancelled: parallel tool call Bash(ls x) errored</tool_use_error>"),
						result("t4", true, "2026-11-02T10:00:04Z",
								"Permission for this tool use was denied. The tool use was rejected.")),
				StandardCharsets.UTF_8);
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		var tools = this.app.getBean(ToolStatsQuery.class).run("-kinds", 1);
		assertThat(tools.tools()).extracting(ToolStat::name, ToolStat::errors, ToolStat::declined, ToolStat::cancelled)
			.containsExactlyInAnyOrder(tuple("Bash", 1L, 0L, 0L), tuple("Edit", 1L, 1L, 0L), tuple("Read", 1L, 0L, 1L),
					tuple("Write", 1L, 1L, 0L));
		// the failed calls themselves, the most recent first, with their kind and the
		// start of their result
		assertThat(tools.recentFailures())
			.extracting(ToolStatsQuery.Failure::tool, ToolStatsQuery.Failure::kind, ToolStatsQuery.Failure::session)
			.containsExactly(tuple("Write", "declined", "aaaaaaaa-0000-4000-8000-000000000001"),
					tuple("Read", "cancelled", "aaaaaaaa-0000-4000-8000-000000000001"),
					tuple("Edit", "declined", "aaaaaaaa-0000-4000-8000-000000000001"),
					tuple("Bash", "failed", "aaaaaaaa-0000-4000-8000-000000000001"));
		assertThat(tools.recentFailures().get(3).preview()).startsWith("Exit code 1");
		assertThat(tools.recentFailures().get(3).timestamp())
			.isEqualTo(Instant.parse("2026-11-02T10:00:01Z").toEpochMilli());
		assertThat(tools.recentFailures().get(3).uuid()).isEqualTo("u-t1");
	}

	/**
	 * Hand-counted: three responses (outputs 5, 7 and 11; one with a lone surrogate in
	 * its text, one with control characters), two tool calls of which one failed.
	 */
	@Test
	void linesDuckDbsReaderDroppedCountEverywhereAsTheIngestCountsThem() throws Exception {
		Path file = project("-odd").resolve("aaaaaaaa-0000-4000-8000-000000000001.jsonl");
		Files.writeString(file, String.join("",
				usage("m1", "2026-11-02T10:00:00Z", 5, "[{\"type\":\"text\",\"text\":\"wombat \\udcb2 here\"}]"),
				usage("m2", "2026-11-02T10:01:00Z", 7, "[{\"type\":\"text\",\"text\":\"bell \\u0007 tab\\t\"},"
						+ "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}},"
						+ "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"Read\",\"input\":{\"file_path\":\"x\"}}]"),
				result("t1", false, "2026-11-02T10:01:02Z"), result("t2", true, "2026-11-02T10:01:05Z"),
				usage("m3", "2026-11-02T10:02:00Z", 11, "\"surrogate pair \\ud83d\\ude00 and lone \\ud800\"")),
				StandardCharsets.UTF_8);
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(incremental("-odd")).containsEntry("messages", 3L).containsEntry("output_tokens", 23L);

		Map<String, Object> row = onlyRow(List.of("project"), "-odd");
		assertThat(row).containsEntry("messages", 3L)
			.containsEntry("output_tokens", 23L)
			.containsEntry("input_tokens", 3L)
			.containsEntry("tool_calls", 2L)
			.containsEntry("failed_calls", 1L);
		assertThat(rows(List.of("model"), "-odd")).singleElement().satisfies((r) -> {
			assertThat(r).containsEntry("messages", 3L)
				.containsEntry("tool_calls", 2L)
				.containsEntry("failed_calls", 1L);
		});
		// by tool: the Read call's result failed, the Bash call's did not
		assertThat(rows(List.of("tool"), "-odd"))
			.extracting((r) -> r.get("tool"), (r) -> r.get("tool_calls"), (r) -> r.get("failed_calls"))
			.contains(tuple("Bash", 1L, 0L), tuple("Read", 1L, 1L));

		var tools = this.app.getBean(ToolStatsQuery.class).run("-odd", 1);
		assertThat(tools.totalCalls()).isEqualTo(2);
		assertThat(tools.tools()).extracting(ToolStat::name).containsExactly("Bash", "Read");
		assertThat(tools.tools()).extracting(ToolStat::errors).containsExactly(0L, 1L);
		assertThat(tools.tools().get(0).avgDurationSeconds()).isEqualTo(2.0);

		var search = this.app.getBean(SearchQuery.class);
		assertThat(search.run("wombat", null).hits()).singleElement()
			.satisfies((h) -> assertThat(h.project()).isEqualTo("-odd"));
		assertThat(search.run("lone", "-odd").hits()).hasSize(1);

		var exported = this.app.getBean(EntriesExport.class).run("x", "csv", "-odd", null);
		// five lines, each a JSON object
		assertThat(exported.rows()).isEqualTo(5);
		// a time range: the lines timed from 10:01 to before 10:02, the response m2 and
		// its two tools' results
		long tenOhOne = Instant.parse("2026-11-02T10:01:00Z").toEpochMilli();
		assertThat(this.app.getBean(EntriesExport.class)
			.run("range", "csv", "-odd", null, tenOhOne, tenOhOne + 60_000)
			.rows()).isEqualTo(3);
		assertThat(this.app.getBean(EntriesExport.class).run("from", "csv", null, null, tenOhOne, null).rows())
			.isEqualTo(4);
		assertThat(this.app.getBean(EntriesExport.class).run("to", "csv", null, null, null, tenOhOne).rows())
			.isEqualTo(1);
	}

	/**
	 * A process stopped between a commit and its facts (a team trial killed a worker
	 * there): the next start writes them though nothing new is committed; they waited for
	 * the next commit, and analytics meanwhile said the facts were short of the totals.
	 */
	@Test
	void factsACommitLeftUnwrittenAreWrittenAfterTheNextStart() throws Exception {
		Files.writeString(project("-late").resolve("aaaaaaaa-0000-4000-8000-0000000000f1.jsonl"),
				usage("f1", "2026-11-02T10:00:00Z", 5, "\"late\""));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(segments()).isEmpty();
		this.app.close();
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.ingest.enabled=true", "cctracer.facts.delay=200ms").context;
		await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(segments()).hasSize(1));
		assertThat(this.app.getBean(JdbcClient.class)
			.sql("SELECT SUM(resets) FROM source_file")
			.query(Long.class)
			.single()).as("nothing read again").isZero();
	}

	/**
	 * A fact batch cut short, or damaged inside its frame (a trial cut one to half its
	 * size: every analytic, search and tool statistic failed until it was put back by
	 * hand, the error naming the data dir's absolute path and the SQL): the next analytic
	 * removes it and writes its facts again from the transcripts, and answers as before.
	 */
	@Test
	void aDamagedFactBatchIsWrittenAgainFromTheTranscripts() throws Exception {
		Path file = project("-dmg").resolve("aaaaaaaa-0000-4000-8000-0000000000d1.jsonl");
		Files.writeString(file, usage("d1", "2026-11-02T10:00:00Z", 5, "\"wombat\"")
				+ usage("d2", "2026-11-02T10:01:00Z", 7, "\"kept\""));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(onlyRow(List.of("project"), "-dmg")).containsEntry("messages", 2L)
			.containsEntry("output_tokens", 12L);
		FactsStore facts = this.app.getBean(FactsStore.class);
		ResultJobRunner runner = this.app.getBean(ResultJobRunner.class);
		for (String damage : new String[] { "cut short", "inside its frame", "inside a page" }) {
			Path batch = facts.resolve(this.app.getBean(JdbcClient.class)
				.sql("SELECT entries_path FROM fact_segment")
				.query(String.class)
				.single());
			byte[] bytes = Files.readAllBytes(batch);
			if (damage.equals("cut short")) {
				Files.write(batch, Arrays.copyOf(bytes, bytes.length / 2));
			}
			else if (damage.equals("inside its frame")) {
				// every byte between the magic numbers: the frame looks whole
				Arrays.fill(bytes, 4, bytes.length - 4, (byte) 0x55);
				Files.write(batch, bytes);
			}
			else {
				// 64 bytes inside a page, as a trial did: the frame is whole, the counts
				// read fine, the text does not decode
				int footer = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 4)
					.order(java.nio.ByteOrder.LITTLE_ENDIAN)
					.getInt();
				int metadata = bytes.length - 8 - footer;
				Arrays.fill(bytes, metadata - 64, metadata, (byte) 'A');
				Files.write(batch, bytes);
				assertThat(facts.findDamaged()).as(damage).containsExactly(facts.dir().relativize(batch).toString());
			}
			if (damage.equals("inside its frame")) {
				// the search stream, which runs in no job, repairs it too (it answered
				// 500
				// until a job did)
				assertThat(this.app.getBean(SearchQuery.class).stream("wombat", "-dmg", (hit) -> true)).isEqualTo(1);
				assertThat(batch).doesNotExist();
			}
			Map<String, Object> row = runner.run("query", "job-" + damage.replace(' ', '-'),
					() -> onlyRow(List.of("project"), "-dmg"));
			assertThat(row).as(damage).containsEntry("messages", 2L).containsEntry("output_tokens", 12L);
			// the search reads the text: the job heals the batch if the query did not
			assertThat(runner
				.run("search", "search-" + damage.replace(' ', '-'),
						() -> this.app.getBean(SearchQuery.class).run("wombat", "-dmg"))
				.hits()).as(damage).hasSize(1);
			assertThat(batch).as(damage).doesNotExist();
			assertThat(facts.findDamaged()).as(damage).isEmpty();
		}
		// DuckDB's words for damage inside a page name no file (a trial's): each batch is
		// then read whole by findDamaged (above); an error opening a file is no damage
		assertThat(facts.looksLikeDamage(new java.sql.SQLException("Invalid Error: invalid TType"))).isTrue();
		assertThat(facts.looksLikeDamage(new java.sql.SQLException("Invalid Error: don't know what type: \u000e")))
			.isTrue();
		assertThat(facts.looksLikeDamage(new java.sql.SQLException("IO Error: Cannot open file: Permission denied")))
			.isFalse();
		// an error shown to API clients names no absolute path of the data dir, nor SQL
		String summary = runner.summary(new java.sql.SQLException(
				"Invalid Input Error: No magic bytes found at end of file '" + facts.dir().toAbsolutePath().normalize()
						+ "/origin=x/b-1.entries.parquet'\n\nLINE 6:   FROM read_parquet([...])"));
		assertThat(summary).isEqualTo(
				"SQLException: Invalid Input Error: No magic bytes found at end of file 'facts/origin=x/b-1.entries.parquet'");
		// the app's own database: Spring's message names the statement and H2's the value
		// (a trial saw a query's result refused as "Value too long", SQL and all)
		DataAccessException refused = catchThrowableOfType(DataAccessException.class,
				() -> this.app.getBean(JdbcClient.class)
					.sql("INSERT INTO job_request (id, kind, label, created_at) VALUES ('x', 'query', :label, 0)")
					.param("label", "the prompt words ".repeat(20))
					.update());
		assertThat(refused.getMessage()).contains("INSERT INTO job_request").contains("the prompt words");
		assertThat(runner.summary(refused))
			.isEqualTo("DataIntegrityViolationException: the app's database refused the job's work (SQL state 22001)");
	}

	/**
	 * A writer limit far below a row group (a trial's 1KB): DuckDB's appender says
	 * "failed to allocate data of size …", not "Out of Memory Error", and the error now
	 * names the setting to raise as the larger limits' does (it was DuckDB's appender
	 * error alone, and the search stream a 500).
	 */
	@Test
	void aWriterLimitBelowARowGroupNamesTheSettingToRaise() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.facts.after-commit=false", "cctracer.duckdb.writer-memory-limit=1KB").context;
		this.app.getBean(Indexer.class).scanAndIngest();
		FactsStore facts = this.app.getBean(FactsStore.class);
		assertThatThrownBy(() -> facts.sync((n) -> {
		})).isInstanceOf(FactsOutOfMemoryException.class)
			.hasMessageStartingWith(
					"the facts writer ran out of memory at cctracer.duckdb.writer-memory-limit=1KB: " + "raise it");
	}

	/**
	 * Two machines on one database, the second with a facts dir of its own (a team
	 * trial's worker without the shared {@code cctracer.facts.dir}): its analytics fail,
	 * naming the machine whose facts it lacks (no path), and forget none of them (they
	 * forgot every other machine's for all, and an answer without them was kept as
	 * right). Once that machine's directory is there, a batch missing from it is
	 * storage's loss and forgotten, as one of its own: its own facts removed by hand are
	 * written again.
	 */
	@Test
	void aProcessWithAnotherFactsDirForgetsNoOtherMachinesFactsAndAnswersNothing() throws Exception {
		Path data = this.tmp.resolve("data");
		Files.writeString(
				Files.createDirectories(this.tmp.resolve("alice/projects/-a"))
					.resolve("aaaaaaaa-0000-4000-8000-0000000000a1.jsonl"),
				usage("a1", "2026-11-02T10:00:00Z", 5, "\"alpha\""));
		this.app = TracerContext.start(this.tmp.resolve("alice"), data, "cctracer.facts.after-commit=false",
				"cctracer.origin=alice", "cctracer.facts.dir=" + this.tmp.resolve("shared-facts")).context;
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(onlyRow(List.of("project"), "-a")).containsEntry("output_tokens", 5L);
		this.app.close();
		Files.writeString(
				Files.createDirectories(this.tmp.resolve("bob/projects/-b"))
					.resolve("aaaaaaaa-0000-4000-8000-0000000000b1.jsonl"),
				usage("b1", "2026-11-02T10:01:00Z", 7, "\"bravo\""));
		Path own = this.tmp.resolve("bob-facts");
		this.app = TracerContext.start(this.tmp.resolve("bob"), data, "cctracer.facts.after-commit=false",
				"cctracer.origin=bob", "cctracer.facts.dir=" + own).context;
		this.app.getBean(Indexer.class).scanAndIngest();
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		String alices = "SELECT COUNT(*) FROM fact_segment WHERE entries_path LIKE 'origin=alice/%'";
		assertThat(jdbc.sql(alices).query(Long.class).single()).isOne();
		FactsNotSharedException failure = catchThrowableOfType(FactsNotSharedException.class,
				() -> rows(List.of("project"), "-b"));
		assertThat(this.app.getBean(ResultJobRunner.class).summary(failure)).startsWith(
				"FactsNotSharedException: this worker's facts dir (cctracer.facts.dir) holds no facts of origin=alice, "
						+ "another machine's that the shared database records")
			.doesNotContain(own.toString());
		assertThat(jdbc.sql(alices).query(Long.class).single()).isOne();
		// alice's directory here, her batch not in it: lost, forgotten
		Files.createDirectories(own.resolve("origin=alice"));
		assertThat(onlyRow(List.of("project"), "-b")).containsEntry("output_tokens", 7L);
		assertThat(rows(List.of("project"), "-a")).isEmpty();
		assertThat(jdbc.sql(alices).query(Long.class).single()).isZero();
		// its own facts removed by hand: written again
		FileSystemUtils.deleteRecursively(own.resolve("origin=bob"));
		assertThat(onlyRow(List.of("project"), "-b")).containsEntry("output_tokens", 7L);
	}

	/**
	 * A damaged batch that held the first of a transcript's segments, its later one in a
	 * batch another transcript's facts share: the lost segment is written again into the
	 * gap alone, so every line counts once (a review found that writing the file again
	 * from the gap counted its later lines twice through the shared batch).
	 */
	@Test
	void aDamagedBatchBeforeAFilesLaterSegmentCountsNoLineTwice() throws Exception {
		Path first = project("-gap").resolve("aaaaaaaa-0000-4000-8000-0000000000e1.jsonl");
		Files.writeString(first, usage("e1", "2026-11-02T10:00:00Z", 5, "\"alpha\""));
		// one parse thread: one batch per sync, shared by every file it writes
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.facts.after-commit=false", "cctracer.ingest.parse-threads=1").context;
		this.app.getBean(Indexer.class).scanAndIngest();
		FactsStore facts = this.app.getBean(FactsStore.class);
		facts.sync((n) -> {
		});
		String early = this.app.getBean(JdbcClient.class)
			.sql("SELECT entries_path FROM fact_segment")
			.query(String.class)
			.single();
		Files.writeString(first, usage("e2", "2026-11-02T10:01:00Z", 7, "\"bravo\""), StandardOpenOption.APPEND);
		Files.writeString(project("-gap").resolve("aaaaaaaa-0000-4000-8000-0000000000e2.jsonl"),
				usage("e3", "2026-11-02T10:02:00Z", 11, "\"charlie\""));
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(rows(List.of("session"), "-gap")).extracting((r) -> r.get("messages")).containsOnly(1L, 2L);
		// the first file's later segment shares its batch with the second file
		assertThat(this.app.getBean(JdbcClient.class)
			.sql("SELECT COUNT(DISTINCT file_id) FROM fact_segment WHERE entries_path <> :early GROUP BY entries_path")
			.param("early", early)
			.query(Long.class)
			.list()).containsExactly(2L);
		Path batch = facts.resolve(early);
		Files.write(batch, Arrays.copyOf(Files.readAllBytes(batch), 20));
		// the first file's lost segment is written again into its gap alone: every line
		// once
		List<Map<String, Object>> after = rows(List.of("session"), "-gap");
		assertThat(after).extracting((r) -> r.get("messages"), (r) -> r.get("output_tokens"))
			.containsExactlyInAnyOrder(tuple(2L, 12L), tuple(1L, 11L));
		// the entry export: one row per line, the three lines there are
		assertThat(this.app.getBean(EntriesExport.class).run("gap", "csv", "-gap", null).rows()).isEqualTo(3);
		var search = this.app.getBean(SearchQuery.class);
		assertThat(search.run("bravo", "-gap").hits()).hasSize(1);
		assertThat(search.run("charlie", "-gap").hits()).hasSize(1);
		assertThat(batch).doesNotExist();
	}

	/**
	 * A session copied under new message ids that kept the original {@code tool_use} ids
	 * (a user trial's hand copy): two responses by the dedup rule, so each session counts
	 * its two calls, as the incremental totals count them (a response's calls follow its
	 * counted copy). The facts took each call id once across responses, so the copy's
	 * session (or the original's, by a timestamp tie) had no tool rows.
	 */
	@Test
	void aCallIdRepeatedByAnotherResponseCountsWithEachResponse() throws Exception {
		String calls = "[{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"Bash\",\"input\":{\"command\":\"ls\"}},"
				+ "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"Read\",\"input\":{\"file_path\":\"x\"}}]";
		String original = "aaaaaaaa-0000-4000-8000-0000000000c1";
		String copy = "aaaaaaaa-0000-4000-8000-0000000000c2";
		Files.writeString(project("-copy").resolve(original + ".jsonl"),
				usage("m1", "2026-11-02T10:01:00Z", 7, calls) + result("t1", false, "2026-11-02T10:01:02Z"));
		Files.writeString(project("-copy").resolve(copy + ".jsonl"),
				usage("m1-copy", "2026-11-02T10:01:00Z", 7, calls) + result("t1", false, "2026-11-02T10:01:02Z"));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(this.app.getBean(JdbcClient.class)
			.sql("SELECT session_id, tool_uses FROM source_file ORDER BY session_id")
			.query((rs, i) -> rs.getString(1) + "=" + rs.getLong(2))
			.list()).containsExactly(original + "=2", copy + "=2");
		assertThat(onlyRow(List.of("project"), "-copy")).containsEntry("messages", 2L).containsEntry("tool_calls", 4L);
		ToolStatsQuery tools = this.app.getBean(ToolStatsQuery.class);
		assertThat(tools.run("-copy", 1).totalCalls()).isEqualTo(4);
		for (String session : List.of(original, copy)) {
			assertThat(tools.run("-copy", session, 1).tools()).extracting(ToolStat::name, ToolStat::calls)
				.containsExactly(tuple("Bash", 1L), tuple("Read", 1L));
		}
	}

	/**
	 * A transcript Claude Code deleted (its cleanup of old sessions) keeps its history in
	 * the totals, and so in the analytics: the project's totals, search and the session's
	 * timeline from the facts still hold it, and a new file at its path is a new file,
	 * never read as the old one. Hand-set: outputs 5 (kept) and 7 (deleted), then 11 (the
	 * new file at the deleted one's path).
	 */
	@Test
	void aDeletedTranscriptsHistoryCountsInTheAnalytics() throws Exception {
		Path gone = keptAndGone("-d");
		Indexer indexer = this.app.getBean(Indexer.class);
		assertThat(onlyRow(List.of("project"), "-d")).containsEntry("messages", 2L).containsEntry("output_tokens", 12L);
		Files.delete(gone);
		indexer.scanAndIngest();
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM source_file WHERE deleted = TRUE").query(Long.class).single())
			.isOne();
		assertThat(onlyRow(List.of("project"), "-d")).containsEntry("messages", 2L).containsEntry("output_tokens", 12L);
		assertThat(this.app.getBean(SearchQuery.class).run("wombat", "-d").hits()).hasSize(1);
		SessionFacts facts = this.app.getBean(SessionFacts.class);
		assertThat(facts.entries("-d", "aaaaaaaa-0000-4000-8000-00000000000e", null, 0, 10)).hasValueSatisfying(
				(t) -> assertThat(t.entries()).singleElement().satisfies((e) -> assertThat(e.counted()).isTrue()));
		// Claude Code may write a new file at that path: a file of its own
		Files.writeString(gone, usage("n1", "2026-11-03T10:00:00Z", 11, "\"new\""));
		indexer.scanAndIngest();
		assertThat(onlyRow(List.of("project"), "-d")).containsEntry("messages", 3L).containsEntry("output_tokens", 23L);
		assertThat(this.app.getBean(SearchQuery.class).run("wombat", "-d").hits()).hasSize(1);
		assertThat(this.app.getBean(SearchQuery.class).run("new", "-d").hits()).hasSize(1);
		long historyOutput = jdbc.sql("SELECT SUM(output_tokens) FROM source_file WHERE project_dir = '-d'")
			.query(Long.class)
			.single();
		assertThat(historyOutput).isEqualTo(23L);
	}

	/**
	 * A stop hook's error is searchable ({@code hookErrors} of a
	 * {@code stop_hook_summary}, in Claude Code 2.1's shape), and V20 brings it to facts
	 * written before: it marks every file with facts, whose facts the sync writes again
	 * from the log and swaps for the old ones when the file still holds the bytes read. A
	 * transcript deleted while no process ran keeps its facts (the trial that found it
	 * lost them: its timeline, search hits and analytics, for good), and one replaced
	 * while none ran keeps its old facts until the scan reads it again. V20 is applied a
	 * second time here (its record and table removed) on facts written by this code: what
	 * it must keep is the same. Hand-set outputs 5 (kept), 7 (deleted) and 13, then 17
	 * (replaced).
	 */
	@Test
	void theMigrationOfHookTextWritesTheFactsOfFilesOnDiskAgainAndKeepsThoseOfFilesGoneOrChanged() throws Exception {
		Path gone = keptAndGone("-v20");
		byte[] goneBytes = Files.readAllBytes(gone);
		Path kept = gone.resolveSibling("aaaaaaaa-0000-4000-8000-00000000000d.jsonl");
		Path replaced = gone.resolveSibling("aaaaaaaa-0000-4000-8000-00000000000f.jsonl");
		append(kept, "{\"type\":\"system\",\"subtype\":\"stop_hook_summary\",\"hookCount\":1,\"hookInfos\":"
				+ "[{\"command\":\"notify-send done\",\"durationMs\":9}],\"hookErrors\":[\"notify-send: cannot open "
				+ "display\"],\"preventedContinuation\":false,\"stopReason\":\"\",\"timestamp\":\"2026-11-02T10:00:05Z\","
				+ "\"uuid\":\"s-1\",\"level\":\"suggestion\"}\n");
		Files.writeString(replaced, usage("r1", "2026-11-02T12:00:00Z", 13, "\"platypus\""));
		Indexer indexer = this.app.getBean(Indexer.class);
		indexer.scanAndIngest();
		SearchQuery search = this.app.getBean(SearchQuery.class);
		assertThat(search.run("cannot open display", "-v20").hits()).singleElement()
			.satisfies((h) -> assertThat(h.type()).isEqualTo("system"))
			.satisfies((h) -> assertThat(h.uuid()).isEqualTo("s-1"));
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		Map<String, String> before = batches(jdbc);
		assertThat(before).hasSize(3);
		jdbc.sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '20'").update();
		jdbc.sql("DROP TABLE facts_rewrite").update();
		this.app.close();
		// while no process runs: one transcript removed, one replaced by another
		Files.delete(gone);
		Files.writeString(replaced, usage("r2", "2026-11-02T12:30:00Z", 17, "\"echidna!\""));
		start();
		jdbc = this.app.getBean(JdbcClient.class);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM facts_rewrite").query(Long.class).single()).isEqualTo(3);
		// before any scan: the file on disk as read is written again, the others keep
		// their facts and their marks
		search = this.app.getBean(SearchQuery.class);
		assertThat(search.run("cannot open display", "-v20").hits()).hasSize(1);
		assertThat(search.run("wombat", "-v20").hits()).hasSize(1);
		assertThat(search.run("platypus", "-v20").hits()).hasSize(1);
		Map<String, String> rewritten = batches(jdbc);
		assertThat(rewritten.get(kept.getFileName().toString()))
			.isNotEqualTo(before.get(kept.getFileName().toString()));
		assertThat(rewritten.get(gone.getFileName().toString())).isEqualTo(before.get(gone.getFileName().toString()));
		assertThat(rewritten.get(replaced.getFileName().toString()))
			.isEqualTo(before.get(replaced.getFileName().toString()));
		assertThat(jdbc.sql("SELECT COUNT(*) FROM facts_rewrite").query(Long.class).single()).isEqualTo(2);
		// the scan: the removed one is marked deleted (its facts stay), the replaced one
		// read again from its start (new facts of its own)
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(search.run("wombat", "-v20").hits()).hasSize(1);
		assertThat(search.run("platypus", "-v20").hits()).isEmpty();
		assertThat(search.run("echidna!", "-v20").hits()).hasSize(1);
		// the deleted one keeps its mark: it may come back
		assertThat(jdbc.sql("SELECT COUNT(*) FROM facts_rewrite").query(Long.class).single()).isOne();
		assertThat(batches(jdbc).get(gone.getFileName().toString()))
			.isEqualTo(before.get(gone.getFileName().toString()));
		assertThat(onlyRow(List.of("project"), "-v20")).containsEntry("messages", 3L)
			.containsEntry("output_tokens", 29L);
		// it comes back as it was (a volume mounted again): found back, its facts
		// written again then
		Files.write(gone, goneBytes);
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(search.run("wombat", "-v20").hits()).hasSize(1);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM facts_rewrite").query(Long.class).single()).isZero();
		assertThat(batches(jdbc).get(gone.getFileName().toString()))
			.isNotEqualTo(before.get(gone.getFileName().toString()));
		assertThat(onlyRow(List.of("project"), "-v20")).containsEntry("messages", 3L)
			.containsEntry("output_tokens", 29L);
	}

	/** Each file's current segments' batches, by file name. */
	private static Map<String, String> batches(JdbcClient jdbc) {
		Map<String, String> byFile = new TreeMap<>();
		jdbc.sql("""
				SELECT f.rel_path, s.entries_path FROM fact_segment s JOIN source_file f ON f.id = s.file_id
				WHERE s.generation = f.generation ORDER BY f.rel_path, s.from_offset""").query((rs) -> {
			String name = Path.of(rs.getString(1)).getFileName().toString();
			byFile.merge(name, rs.getString(2), (x, y) -> x + "," + y);
		});
		return byFile;
	}

	/**
	 * A project dir renamed on disk: the analytics count its history under the new name,
	 * as the totals do (the deleted rows keep their facts but lose the dedup rule's ties
	 * to the moved transcripts' equal copies), and the old name counts nothing. Hand-set:
	 * outputs 5 and 7.
	 */
	@Test
	void aMovedProjectDirCountsUnderItsNewNameInTheAnalytics() throws Exception {
		Path old = project("-a-old").resolve("aaaaaaaa-0000-4000-8000-00000000000f.jsonl");
		Files.writeString(old, usage("k1", "2026-11-02T10:00:00Z", 5, "\"kept\"")
				+ usage("k2", "2026-11-02T11:00:00Z", 7, "\"wombat\""));
		start();
		Indexer indexer = this.app.getBean(Indexer.class);
		indexer.scanAndIngest();
		// its facts are written (by this answer) before the move
		assertThat(onlyRow(List.of("project"), null)).containsEntry("project", "-a-old")
			.containsEntry("messages", 2L)
			.containsEntry("output_tokens", 12L);
		Files.move(old.getParent(), this.tmp.resolve("claude/projects/-b-new"));
		indexer.scanAndIngest();
		assertThat(onlyRow(List.of("project"), null)).containsEntry("project", "-b-new")
			.containsEntry("messages", 2L)
			.containsEntry("output_tokens", 12L);
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		assertThat(jdbc.sql("SELECT project_dir, SUM(messages) FROM source_file GROUP BY project_dir ORDER BY 1")
			.query((rs, i) -> rs.getString(1) + "=" + rs.getLong(2))
			.list()).containsExactly("-a-old=0", "-b-new=2");
		// a search over every project finds the line once, where it is now
		assertThat(this.app.getBean(SearchQuery.class).run("wombat", null).hits()).singleElement()
			.satisfies((h) -> assertThat(h.project()).isEqualTo("-b-new"));
	}

	/**
	 * A transcript deleted before its facts were written (here: facts after commits off,
	 * and no analytic ran before the delete) can never have them: its totals still count,
	 * and an answer says so once, as incomplete facts rather than a lag to wait for.
	 */
	@Test
	void aTranscriptDeletedBeforeItsFactsIsSaidIncompleteNotLagging() throws Exception {
		Path gone = keptAndGone("-i");
		Indexer indexer = this.app.getBean(Indexer.class);
		Files.delete(gone);
		indexer.scanAndIngest();
		QueryRunner.QueryResult answer = this.app.getBean(QueryRunner.class)
			.run(QuerySpec.of(List.of("project"), null, null, null, "-i", null, null), 1);
		// the query's sync writes the kept file's facts; the deleted one's never
		assertThat(answer.rows()).singleElement().satisfies((r) -> assertThat(r).containsEntry("messages", 1L));
		assertThat(answer.note()).isEqualTo("1 deleted transcript was removed before its facts were complete: "
				+ "the lines their facts lack are not in this answer (the usage totals still count them)");
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		assertThat(jdbc.sql("SELECT SUM(output_tokens) FROM source_file WHERE project_dir = '-i'")
			.query(Long.class)
			.single()).isEqualTo(12L);
	}

	/**
	 * An export that fails (here: its file's place taken by a directory, as a full disk
	 * fails the write) leaves no temporary file behind, and the failure is the caller's.
	 */
	@Test
	void aFailedExportLeavesNoPartOfItsFile() throws Exception {
		project("-empty");
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		Path exports = Files.createDirectories(this.tmp.resolve("data/exports"));
		Files.writeString(Files.createDirectories(exports.resolve("taken.csv")).resolve("in-the-way"), "x");
		assertThatThrownBy(() -> this.app.getBean(EntriesExport.class).run("taken", "csv", null, null))
			.isInstanceOf(IOException.class);
		assertThat(exports.resolve("taken.csv.tmp")).doesNotExist();
	}

	/** An export with no facts at all still has every column (its header). */
	@Test
	void anEmptyExportHasEveryColumn() throws Exception {
		project("-empty");
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		var exported = this.app.getBean(EntriesExport.class).run("none", "csv", null, null);
		assertThat(exported.rows()).isZero();
		assertThat(Files.readAllLines(this.tmp.resolve("data/exports").resolve(exported.file())))
			.containsExactly("project,session,agent_id,file,line,byte_offset,type,uuid,timestamp,message_id,request_id,"
					+ "model,input_tokens,output_tokens,cache_creation_input_tokens,cache_creation_5m_input_tokens,"
					+ "cache_creation_1h_input_tokens,cache_read_input_tokens,counted,cost,priced,estimated,priced_as");
		// and its Parquet's time typed as a full one's
		var parquet = this.app.getBean(EntriesExport.class).run("none-parquet", "parquet", null, null);
		try (var c = this.app.getBean(DuckDbEngine.class).connection();
				var st = c.createStatement();
				var rs = st.executeQuery("SELECT column_type FROM (DESCRIBE SELECT timestamp FROM read_parquet('"
						+ this.tmp.resolve("data/exports").resolve(parquet.file()) + "'))")) {
			rs.next();
			assertThat(rs.getString(1)).isEqualTo("TIMESTAMP WITH TIME ZONE");
		}
	}

	/**
	 * A line of 70 MiB (over the ingest's 64 MiB cap) in one project: every analytic
	 * answers, for that project and the others, and counts as the ingest counted.
	 */
	@Test
	void aLineOver64MiBFailsNoAnalytic() throws Exception {
		Path other = project("-other").resolve("aaaaaaaa-0000-4000-8000-000000000003.jsonl");
		Files.writeString(other, usage("o1", "2026-11-02T09:00:00Z", 4, "\"needle in other\""));
		Path huge = project("-huge").resolve("aaaaaaaa-0000-4000-8000-000000000002.jsonl");
		Files.writeString(huge, usage("before", "2026-11-02T10:00:00Z", 10, "\"x\""));
		try (var out = Files.newOutputStream(huge, StandardOpenOption.APPEND)) {
			out.write("{\"type\":\"user\",\"message\":{\"content\":\"needle ".getBytes(StandardCharsets.UTF_8));
			byte[] chunk = "a".repeat(1 << 20).getBytes(StandardCharsets.UTF_8);
			for (int i = 0; i < 70; i++) {
				out.write(chunk);
			}
			out.write("\"}}\n".getBytes(StandardCharsets.UTF_8));
		}
		Files.writeString(huge, usage("after", "2026-11-02T10:05:00Z", 20, "\"y\""), StandardOpenOption.APPEND);
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(this.app.getBean(JdbcClient.class)
			.sql("SELECT overlong_lines FROM source_file WHERE rel_path LIKE '-huge/%'")
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(onlyRow(List.of("project"), "-huge")).containsEntry("messages", 2L)
			.containsEntry("output_tokens", 30L);
		assertThat(onlyRow(List.of("project"), "-other")).containsEntry("messages", 1L)
			.containsEntry("output_tokens", 4L);
		assertThat(this.app.getBean(ToolStatsQuery.class).run(null, 1).totalCalls()).isZero();
		// the over-long line is not a fact: its text is not searchable, the others are
		assertThat(this.app.getBean(SearchQuery.class).run("needle", null).hits()).singleElement()
			.satisfies((h) -> assertThat(h.project()).isEqualTo("-other"));
		var exported = this.app.getBean(EntriesExport.class).run("y", "parquet", "-huge", null);
		assertThat(exported.rows()).isEqualTo(2);
		// the over-long line is not counted as a line; the byte offset finds the next one
		long after = Files.size(huge) - usage("after", "2026-11-02T10:05:00Z", 20, "\"y\"").length();
		Path file = this.tmp.resolve("data/exports").resolve(exported.file());
		try (var c = this.app.getBean(DuckDbEngine.class).connection();
				var st = c.createStatement();
				var rs = st.executeQuery(
						"SELECT line, byte_offset FROM read_parquet('" + file + "') WHERE message_id = 'after'")) {
			assertThat(rs.next()).isTrue();
			assertThat(rs.getLong(1)).isEqualTo(2);
			assertThat(rs.getLong(2)).isEqualTo(after);
		}
	}

	/**
	 * One session of ~71 MB, over twice a batch: it is read in pieces of
	 * {@link FactsStore#BATCH_BYTES} ending at line ends, each its own segment, the
	 * pieces spread over the two parse threads. Hand-set:
	 * <ul>
	 * <li>the first line of the second piece is a usage line without a timestamp after a
	 * line of 2026-11-02 of 1.5 MB (longer than the first window read back from the
	 * piece's start), while the latest so far is 2026-11-03: it takes the previous line's
	 * day, as the ingest does (50 output tokens on 11-02);</li>
	 * <li>the last piece holds only lines of 11-01 (7 tokens); a usage line without a
	 * timestamp appended later takes the previous line's day, 11-01, not the latest so
	 * far (11-03), read back over the segments whichever thread wrote them (7 + 11 tokens
	 * on 11-01).</li>
	 * </ul>
	 * The incremental rollups give every day the same tokens: the rule does not depend on
	 * where a commit, a sync or a piece starts.
	 */
	@Test
	void aLongSessionIsReadInPiecesThatReadBackTimestampsBeforeThem() throws Exception {
		Path file = longSession();
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.facts.after-commit=false", "cctracer.ingest.parse-threads=2").context;
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(incremental("-long")).containsEntry("messages", 3L).containsEntry("output_tokens", 60L);
		Map<String, Object> totals = onlyRow(List.of("project"), "-long");
		assertThat(totals).containsEntry("messages", 3L).containsEntry("output_tokens", 60L);
		assertThat(outputByDay("-long")).containsExactly(Map.entry("2026-11-01", 7L), Map.entry("2026-11-02", 50L),
				Map.entry("2026-11-03", 3L));
		assertThat(incrementalOutputByDay("-long")).isEqualTo(outputByDay("-long"));
		List<long[]> segments = segments();
		assertThat(segments).hasSize(3);
		assertThat(segments.get(0)[0]).isZero();
		assertThat(segments.get(2)[1]).isEqualTo(Files.size(file));
		byte[] bytes = Files.readAllBytes(file);
		for (int i = 0; i < 2; i++) {
			long end = segments.get(i)[1];
			assertThat(segments.get(i + 1)[0]).isEqualTo(end);
			assertThat(bytes[(int) end - 1]).as("a piece ends at a line end").isEqualTo((byte) '\n');
			assertThat(end - segments.get(i)[0]).isGreaterThanOrEqualTo(FactsStore.BATCH_BYTES);
		}
		assertThat(this.app.getBean(SearchQuery.class).run("needle-late", "-long").hits()).hasSize(1);

		append(file, usage("appended", null, 11, "\"after\""));
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(incremental("-long")).containsEntry("messages", 4L).containsEntry("output_tokens", 71L);
		assertThat(outputByDay("-long")).containsExactly(Map.entry("2026-11-01", 18L), Map.entry("2026-11-02", 50L),
				Map.entry("2026-11-03", 3L));
		assertThat(incrementalOutputByDay("-long")).isEqualTo(outputByDay("-long"));
	}

	/**
	 * The same session on one parse thread under a writer memory limit of 128 MB: one
	 * batch of the whole file ran DuckDB out of memory there (an appender's table cannot
	 * spill), its pieces fit one after the other.
	 */
	@Test
	void aLongSessionsPiecesFitAWriterLimitItsWholeRangeWouldNot() throws Exception {
		longSession();
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"cctracer.facts.after-commit=false", "cctracer.ingest.parse-threads=1",
				"cctracer.duckdb.writer-memory-limit=128MB").context;
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(onlyRow(List.of("project"), "-long")).containsEntry("messages", 3L)
			.containsEntry("output_tokens", 60L);
		assertThat(segments()).hasSize(3);
	}

	/** The long session of the two tests above (~71 MB). */
	private Path longSession() throws IOException {
		Path file = project("-long").resolve("aaaaaaaa-0000-4000-8000-000000000004.jsonl");
		String filler = user("2026-11-01T10:00:00Z", "f".repeat(64 * 1024));
		long at = 0;
		try (var out = Files.newOutputStream(file)) {
			at += write(out, usage("early", "2026-11-03T08:00:00Z", 3, "\"first\""));
			while (at + filler.length() <= FactsStore.BATCH_BYTES) {
				at += write(out, filler);
			}
			// holds byte BATCH_BYTES: the first piece ends with it
			at += write(out, user("2026-11-02T12:00:00Z", "g".repeat(1536 * 1024)));
			at += write(out, usage("split", null, 50, "\"second piece\""));
			while (at < 2 * FactsStore.BATCH_BYTES + (4 << 20)) {
				at += write(out, filler);
			}
			write(out, usage("late", "2026-11-01T12:00:00Z", 7, "\"needle-late\""));
		}
		return file;
	}

	/** Every recorded segment's byte range, in offset order. */
	private List<long[]> segments() {
		return this.app.getBean(JdbcClient.class)
			.sql("SELECT from_offset, to_offset FROM fact_segment ORDER BY from_offset")
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.list();
	}

	private Map<Object, Object> outputByDay(String project) throws Exception {
		Map<Object, Object> byDay = new TreeMap<>();
		rows(List.of("day"), project).forEach((r) -> byDay.put(r.get("day"), r.get("output_tokens")));
		return byDay;
	}

	/** Output tokens by UTC day from the ingest's rollups (15-minute buckets). */
	private Map<Object, Object> incrementalOutputByDay(String project) {
		Map<Object, Object> byDay = new TreeMap<>();
		this.app.getBean(JdbcClient.class)
			.sql("""
					SELECT r.bucket, r.output_tokens FROM usage_rollup r JOIN source_file f ON f.id = r.file_id
					WHERE f.deleted = FALSE AND f.project_dir = :p
					""")
			.param("p", project)
			.query((rs, i) -> Map.entry(Instant.ofEpochSecond(rs.getLong(1)).toString().substring(0, 10),
					rs.getLong(2)))
			.list()
			.forEach((e) -> byDay.merge(e.getKey(), e.getValue(), (a, b) -> (Long) a + (Long) b));
		return byDay;
	}

	private static long write(java.io.OutputStream out, String line) throws IOException {
		byte[] b = line.getBytes(StandardCharsets.UTF_8);
		out.write(b);
		return b.length;
	}

	private static String user(String ts, String text) {
		return "{\"type\":\"user\",\"timestamp\":\"" + ts + "\",\"message\":{\"role\":\"user\",\"content\":\"" + text
				+ "\"}}\n";
	}

	/**
	 * Random appends (with responses copied across files and into sidechains, days out of
	 * order and some usage lines without a timestamp), cut last lines, truncations and
	 * replacements of three files, ingested at every step and read by the facts every
	 * other step (so one facts range spans two commits): the totals counted by DuckDB
	 * over the facts equal the incremental totals, per project and in all, and per day.
	 */
	@Test
	void factsFollowAppendsTruncationsAndReplacements() throws Exception {
		Random random = new Random(20261203);
		List<Path> files = List.of(project("-a").resolve("aaaaaaaa-0000-4000-8000-00000000000a.jsonl"),
				project("-a").resolve("aaaaaaaa-0000-4000-8000-00000000000b.jsonl"),
				project("-b").resolve("aaaaaaaa-0000-4000-8000-00000000000c.jsonl"));
		for (Path f : files) {
			Files.writeString(f, "");
		}
		start();
		Indexer indexer = this.app.getBean(Indexer.class);
		for (int step = 0; step < 26; step++) {
			Path f = files.get(random.nextInt(files.size()));
			int op = random.nextInt(10);
			if (op < 6) {
				StringBuilder lines = new StringBuilder();
				for (int i = 1 + random.nextInt(6); i > 0; i--) {
					String id = "m" + random.nextInt(40);
					String day = "2026-11-0" + (1 + random.nextInt(5)) + "T10:00:00Z";
					String line = usage(id, (random.nextInt(4) == 0) ? null : day, 1 + random.nextInt(50), "\"t\"");
					if (random.nextInt(4) == 0) {
						line = line.replace("{\"type\":\"assistant\",",
								"{\"type\":\"assistant\",\"isSidechain\":true,");
					}
					lines.append(line);
				}
				if (random.nextInt(5) == 0) {
					// an unfinished last line: not committed until its newline comes
					lines.append("{\"type\":\"assistant\",\"mess");
				}
				append(f, lines.toString());
			}
			else if (op < 8) {
				truncateToLineBoundary(f, random);
			}
			else {
				Files.writeString(f, usage("r" + step, "2026-11-03T10:00:00Z", 3 + step, "\"new\""));
			}
			indexer.scanAndIngest();
			if (step % 2 == 0) {
				continue;
			}
			Map<String, Long> all = incremental(null);
			List<Map<String, Object>> rows = rows(List.of("project"), null);
			long messages = rows.stream().mapToLong((r) -> (Long) r.get("messages")).sum();
			long output = rows.stream().mapToLong((r) -> (Long) r.get("output_tokens")).sum();
			assertThat(messages).as("messages after step %d", step).isEqualTo(all.get("messages"));
			assertThat(output).as("output tokens after step %d", step).isEqualTo(all.get("output_tokens"));
			for (Map<String, Object> r : rows) {
				Map<String, Long> project = incremental((String) r.get("project"));
				assertThat(r.get("messages")).as("step %d %s", step, r.get("project"))
					.isEqualTo(project.get("messages"));
				assertThat(r.get("output_tokens")).isEqualTo(project.get("output_tokens"));
				assertThat(outputByDay((String) r.get("project"))).as("by day, step %d %s", step, r.get("project"))
					.isEqualTo(incrementalOutputByDay((String) r.get("project")));
			}
		}
		// grouped by session, each session's totals are its files' incremental totals
		List<Map<String, Object>> sessions = rows(List.of("session"), null);
		Map<String, Long> bySession = new TreeMap<>();
		this.app.getBean(JdbcClient.class)
			.sql("SELECT session_id, SUM(messages) FROM source_file WHERE deleted = FALSE GROUP BY session_id")
			.query((rs, i) -> bySession.put(rs.getString(1), rs.getLong(2)))
			.list();
		bySession.values().removeIf((n) -> n == 0);
		assertThat(sessions).extracting((r) -> r.get("session"))
			.containsExactlyInAnyOrderElementsOf(bySession.keySet());
		for (Map<String, Object> r : sessions) {
			assertThat(r.get("messages")).as("session %s", r.get("session")).isEqualTo(bySession.get(r.get("session")));
		}
		// the export's counted lines add up to the same totals
		var exported = this.app.getBean(EntriesExport.class).run("all", "parquet", null, null);
		Path file = this.tmp.resolve("data/exports").resolve(exported.file());
		try (var c = this.app.getBean(DuckDbEngine.class).connection();
				var st = c.createStatement();
				var rs = st.executeQuery(
						"SELECT count(*), sum(output_tokens) FROM read_parquet('" + file + "') WHERE counted")) {
			rs.next();
			assertThat(rs.getLong(1)).isEqualTo(incremental(null).get("messages"));
			assertThat(rs.getLong(2)).isEqualTo(incremental(null).get("output_tokens"));
		}
		// its times are instants (Parquet's isAdjustedToUTC), to the millisecond of the
		// lines' own (the facts' epoch milliseconds, read independently of the export)
		try (var c = this.app.getBean(DuckDbEngine.class).connection(); var st = c.createStatement()) {
			try (var rs = st.executeQuery(
					"SELECT column_type FROM (DESCRIBE SELECT timestamp FROM read_parquet('" + file + "'))")) {
				rs.next();
				assertThat(rs.getString(1)).isEqualTo("TIMESTAMP WITH TIME ZONE");
			}
			// each line with a timestamp of its own, read back from the transcript
			int checked = 0;
			try (var rs = st.executeQuery("SELECT file, byte_offset, epoch_ms(timestamp) FROM read_parquet('" + file
					+ "') WHERE timestamp IS NOT NULL ORDER BY file, byte_offset LIMIT 3000")) {
				ObjectMapper mapper = new ObjectMapper();
				while (rs.next()) {
					// the file is named below its Claude root
					assertThat(rs.getString(1)).doesNotStartWith("/");
					try (var ch = FileChannel.open(this.tmp.resolve("claude/projects").resolve(rs.getString(1)))) {
						ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
						ch.read(buf, rs.getLong(2));
						String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
						int nl = text.indexOf('\n');
						if (nl < 0) {
							continue;
						}
						JsonNode line = mapper.readTree(text.substring(0, nl));
						if (line.path("timestamp").isTextual()) {
							assertThat(rs.getLong(3)).as(text.substring(0, Math.min(nl, 200)))
								.isEqualTo(Instant.parse(line.get("timestamp").asText()).toEpochMilli());
							checked++;
						}
					}
				}
			}
			assertThat(checked).isPositive();
		}
		// every stale segment (reset generations, shrunk ranges) is gone
		assertThat(this.app.getBean(JdbcClient.class).sql("""
				SELECT COUNT(*) FROM fact_segment s JOIN source_file f ON f.id = s.file_id
				WHERE s.generation <> f.generation OR s.to_offset > f.committed_offset
				""").query(Long.class).single()).isZero();
	}

	/**
	 * Starts the app on a project of two hand-set transcripts, outputs 5 (text "kept")
	 * and 7 (text "wombat"), and indexes them.
	 * @return the second transcript
	 */
	private Path keptAndGone(String project) throws Exception {
		Path kept = project(project).resolve("aaaaaaaa-0000-4000-8000-00000000000d.jsonl");
		Path gone = project(project).resolve("aaaaaaaa-0000-4000-8000-00000000000e.jsonl");
		Files.writeString(kept, usage("k1", "2026-11-02T10:00:00Z", 5, "\"kept\""));
		Files.writeString(gone, usage("g1", "2026-11-02T11:00:00Z", 7, "\"wombat\""));
		start();
		this.app.getBean(Indexer.class).scanAndIngest();
		return gone;
	}

	private Map<String, Object> onlyRow(List<String> groupBy, String project) throws Exception {
		List<Map<String, Object>> rows = rows(groupBy, project);
		assertThat(rows).hasSize(1);
		return rows.get(0);
	}

	private List<Map<String, Object>> rows(List<String> groupBy, String project) throws Exception {
		return this.app.getBean(QueryRunner.class)
			.run(QuerySpec.of(groupBy, null, null, null, project, null, null), 1)
			.rows();
	}

	private Map<String, Long> incremental(String project) {
		return this.app.getBean(JdbcClient.class)
			.sql("""
					SELECT COALESCE(SUM(messages), 0) AS messages, COALESCE(SUM(output_tokens), 0) AS output_tokens
					FROM source_file WHERE deleted = FALSE AND (CAST(:p AS VARCHAR) IS NULL OR project_dir = :p)
					""")
			.param("p", project)
			.query((rs, i) -> Map.of("messages", rs.getLong(1), "output_tokens", rs.getLong(2)))
			.single();
	}

	private Path project(String name) throws IOException {
		return Files.createDirectories(this.tmp.resolve("claude/projects").resolve(name));
	}

	private static void append(Path f, String text) throws IOException {
		Files.writeString(f, text, StandardOpenOption.APPEND);
	}

	private static void truncateToLineBoundary(Path f, Random random) throws IOException {
		byte[] bytes = Files.readAllBytes(f);
		List<Integer> ends = new ArrayList<>();
		for (int i = 0; i < bytes.length; i++) {
			if (bytes[i] == '\n') {
				ends.add(i + 1);
			}
		}
		int cut = ends.isEmpty() ? 0 : ends.get(random.nextInt(ends.size()));
		try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
			ch.truncate(cut);
		}
	}

	private static String usage(String id, String ts, int output, String content) {
		String timestamp = (ts != null) ? "\"timestamp\":\"" + ts + "\"," : "";
		return "{\"type\":\"assistant\"," + timestamp + "\"uuid\":\"u-" + id + "-" + output + "\",\"requestId\":\"r-"
				+ id + "\",\"message\":{\"id\":\"" + id
				+ "\",\"model\":\"claude-sonnet-4-5\",\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output
				+ "},\"content\":" + content + "}}\n";
	}

	private static String result(String toolUseId, boolean error, String ts) {
		return result(toolUseId, error, ts, "done");
	}

	/** A tool result whose content is {@code text} (JSON-escaped already). */
	private static String result(String toolUseId, boolean error, String ts, String text) {
		return "{\"type\":\"user\",\"timestamp\":\"" + ts + "\",\"uuid\":\"u-" + toolUseId
				+ "\",\"message\":{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\""
				+ toolUseId + "\",\"is_error\":" + error + ",\"content\":\"" + text + "\"}]}}\n";
	}

}
