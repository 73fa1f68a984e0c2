package dev.cctracer.db;

import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FileFactsRepository;
import dev.cctracer.db.file.FileAdvance;
import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.job.JobRequestRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.db.support.DirectBatch;
import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.db.usage.RollupKey;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.db.usage.UsageSums;
import dev.cctracer.shared.discovery.LogFile;
import dev.cctracer.shared.usage.LineCounters;
import dev.cctracer.shared.usage.SessionLabels;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same Flyway migrations and repositories on H2 (file mode, as shipped) and on a real
 * PostgreSQL 17 (embedded binaries from Maven Central): the schema behaves the same on
 * both.
 */
class RepositoriesOnH2AndPostgresTests {

	private static EmbeddedPostgres postgres;

	@TempDir
	static Path tmp;

	@BeforeAll
	static void startPostgres() throws Exception {
		postgres = EmbeddedPostgres.builder().setOverrideWorkingDirectory(tmp.resolve("pg").toFile()).start();
	}

	@AfterAll
	static void stopPostgres() throws Exception {
		if (postgres != null) {
			postgres.close();
		}
	}

	static Stream<String> databases() {
		return Stream.of("h2", "postgresql");
	}

	private static DataSource dataSource(String kind) throws SQLException {
		if (kind.equals("h2")) {
			JdbcDataSource h2 = new JdbcDataSource();
			// kept open between connections, as the app's pool keeps it: without a pool
			// each
			// close shut the database, and a reopen right after Flyway's migration once
			// missed the columns V4 had just added
			h2.setURL("jdbc:h2:file:" + tmp.resolve("h2-" + System.nanoTime())
					+ ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1");
			return h2;
		}
		DataSource pg = postgres.getPostgresDatabase();
		new JdbcTemplate(pg).execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
		return pg;
	}

	@ParameterizedTest
	@MethodSource("databases")
	void shouldMigrateAndBehaveTheSame(String kind) throws Exception {
		DataSource ds = dataSource(kind);
		Flyway.configure().dataSource(ds).load().migrate();
		JdbcClient jdbc = JdbcClient.create(ds);
		JdbcTemplate template = new JdbcTemplate(ds);
		SourceFileRepository files = new SourceFileRepository(jdbc, template);
		UsageCopyRepository copies = new UsageCopyRepository(jdbc, template);
		UsageRollupRepository rollups = new UsageRollupRepository(jdbc, template);
		MetaRepository meta = new MetaRepository(jdbc);
		TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));

		LogFile file = LogFile.classify(Path.of("/root-a"), "-p/aaaaaaaa-0000-4000-8000-000000000001.jsonl");
		long id = files.insert(file, "host", 10, 20);
		assertThat(files.insertAll(List.of(file), "host", List.of(new long[] { 1, 2 }))).isFalse();
		FileState state = files.findActiveByPath("host", "/root-a", file.relativePath()).orElseThrow();
		assertThat(state.id()).isEqualTo(id);
		assertThat(state.origin()).isEqualTo("host");
		// another machine with the same path is another file, and each sees only its own
		long other = files.insert(file, "laptop-2", 10, 20);
		assertThat(other).isNotEqualTo(id);
		assertThat(files.findActive("host")).extracting(FileState::id).containsExactly(id);
		assertThat(files.findActive("laptop-2")).extracting(FileState::id).containsExactly(other);
		assertThat(files.findActive()).hasSize(2);
		jdbc.sql("DELETE FROM source_file WHERE id = :id").param("id", other).update();

		// the guarded offset: the first move holds, a second one from the same offset
		// does not
		LineCounters counters = new LineCounters(3, 1, 0, 0, 2, 1, 0, 0, Boolean.TRUE);
		tx.executeWithoutResult((s) -> {
			meta.lockIngest("test");
			assertThat(files.advance(new FileAdvance(id, 0, 0, false, 100, 100, 5, "k", "h", 100, counters, 1000L,
					2000L, "s", "/cwd", 7)))
				.isTrue();
			assertThat(files.advance(new FileAdvance(id, 0, 0, false, 100, 100, 5, "k", "h", 100, counters, 1000L,
					2000L, "s", "/cwd", 7)))
				.isFalse();
			// one batch of several files' moves: a continuation (unknown timestamps,
			// session and cwd keep theirs) and a reset from a stale offset (refused)
			assertThat(files.advanceAll(List.of(
					new FileAdvance(id, 100, 0, false, 150, 150, 6, "k", "h", 100, counters, null, null, null, null, 8),
					new FileAdvance(id, 999, 0, true, 10, 10, 9, "k2", "h2", 10, counters, null, null, null, null, 9))))
				.containsExactly(true, false);
			// a reset that holds: counters start over, the generation moves on
			assertThat(files.advanceAll(List.of(new FileAdvance(id, 150, 0, true, 40, 40, 10, "k3", "h3", 40, "t3",
					counters, 5000L, 6000L, null, null, 10, SessionLabels.NONE))))
				.containsExactly(true);
			assertThat(files.findActiveByPath("host", "/root-a", file.relativePath()).orElseThrow())
				.extracting(FileState::headFingerprint, FileState::tailFingerprint)
				.containsExactly("h3", "t3");
			assertThat(jdbc
				.sql("SELECT lines, first_ts, last_ts, session_id, cwd, generation, committed_offset "
						+ "FROM source_file WHERE id = :id")
				.param("id", id)
				.query((rs, i) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getString(4), rs.getString(5),
						rs.getInt(6), rs.getLong(7)))
				.single()).containsExactly(3L, 5000L, 6000L, "aaaaaaaa-0000-4000-8000-000000000001", "/cwd", 1, 40L);
			jdbc.sql("UPDATE source_file SET generation = 0, committed_offset = 100 WHERE id = :id")
				.param("id", id)
				.update();
			meta.bumpDataVersion();
		});
		assertThat(meta.dataVersion()).isEqualTo(1);

		CopyRow a = new CopyRow(null, "msg_1", "req_1", id, 0, false, "", 1_000_000, "claude-opus-4-6", 1, 2, 3, 4, 5,
				false, 10, 20, 30, 40, null, true, true, "/root-a/x");
		CopyRow b = new CopyRow(null, null, "", id, 50, true, "agent", 2_000_000, "", 1, 1, 0, 0, 0, false, 0, 0, 0, 0,
				7L, false, false, "/root-a/x");
		copies.insert(List.of(a, b));
		List<CopyRow> found = copies.findByMessageIds(List.of("msg_1", "msg_unknown"));
		assertThat(found).singleElement().satisfies((c) -> {
			assertThat(c.requestId()).isEqualTo("req_1");
			assertThat(c.counted()).isTrue();
			assertThat(c.pathOrder()).isEqualTo("/root-a/-p/aaaaaaaa-0000-4000-8000-000000000001.jsonl");
		});

		UsageSums sums = new UsageSums();
		sums.add(found.get(0), 1);
		rollups.add(Map.of(RollupKey.of(found.get(0)), sums));
		rollups.add(Map.of(RollupKey.of(found.get(0)), sums));
		files.addTotals(Map.of(id, sums));
		assertThat(jdbc.sql("SELECT messages, cost_input FROM usage_rollup")
			.query((rs, i) -> rs.getLong(1) + "/" + rs.getLong(2))
			.single()).isEqualTo("2/20");
		// the global buckets follow every rollup write: summed over files and agents
		CopyRow sideMsg = new CopyRow(null, "msg_2", "req_2", id, 90, true, "agent", 1_000_500, "claude-opus-4-6", 0, 5,
				0, 0, 0, false, 0, 7, 0, 0, null, true, true, "/root-a/x");
		UsageSums side = new UsageSums();
		side.add(sideMsg, 1);
		rollups.add(Map.of(RollupKey.of(sideMsg), side));
		assertThat(jdbc.sql("SELECT bucket, model, messages, output_tokens, cost_input, cost_output FROM usage_bucket")
			.query((rs, i) -> rs.getLong(1) + "/" + rs.getString(2) + "/" + rs.getLong(3) + "/" + rs.getLong(4) + "/"
					+ rs.getLong(5) + "/" + rs.getLong(6))
			.single()).isEqualTo("900/claude-opus-4-6/3/9/20/47");
		rollups.add(Map.of(RollupKey.of(sideMsg), negated(side)));
		assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_rollup").query(Long.class).single()).isEqualTo(1);
		assertThat(jdbc.sql("SELECT messages, output_tokens, cost_output FROM usage_bucket")
			.query((rs, i) -> rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3))
			.single()).isEqualTo("2/4/40");
		// rebuilding from the counted copies gives one counted message again, in the same
		// bucket
		rollups.rebuildFromCopies();
		files.rebuildTotalsFromCopies();
		assertThat(jdbc.sql("SELECT bucket, messages, cost_cache_read FROM usage_rollup")
			.query((rs, i) -> rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3))
			.single()).isEqualTo("900/1/40");
		assertThat(jdbc.sql("SELECT bucket, messages, cost_cache_read FROM usage_bucket")
			.query((rs, i) -> rs.getLong(1) + "/" + rs.getLong(2) + "/" + rs.getLong(3))
			.single()).isEqualTo("900/1/40");
		assertThat(jdbc.sql("SELECT messages, output_tokens FROM source_file")
			.query((rs, i) -> rs.getLong(1) + "/" + rs.getLong(2))
			.single()).isEqualTo("1/2");
		// a deleted file leaves its active path free for a new file
		assertThat(files.markDeleted(id, 0, 9)).isTrue();
		assertThat(files.findActiveByPath("host", "/root-a", file.relativePath())).isEmpty();
		long again = files.insert(file, "host", 1, 1);
		assertThat(again).isNotEqualTo(id);
		// every file with its counted totals, the deleted one included (the verify's
		// list)
		assertThat(files.findAllCounted()).satisfiesExactly((c) -> {
			assertThat(c.state().id()).isEqualTo(id);
			assertThat(c.state().deleted()).isTrue();
			assertThat(c.state().pathOrder()).isEqualTo("/root-a/-p/aaaaaaaa-0000-4000-8000-000000000001.jsonl");
			assertThat(List.of(c.messages(), c.outputTokens())).containsExactly(1L, 2L);
		}, (c) -> {
			assertThat(c.state().id()).isEqualTo(again);
			assertThat(c.state().deleted()).isFalse();
			assertThat(c.messages()).isZero();
		});
		// a file's rollups removed (its reset): the global buckets lose what they added
		rollups.deleteByFile(id);
		assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_rollup").query(Long.class).single()).isZero();
		assertThat(jdbc.sql("SELECT COUNT(*) FROM usage_bucket").query(Long.class).single()).isZero();
	}

	private static UsageSums negated(UsageSums sums) {
		UsageSums n = new UsageSums();
		n.add(sums, -1);
		return n;
	}

	/**
	 * A job's result past 1,000,000 characters (an analytics query grouped by session and
	 * model over ~3,000 sessions was ~1 MB of JSON) is stored and read back whole (V15).
	 */
	@ParameterizedTest
	@MethodSource("databases")
	void shouldStoreAJobResultOfSeveralMegabytes(String kind) throws Exception {
		DataSource ds = dataSource(kind);
		Flyway.configure().dataSource(ds).load().migrate();
		JobRequestRepository jobs = new JobRequestRepository(JdbcClient.create(ds));
		jobs.insertIfAbsent("job-1", "query", "a query", 1, "{}");
		StringBuilder rows = new StringBuilder("{\"rows\":[");
		for (int i = 0; i < 12_000; i++) {
			rows.append((i > 0) ? "," : "")
				.append("{\"session\":\"")
				.append(String.format("%08d-0000-4000-8000-000000000000", i))
				.append("\",\"model\":\"claude-sonnet-4-5\",\"messages\":")
				.append(i)
				.append(",\"cost\":0.")
				.append(i)
				.append('}');
		}
		String json = rows.append("]}").toString();
		assertThat(json.length()).isGreaterThan(1_000_000);
		jobs.saveResult("job-1", json, 2);
		JobRequestRepository.JobRequestRow row = jobs.find("job-1").orElseThrow();
		assertThat(row.resultJson()).isEqualTo(json);
		assertThat(row.finishedAt()).isEqualTo(2);
		assertThat(jobs.requestText("job-1")).isEmpty();
	}

	@ParameterizedTest
	@MethodSource("databases")
	void shouldGiveRowsWithoutAnOriginToTheFirstOriginThatAsks(String kind) throws Exception {
		DataSource ds = dataSource(kind);
		Flyway.configure().dataSource(ds).load().migrate();
		SourceFileRepository files = new SourceFileRepository(JdbcClient.create(ds), new JdbcTemplate(ds));
		LogFile file = LogFile.classify(Path.of("/root-a"), "-p/aaaaaaaa-0000-4000-8000-000000000001.jsonl");
		long id = files.insert(file, "", 10, 20);
		assertThat(files.findActiveByPath("", "/root-a", file.relativePath())).isPresent();
		long elsewhere = files.insert(LogFile.classify(Path.of("/root-b"), file.relativePath()), "", 1, 1);
		assertThat(files.adoptUnowned("", List.of("/root-a"))).isZero();
		assertThat(files.adoptUnowned("my-host", List.of("/root-a"))).isEqualTo(1);
		// a row under a root this machine does not index may be another machine's: left
		// alone
		assertThat(files.findActiveByPath("", "/root-b", file.relativePath())).get()
			.extracting(FileState::id)
			.isEqualTo(elsewhere);
		assertThat(files.findActive("my-host")).extracting(FileState::id).containsExactly(id);
		assertThat(files.findActiveByPath("my-host", "/root-a", file.relativePath())).isPresent();
		assertThat(files.findActiveByPath("", "/root-a", file.relativePath())).isEmpty();
		assertThat(files.adoptUnowned("another-host", List.of("/root-a"))).isZero();
	}

	/**
	 * Unknown entry types over all files: lines without a type, stored as an empty name
	 * by versions before 2026-12-06 and as {@code (no type)} since, are one entry.
	 */
	@ParameterizedTest
	@MethodSource("databases")
	void shouldCountUnknownEntryTypesByNameWithLinesWithoutATypeAsOne(String kind) throws Exception {
		DataSource ds = dataSource(kind);
		Flyway.configure().dataSource(ds).load().migrate();
		JdbcTemplate template = new JdbcTemplate(ds);
		SourceFileRepository files = new SourceFileRepository(JdbcClient.create(ds), template);
		FileFactsRepository facts = new FileFactsRepository(JdbcClient.create(ds), new DirectBatch(template));
		long old = files.insert(LogFile.classify(Path.of("/root-a"), "-p/aaaaaaaa-0000-4000-8000-000000000001.jsonl"),
				"host", 10, 20);
		long recent = files.insert(
				LogFile.classify(Path.of("/root-a"), "-p/aaaaaaaa-0000-4000-8000-000000000002.jsonl"), "host", 10, 20);
		facts.addUnknownTypes(old, Map.of("", 2L, "fancy-new-entry", 1L));
		facts.addUnknownTypes(recent, Map.of("(no type)", 3L, "fancy-new-entry", 7L));
		assertThat(facts.unknownTypes()).containsExactly(Map.entry("fancy-new-entry", 8L), Map.entry("(no type)", 5L));
	}

	/**
	 * What a session's timeline from the facts asks: its transcript by project, session
	 * and agent, that file's current segments in order, and which of its lines are
	 * counted copies.
	 */
	@ParameterizedTest
	@MethodSource("databases")
	void shouldFindATranscriptItsSegmentsAndItsCountedLines(String kind) throws Exception {
		DataSource ds = dataSource(kind);
		Flyway.configure().dataSource(ds).load().migrate();
		JdbcClient jdbc = JdbcClient.create(ds);
		JdbcTemplate template = new JdbcTemplate(ds);
		SourceFileRepository files = new SourceFileRepository(jdbc, template);
		FactSegmentRepository segments = new FactSegmentRepository(jdbc);
		UsageCopyRepository copies = new UsageCopyRepository(jdbc, template);
		String session = "aaaaaaaa-0000-4000-8000-000000000001";
		long main = files.insert(LogFile.classify(Path.of("/root-a"), "-p/" + session + ".jsonl"), "box-b", 10, 20);
		long agent = files.insert(LogFile.classify(Path.of("/root-a"), "-p/" + session + "/subagents/agent-a1.jsonl"),
				"box-b", 10, 20);
		jdbc.sql("UPDATE source_file SET committed_offset = 300").update();
		for (long[] range : new long[][] { { 0, 100 }, { 100, 300 } }) {
			assertThat(segments.insert(new FactSegmentRepository.Segment(main, 0, range[0], range[1], "e-" + range[0],
					"t-" + range[0], 2, 10, 1L)))
				.isTrue();
		}

		assertThat(segments.sessionFile("-p", session, null)).get().satisfies((f) -> {
			assertThat(f.id()).isEqualTo(main);
			assertThat(f.origin()).isEqualTo("box-b");
			assertThat(f.covered()).isEqualTo(300);
			assertThat(f.segments()).isEqualTo(2);
		});
		assertThat(segments.sessionFile("-p", session, "a1")).get().satisfies((f) -> {
			assertThat(f.id()).isEqualTo(agent);
			assertThat(f.covered()).isZero();
		});
		assertThat(segments.sessionFile("-p", session, "a2")).isEmpty();
		assertThat(segments.sessionFile("-q", session, null)).isEmpty();
		assertThat(segments.currentSegments(main)).extracting(FactSegmentRepository.Segment::entriesPath)
			.containsExactly("e-0", "e-100");
		assertThat(segments.currentSegments(agent)).isEmpty();

		copies
			.insert(List.of(copy(main, 10, true), copy(main, 20, false), copy(main, 150, true), copy(agent, 10, true)));
		assertThat(copies.countedOffsets(main, 10, 150)).containsExactly(10L, 150L);
		assertThat(copies.countedOffsets(main, 11, 149)).isEmpty();
		// a deleted file keeps its segments and is still found (its history counts) ...
		jdbc.sql("UPDATE source_file SET deleted = TRUE WHERE id = :id").param("id", main).update();
		assertThat(segments.currentSegments(main)).extracting(FactSegmentRepository.Segment::entriesPath)
			.containsExactly("e-0", "e-100");
		assertThat(segments.sessionFile("-p", session, null)).get().satisfies((f) -> {
			assertThat(f.id()).isEqualTo(main);
			assertThat(f.deleted()).isTrue();
		});
		assertThat(segments.indexedFiles()).extracting(FactSegmentRepository.FactFile::id).contains(main, agent);
		// ... after a live transcript of the same session
		long live = files.insert(LogFile.classify(Path.of("/root-b"), "-p/" + session + ".jsonl"), "box-b", 10, 20);
		assertThat(segments.sessionFile("-p", session, null)).get().satisfies((f) -> {
			assertThat(f.id()).isEqualTo(live);
			assertThat(f.deleted()).isFalse();
		});
	}

	private static CopyRow copy(long fileId, long offset, boolean counted) {
		return new CopyRow(null, "msg_" + fileId + "_" + offset, "", fileId, offset, false, "", 1_000_000,
				"claude-opus-4-6", 1, 2, 0, 0, 0, false, 0, 0, 0, 0, null, true, counted, "/root-a/x");
	}

}
