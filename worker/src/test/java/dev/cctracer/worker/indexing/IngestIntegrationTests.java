package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.util.FileSystemUtils;

import dev.cctracer.db.usage.UsageSums;
import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.log.Usage;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.IngestFinished;
import dev.cctracer.worker.IngestReport;
import dev.cctracer.worker.StorageFault;
import dev.cctracer.worker.StorageHealth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * The ingest on a real H2 file and real transcripts: counting, incremental rules, failure
 * and restart.
 */
class IngestIntegrationTests {

	private static final String S1 = "aaaaaaaa-0000-4000-8000-000000000001";

	@TempDir
	Path tmp;

	private TracerContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	private Path claude() {
		return this.tmp.resolve("claude");
	}

	private Path projects() {
		return claude().resolve("projects");
	}

	/** 0: every commit uses (and, when stale, reloads) the in-memory known hashes. */
	private int knownHashesThreshold = 0;

	/** 0: every run into an empty {@code usage_copy} goes bulk; -1: the default. */
	private long bulkMinBytes = -1;

	/** The data dir under the temporary directory. */
	private String dataDir = "data";

	/**
	 * Transcripts moved away after the database read them: by full path, the bytes it
	 * read (its deleted rows keep them for the dedup rule; see {@link Rebuild}).
	 */
	private final Map<String, byte[]> deletedFiles = new TreeMap<>();

	/**
	 * For a test of an older migration that reads files again: the migrations it takes
	 * back are applied again after V18, which stays applied (V18 alone reads every file
	 * again, and would hide which files the older one marks).
	 */
	private static final String KEEP_V18 = "spring.flyway.out-of-order=true";

	private TracerContext start(String... extraProperties) {
		this.app = TracerContext.start(claude(), this.tmp.resolve(this.dataDir), extraProperties);
		this.app.ingest().knownHashesThreshold(this.knownHashesThreshold);
		if (this.bulkMinBytes >= 0) {
			this.app.ingest().bulkMinBytes(this.bulkMinBytes);
		}
		return this.app;
	}

	private boolean hashIndexExists() {
		return this.app.jdbc()
			.sql("SELECT COUNT(*) FROM INFORMATION_SCHEMA.INDEXES WHERE INDEX_NAME = 'IX_USAGE_COPY_MSG_HASH'")
			.query(Long.class)
			.single() == 1;
	}

	/** Waits for the background build that follows a bulk first index. */
	private void awaitHashIndex() {
		await().atMost(Duration.ofSeconds(30)).until(() -> !this.app.ingest().buildingHashIndex());
		assertThat(hashIndexExists()).isTrue();
	}

	private void restart() {
		this.app.close();
		start();
	}

	/**
	 * A transcript deleted and put back at the same path — copied back (a new file) or
	 * moved away and back (the same file) — is the same file row again, counted once: a
	 * second row for the path lost the dedup's tie to the deleted one, whose copies the
	 * totals keep (Claude Code's cleanup), so the session's page said "a copy" on every
	 * response, its tools 0, while the entry export counted both (a trial).
	 */
	@Test
	void aTranscriptDeletedAndPutBackIsTheSameFileCountedOnce() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), claude());
		start().indexer().scanAndIngest();
		Map<String, long[]> before = dbTotals();
		String rel = RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + ".jsonl";
		Path file = projects().resolve(rel);
		Path aside = this.tmp.resolve("aside.jsonl");
		for (boolean copiedBack : new boolean[] { true, false }) {
			Files.move(file, aside);
			this.app.indexer().scanAndIngest();
			assertThat(this.app.jdbc()
				.sql("SELECT COUNT(*) FROM source_file WHERE rel_path = :p AND deleted = FALSE")
				.param("p", rel)
				.query(Long.class)
				.single()).isZero();
			if (copiedBack) {
				Files.copy(aside, file);
				Files.delete(aside);
			}
			else {
				Files.move(aside, file);
			}
			// found by the watcher (registered before any scan saw its size), or by a
			// scan
			if (copiedBack) {
				this.app.indexer().ingestPaths(List.of(file));
			}
			else {
				this.app.indexer().scanAndIngest();
			}
			assertThat(this.app.jdbc()
				.sql("SELECT COUNT(*) FROM source_file WHERE rel_path = :p")
				.param("p", rel)
				.query(Long.class)
				.single()).as("rows of the path, copied back: %s", copiedBack).isEqualTo(1);
			assertThat(dbTotals()).as("copied back: %s", copiedBack).containsOnlyKeys(before.keySet());
			assertThat(dbTotals().get(rel)).containsExactly(before.get(rel));
			assertMatchesRebuild();
		}
	}

	@Test
	void shouldPinTheRealTranscriptsPerFileToTheHandCheckedNumbers() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), claude());
		start().indexer().scanAndIngest();
		Map<String, long[]> db = dbTotals();
		// numbers from shared/src/test/python/handcheck.py over the same layout (see
		// RealDataCountingTests)
		assertThat(db.get("-home-marco-projects-spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04.jsonl"))
			.containsExactly(217, 242, 49467, 237121, 0, 16553628);
		assertThat(db
			.get("-home-marco-projects-spotter/ae4a77f8-aedd-4bc1-888f-c94edc91af04/subagents/agent-aac57f5.jsonl"))
			.containsExactly(3, 2408, 7, 18814, 0, 29274);
		assertThat(db
			.get("-home-marco-projects-spotter/6c2214d7-b87e-4432-8e41-22ba294ea584/subagents/agent-afc096d.jsonl"))
			.containsExactly(18, 219, 28, 0, 39438, 457858);
		assertThat(db.get("-path-to-Demo/fe5e1c67-53e7-4862-81ae-d0e013e3270b.jsonl")).containsExactly(170, 818, 51933,
				137976, 0, 3647854);
		assertThat(db.get("-Users-chip-dev-ai-music/d3ad4cdc-5657-435d-98fa-0035d53e383d.jsonl")).containsExactly(62,
				114, 16769, 174552, 0, 3754072);
		assertThat(db.get("-edge-cases/11111111-2222-3333-4444-555555555555.jsonl")).containsExactly(4, 488, 435, 0, 0,
				0);
		assertThat(this.app.jdbc()
			.sql("SELECT invalid_lines, unknown_type_lines FROM source_file WHERE rel_path LIKE '-edge-cases/%'")
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single()).containsExactly(3, 1);
		// the orphan subagent belongs to the session of its directory
		assertThat(this.app.jdbc()
			.sql("SELECT session_id FROM source_file WHERE rel_path LIKE '%agent-afc096d.jsonl'")
			.query(String.class)
			.single()).isEqualTo(RealDataLayout.ORPHAN_SESSION);
		assertMatchesRebuild();
		// a second scan finds nothing changed: every file counted as unchanged, none read
		long files = this.app.jdbc().sql("SELECT COUNT(*) FROM source_file").query(Long.class).single();
		IngestReport again = this.app.indexer().scanAndIngest();
		assertThat(again.read()).isZero();
		assertThat(again.unchanged()).isEqualTo(files).isEqualTo(again.files());
	}

	@Test
	void shouldKeepTwoMachinesWithTheSamePathsApartInOneDatabase() throws Exception {
		String s2 = "aaaaaaaa-0000-4000-8000-000000000002";
		Path shared = projects().resolve("-home-me-repo/" + S1 + ".jsonl");
		Path onlyA = projects().resolve("-home-me-repo/" + s2 + ".jsonl");
		Files.createDirectories(shared.getParent());
		Files.writeString(shared, assistant("a1", "r1", 10, S1, false));
		Files.writeString(onlyA, assistant("a2", "r2", 20, s2, false));
		this.app = TracerContext.start(claude(), this.tmp.resolve("data"), "cctracer.origin=laptop-a");
		this.app.indexer().scanAndIngest();
		this.app.close();
		// machine B: the same root and the same path, its own content; A's second file is
		// not on its disk
		Files.delete(onlyA);
		Files.writeString(shared, assistant("b1", "r3", 300, S1, false));
		this.app = TracerContext.start(claude(), this.tmp.resolve("data"), "cctracer.origin=laptop-b");
		this.app.indexer().scanAndIngest();
		// B's own ingest asked for A's files: skipped, never opened or marked deleted
		List<Long> ofA = this.app.jdbc()
			.sql("SELECT id FROM source_file WHERE origin = 'laptop-a'")
			.query(Long.class)
			.list();
		assertThat(ofA).hasSize(2);
		this.app.ingest().ingest(ofA);
		assertThat(this.app.jdbc()
			.sql("SELECT origin, deleted, output_tokens FROM source_file ORDER BY origin, output_tokens")
			.query((rs, i) -> rs.getString(1) + " " + rs.getBoolean(2) + " " + rs.getLong(3))
			.list()).containsExactly("laptop-a false 10", "laptop-a false 20", "laptop-b false 300");
		assertThat(this.app.jdbc().sql("SELECT SUM(messages) FROM usage_rollup").query(Long.class).single())
			.isEqualTo(3);
		assertThat(this.app.ingest().filesOpened()).isEqualTo(1);
	}

	/**
	 * The benchmark's default data, shaped like real transcripts (responses of one to
	 * three lines, log-normal tool results, several progress lines a turn, resumed
	 * sessions), is counted exactly as the generator's own ledger counted it.
	 */
	@Test
	void shouldCountTheCalibratedShapeAsItsGroundTruth() throws Exception {
		DatasetGenerator.Spec spec = new DatasetGenerator.Spec(3, 4, 12, 1000, 11,
				Instant.parse("2026-03-01T22:30:00Z"), DatasetGenerator.Shape.CALIBRATED);
		GroundTruth truth = new DatasetGenerator(spec).generate(claude());
		assertThat(truth.global.messages).isGreaterThan(100);
		start().indexer().scanAndIngest();
		assertThat(this.app.jdbc()
			.sql("""
					SELECT SUM(messages), SUM(input_tokens), SUM(output_tokens), SUM(cache_write_5m),
					  SUM(cache_write_1h), SUM(cache_read), SUM(lines), SUM(invalid_lines) FROM source_file
					""")
			.query((rs, i) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
					rs.getLong(6), rs.getLong(7), rs.getLong(8)))
			.single()).containsExactly(truth.global.messages, truth.global.usage.input(), truth.global.usage.output(),
					truth.global.usage.cacheWrite5m(), truth.global.usage.cacheWrite1h(),
					truth.global.usage.cacheRead(), truth.lines, truth.invalidLines);
	}

	/**
	 * A bulk first index (the message-hash index dropped, stored copies found through
	 * their files) counts the calibrated shape, resumed sessions and all, as its ground
	 * truth, builds the index at its end, and later runs find copies by hash again.
	 */
	@Test
	void shouldCountABulkFirstIndexAsItsGroundTruthAndBuildTheIndexAfter() throws Exception {
		// a seed whose resumed sessions copy responses across files
		DatasetGenerator.Spec spec = new DatasetGenerator.Spec(3, 4, 12, 1000, 12,
				Instant.parse("2026-03-01T22:30:00Z"), DatasetGenerator.Shape.CALIBRATED);
		GroundTruth truth = new DatasetGenerator(spec).generate(claude());
		assertThat(truth.crossFileCopies).isGreaterThan(0);
		this.bulkMinBytes = 0;
		// small batches: many commits, copies of earlier commits looked up in each
		start("cctracer.ingest.batch-files=2");
		List<Boolean> indexDuringCommits = new CopyOnWriteArrayList<>();
		this.app.ingest().beforeCommit(() -> indexDuringCommits.add(hashIndexExists()));
		this.app.indexer().scanAndIngest();
		assertThat(indexDuringCommits).hasSizeGreaterThan(10).containsOnly(false);
		// copies of resumed sessions were found through the files the bulk mapped
		assertThat(this.app.ingest().bulkPlaceLookups()).isPositive();
		awaitHashIndex();
		assertThat(this.app.jdbc()
			.sql("""
					SELECT SUM(messages), SUM(input_tokens), SUM(output_tokens), SUM(cache_write_5m),
					  SUM(cache_write_1h), SUM(cache_read) FROM source_file
					""")
			.query((rs, i) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
					rs.getLong(6)))
			.single()).containsExactly(truth.global.messages, truth.global.usage.input(), truth.global.usage.output(),
					truth.global.usage.cacheWrite5m(), truth.global.usage.cacheWrite1h(),
					truth.global.usage.cacheRead());
		assertMatchesRebuild();
		// the table is not empty any more: the next run keeps the index and rules new ids
		// out with the known hashes the bulk left (complete, or copies would count
		// twice); copies of responses of other files appended to a file count once
		indexDuringCommits.clear();
		long fileId = this.app.jdbc()
			.sql("SELECT MIN(file_id) FROM usage_copy WHERE sidechain = FALSE")
			.query(Long.class)
			.single();
		String relPath = this.app.jdbc()
			.sql("SELECT rel_path FROM source_file WHERE id = :id")
			.param("id", fileId)
			.query(String.class)
			.single();
		StringBuilder later = new StringBuilder(assistant("m-new", "r-new", 5, S1, false));
		for (String copied : this.app.jdbc()
			.sql("SELECT msg_id FROM usage_copy WHERE counted = TRUE AND file_id <> :id ORDER BY id LIMIT 20")
			.param("id", fileId)
			.query(String.class)
			.list()) {
			later.append(assistant(copied, "r-later", 1, S1, false));
		}
		Files.writeString(projects().resolve(relPath), later, StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(indexDuringCommits).isNotEmpty().containsOnly(true);
		assertMatchesRebuild();
	}

	/**
	 * The message-hash index of a bulk first index is built after the run has returned: a
	 * run that commits before it exists finds stored copies through the bulk's places (a
	 * copied response counts once, a new one once), and runs after it by hash.
	 */
	@Test
	void shouldCountRunsThatCommitBeforeTheBulksIndexIsBuilt() throws Exception {
		DatasetGenerator.Spec spec = new DatasetGenerator.Spec(2, 3, 8, 1000, 12, Instant.parse("2026-03-01T22:30:00Z"),
				DatasetGenerator.Shape.CALIBRATED);
		new DatasetGenerator(spec).generate(claude());
		this.bulkMinBytes = 0;
		start("cctracer.ingest.batch-files=2");
		CountDownLatch release = new CountDownLatch(1);
		this.app.ingest().beforeHashIndexBuild(() -> {
			try {
				release.await(5, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		});
		try {
			this.app.indexer().scanAndIngest();
			assertThat(this.app.ingest().buildingHashIndex()).isTrue();
			assertThat(hashIndexExists()).isFalse();
			long lookupsAfterBulk = this.app.ingest().bulkPlaceLookups();
			// a file repeats two stored responses of another file and adds a new one
			List<List<String>> stored = this.app.jdbc().sql("""
					SELECT msg_id, req_id FROM usage_copy
					WHERE counted = TRUE AND msg_id IS NOT NULL AND sidechain = FALSE AND output_tokens > 10
					ORDER BY id LIMIT 2
					""").query((rs, i) -> List.of(rs.getString(1), rs.getString(2))).list();
			assertThat(stored).hasSize(2);
			String late = "bbbbbbbb-0000-4000-8000-000000000002";
			StringBuilder copy = new StringBuilder(assistant("m-during", "r-during", 9, late, false));
			for (List<String> key : stored) {
				copy.append(assistant(key.get(0), key.get(1), 1, late, false));
			}
			Files.writeString(mainFile("-late", late), copy);
			List<Boolean> indexDuringCommits = new CopyOnWriteArrayList<>();
			this.app.ingest().beforeCommit(() -> indexDuringCommits.add(hashIndexExists()));
			this.app.indexer().scanAndIngest();
			assertThat(indexDuringCommits).containsExactly(false);
			assertThat(this.app.ingest().bulkPlaceLookups()).isGreaterThan(lookupsAfterBulk);
			// the new response counts; the two copies do not (stored copies first)
			assertThat(dbTotals().get("-late/" + late + ".jsonl")).containsExactly(1, 1, 9, 0, 0, 0);
			assertMatchesRebuild();
			release.countDown();
			awaitHashIndex();
			// after the build, by hash: a copy of a bulk's response and one of the
			// response stored while the build waited, in a file of their own (the known
			// hashes the build left must hold both, or the copies would count again)
			indexDuringCommits.clear();
			String after = "bbbbbbbb-0000-4000-8000-000000000003";
			Files.writeString(mainFile("-after", after),
					assistant(stored.get(0).get(0), stored.get(0).get(1), 1, after, false)
							+ assistant("m-during", "r-during", 1, after, false));
			this.app.indexer().scanAndIngest();
			assertThat(indexDuringCommits).containsExactly(true);
			assertThat(dbTotals().get("-after/" + after + ".jsonl")).containsExactly(0, 0, 0, 0, 0, 0);
			assertThat(dbTotals().get("-late/" + late + ".jsonl")).containsExactly(1, 1, 9, 0, 0, 0);
			for (String id : List.of(stored.get(0).get(0), "m-during")) {
				assertThat(this.app.jdbc()
					.sql("SELECT COUNT(*) FROM usage_copy WHERE msg_id = :id AND counted = TRUE")
					.param("id", id)
					.query(Long.class)
					.single()).as(id).isEqualTo(1);
			}
			assertMatchesRebuild();
		}
		finally {
			release.countDown();
		}
	}

	/**
	 * A crash during a bulk first index leaves the index missing: the next run builds it
	 * before its first commit.
	 */
	@Test
	void shouldBuildAMissingHashIndexBeforeTheNextRun() throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file, assistant("m1", "r1", 10, S1, false));
		start().indexer().scanAndIngest();
		this.app.jdbc().sql("DROP INDEX ix_usage_copy_msg_hash").update();
		restart();
		Files.writeString(file, assistant("m1", "r1", 12, S1, false), StandardOpenOption.APPEND);
		List<Boolean> indexDuringCommits = new CopyOnWriteArrayList<>();
		this.app.ingest().beforeCommit(() -> indexDuringCommits.add(hashIndexExists()));
		this.app.indexer().scanAndIngest();
		assertThat(indexDuringCommits).containsExactly(true);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 12, 0, 0, 0);
		assertMatchesRebuild();
	}

	/**
	 * Another process commits between two commits of a bulk first index: the bulk stops
	 * trusting its places and builds the index before its next commit, and a response
	 * both processes read counts once.
	 */
	@Test
	void shouldEndABulkFirstIndexWhenAnotherProcessCommitsDuringIt() throws Exception {
		Path dir = Files.createDirectories(projects().resolve("-home-me-repo"));
		for (int i = 0; i < 6; i++) {
			String session = String.format("cccccccc-0000-4000-8000-%012d", i);
			// each file repeats the previous file's response (a resumed session)
			String resumed = (i > 0) ? assistant("m" + (i - 1), "r", 7, session, false) : "";
			Files.writeString(dir.resolve(session + ".jsonl"),
					resumed + assistant("m" + i, "r", 10 + i, session, false));
		}
		Path otherClaude = this.tmp.resolve("other");
		Path otherDir = Files.createDirectories(otherClaude.resolve("projects/-home-me-other"));
		Files.writeString(otherDir.resolve(S1 + ".jsonl"), assistant("m3", "r", 10, S1, false));
		this.bulkMinBytes = 0;
		start("cctracer.ingest.batch-files=1");
		List<String> events = new CopyOnWriteArrayList<>();
		try (TracerContext b = TracerContext.start(otherClaude, this.tmp.resolve("data"))) {
			this.app.ingest().beforeCommit(() -> events.add("commit, index " + hashIndexExists()));
			this.app.ingest().afterCommit(() -> {
				if (!events.contains("other")) {
					try {
						b.indexer().scanAndIngest();
					}
					catch (InterruptedException ex) {
						throw new IllegalStateException(ex);
					}
					events.add("other");
				}
			});
			this.app.indexer().scanAndIngest();
		}
		// the first commit in bulk; the other process's commit; then the index is back
		assertThat(events.subList(0, 2)).containsExactly("commit, index false", "other");
		assertThat(events.subList(2, events.size())).hasSize(5).containsOnly("commit, index true");
		// m0..m5 once each, with the largest output of their copies (m3 is in both
		// machines' files)
		assertThat(this.app.jdbc()
			.sql("SELECT SUM(messages), SUM(output_tokens) FROM source_file")
			.query((rs, i) -> List.of(rs.getLong(1), rs.getLong(2)))
			.single()).containsExactly(6L, (long) (10 + 11 + 12 + 13 + 14 + 15));
	}

	/**
	 * An H2 file other processes may open ({@code AUTO_SERVER}, docs/operations.md) never
	 * goes bulk: another process would look copies up without the index.
	 */
	@Test
	void shouldNotGoBulkOnAnH2FileSharedWithOtherProcesses() throws Exception {
		Files.writeString(mainFile("-p", S1), assistant("m1", "r1", 10, S1, false));
		this.app = TracerContext.startWithArgs(claude(), this.tmp.resolve("data"),
				"--spring.datasource.url=jdbc:h2:file:" + this.tmp.resolve("data/db/cctracer")
						+ ";AUTO_SERVER=TRUE;MAX_COMPACT_TIME=0;LOCK_TIMEOUT=60000");
		this.app.ingest().bulkMinBytes(0);
		List<Boolean> indexDuringCommits = new CopyOnWriteArrayList<>();
		this.app.ingest().beforeCommit(() -> indexDuringCommits.add(hashIndexExists()));
		this.app.indexer().scanAndIngest();
		assertThat(indexDuringCommits).containsExactly(true);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 10, 0, 0, 0);
	}

	/**
	 * A commit of a bulk first index fails: nothing committed is lost, the index is built
	 * at the end of the failed run, and the next run (the table is not empty any more)
	 * finishes the first index exactly.
	 */
	@Test
	void shouldLoseNothingWhenACommitOfABulkFirstIndexFails() throws Exception {
		DatasetGenerator.Spec spec = new DatasetGenerator.Spec(2, 3, 8, 1000, 7, Instant.parse("2026-03-01T22:30:00Z"),
				DatasetGenerator.Shape.CALIBRATED);
		GroundTruth truth = new DatasetGenerator(spec).generate(claude());
		this.bulkMinBytes = 0;
		start("cctracer.ingest.batch-files=2");
		AtomicInteger commits = new AtomicInteger();
		this.app.ingest().beforeCommit(() -> {
			if (commits.incrementAndGet() == 3) {
				throw new IllegalStateException("injected failure in a bulk commit");
			}
		});
		assertThatThrownBy(() -> this.app.indexer().scanAndIngest()).hasMessageContaining("injected");
		awaitHashIndex();
		assertThat(this.app.jdbc().sql("SELECT COUNT(*) FROM usage_copy").query(Long.class).single()).isPositive();
		this.app.indexer().scanAndIngest();
		assertThat(this.app.jdbc()
			.sql("SELECT SUM(messages), SUM(output_tokens), SUM(cache_read) FROM source_file")
			.query((rs, i) -> List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3)))
			.single())
			.containsExactly(truth.global.messages, truth.global.usage.output(), truth.global.usage.cacheRead());
		assertMatchesRebuild();
	}

	@Test
	void shouldTakeTheSessionOfALegacyFlatAgentFileFromItsLines() throws Exception {
		Path legacy = projects().resolve("-p/agent-legacy1.jsonl");
		Files.createDirectories(legacy.getParent());
		Files.writeString(legacy, assistant("m1", "r1", 10, S1, true));
		start().indexer().scanAndIngest();
		assertThat(this.app.jdbc()
			.sql("SELECT kind, session_id, agent_id, messages FROM source_file")
			.query((rs, i) -> rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getLong(4))
			.single()).isEqualTo("LEGACY_AGENT " + S1 + " legacy1 1");
	}

	@Test
	void shouldAnnounceTheEndOfARunThatReadFiles() throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file, assistant("m1", "r1", 10, S1, false));
		List<IngestFinished> runs = new CopyOnWriteArrayList<>();
		ApplicationListener<ApplicationEvent> listener = (e) -> {
			if (e instanceof PayloadApplicationEvent<?> p && p.getPayload() instanceof IngestFinished run) {
				runs.add(run);
			}
		};
		start().context.addApplicationListener(listener);
		this.app.indexer().scanAndIngest();
		assertThat(runs).containsExactly(new IngestFinished(1, Files.size(file)));
		// nothing new: no run to announce
		this.app.indexer().scanAndIngest();
		assertThat(runs).hasSize(1);
	}

	@Test
	void shouldCountAPartialLineOnceWhenItCompletes() throws Exception {
		Path file = mainFile("-p", S1);
		String line = assistant("m1", "r1", 10, S1, false);
		Files.writeString(file, line.substring(0, 40));
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")[0]).isZero();
		Files.writeString(file, line.substring(40), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 10, 0, 0, 0);
	}

	@Test
	void shouldKeepTheMaxTokenCopyWhenTheFinalStreamedLineArrivesLater() throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file, assistant("m1", "r1", 1, S1, false));
		start().indexer().scanAndIngest();
		Files.writeString(file, assistant("m1", "r1", 500, S1, false), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 500, 0, 0, 0);
		assertMatchesRebuild();
	}

	/**
	 * A copytruncate rotation (vector-test-harness's {@code file_rotate_truncate}): the
	 * transcript copied to a new path inside the projects dir, the original cut to
	 * nothing, then a line of its own written to each. The copied history counts once
	 * (its responses are the same messages), and each new line once.
	 */
	@Test
	void shouldCountACopyTruncateRotationOnce() throws Exception {
		String s2 = "aaaaaaaa-0000-4000-8000-000000000002";
		Path file = mainFile("-p", S1);
		Files.writeString(file, assistant("m1", "r1", 10, S1, false) + assistant("m2", "r2", 20, S1, false)
				+ assistant("m3", "r3", 30, S1, false));
		start().indexer().scanAndIngest();
		Path copy = projects().resolve("-p/" + s2 + ".jsonl");
		Files.copy(file, copy);
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
			ch.truncate(0);
		}
		Files.writeString(file, assistant("m4", "r4", 4, S1, false), StandardOpenOption.APPEND);
		Files.writeString(copy, assistant("m5", "r5", 5, S1, false), StandardOpenOption.APPEND);
		IngestReport rotated = this.app.indexer().scanAndIngest();
		assertThat(rotated.resets()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 4, 0, 0, 0);
		assertThat(dbTotals().get("-p/" + s2 + ".jsonl")).containsExactly(4, 4, 65, 0, 0, 0);
		assertThat(this.app.jdbc().sql("SELECT SUM(output_tokens) FROM usage_rollup").query(Long.class).single())
			.isEqualTo(69);
		assertMatchesRebuild();
	}

	@Test
	void shouldMoveACountedResponseToTheWinningCopyInAnotherFileAndBackAfterATruncation() throws Exception {
		String s2 = "aaaaaaaa-0000-4000-8000-000000000002";
		Path a = mainFile("-p", s2);
		Path b = mainFile("-p", S1);
		Files.writeString(a, assistant("m1", "r1", 5, s2, false));
		start().indexer().scanAndIngest();
		// S1 sorts first: its equal copy wins the tie, and the count moves there
		Files.writeString(b, assistant("m1", "r1", 5, S1, false));
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")[0]).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + s2 + ".jsonl")[0]).isZero();
		// truncating S1 gives the count back to the other copy
		Files.writeString(b, "");
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")[0]).isZero();
		assertThat(dbTotals().get("-p/" + s2 + ".jsonl")[0]).isEqualTo(1);
		assertMatchesRebuild();
	}

	/**
	 * A project dir renamed on disk (or copied under a new name and the old one removed):
	 * its transcripts' copies tie with the deleted rows' and count in the project as it
	 * is now, tool calls included, though the old dir is first in path order (they stayed
	 * with the old dir, its page showing the whole history and the new one nothing). Put
	 * back at the old path beside the new, the old rows live again and path order breaks
	 * the ties again. Hand-set: outputs 5 (two tool calls) and 7.
	 */
	@Test
	void shouldCountAMovedProjectDirUnderItsNewName() throws Exception {
		Path old = mainFile("-a-old", S1);
		Files.writeString(old, assistant("m1", "r1", 5, S1, false, 2) + assistant("m2", "r2", 7, S1, false));
		start().indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(2L, 12L, 2L)));
		byte[] bytes = Files.readAllBytes(old);
		Path renamed = projects().resolve("-b-new");
		Files.move(old.getParent(), renamed);
		this.app.indexer().scanAndIngest();
		this.deletedFiles.put(old.toString(), bytes);
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(0L, 0L, 0L)),
				entry("-b-new", List.of(2L, 12L, 2L)));
		assertMatchesRebuild();
		// a restart changes nothing (the rule is the stored state's, not the process's)
		restart();
		this.app.indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(0L, 0L, 0L)),
				entry("-b-new", List.of(2L, 12L, 2L)));
		// copied back to the old path: that row lives again, first in path order
		Files.createDirectories(old.getParent());
		Files.copy(renamed.resolve(old.getFileName()), old);
		this.app.indexer().scanAndIngest();
		this.deletedFiles.remove(old.toString());
		assertThat(this.app.jdbc().sql("SELECT COUNT(*) FROM source_file").query(Long.class).single()).isEqualTo(2);
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(2L, 12L, 2L)),
				entry("-b-new", List.of(0L, 0L, 0L)));
		assertMatchesRebuild();
		// and removed again: the new dir counts them again
		FileSystemUtils.deleteRecursively(old.getParent());
		this.app.indexer().scanAndIngest();
		this.deletedFiles.put(old.toString(), bytes);
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(0L, 0L, 0L)),
				entry("-b-new", List.of(2L, 12L, 2L)));
		assertMatchesRebuild();
	}

	/**
	 * The upgrade to V13 on a database as V12 left it: a project dir renamed, its deleted
	 * rows keeping the ties (first in path order). The migration marks the one file on
	 * disk that shares responses with a deleted one, the log says so, and the next scan
	 * reads it again from its start: its ties go to it, as if the new rule had always
	 * held. Hand-set: outputs 5 (two tool calls) and 7.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldGiveTheTiesOfDeletedFilesToFilesOnDiskAfterTheUpgrade(CapturedOutput output) throws Exception {
		Path old = mainFile("-a-old", S1);
		Path kept = mainFile("-b-new", S1);
		Files.writeString(old, assistant("m1", "r1", 5, S1, false, 2) + assistant("m2", "r2", 7, S1, false));
		Files.copy(old, kept, StandardCopyOption.REPLACE_EXISTING);
		Files.writeString(mainFile("-c-other", "aaaaaaaa-0000-4000-8000-000000000009"),
				assistant("m3", "r3", 3, S1, false));
		start().indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsEntry("-a-old", List.of(2L, 12L, 2L))
			.containsEntry("-b-new", List.of(0L, 0L, 0L));
		// the old dir removed, as V12 marked it: deleted, its ties kept
		this.deletedFiles.put(old.toString(), Files.readAllBytes(old));
		FileSystemUtils.deleteRecursively(old.getParent());
		this.app.jdbc()
			.sql("UPDATE source_file SET deleted = TRUE, deleted_at = 0, active_path_key = NULL"
					+ " WHERE project_dir = '-a-old'")
			.update();
		this.app.jdbc().sql("ALTER TABLE job_request ALTER COLUMN result_json SET DATA TYPE VARCHAR(1000000)").update();
		undoV17();
		this.app.jdbc()
			.sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('13', '14', '15', '16', '17')")
			.update();
		this.app.close();
		start("logging.level.dev.cctracer.worker.startup=INFO", KEEP_V18);
		assertThat(output).contains("schema 13 (a deleted transcript's copies now lose the dedup's ties to copies "
				+ "on disk): 1 transcript(s) on disk are read again from their start");
		this.app.indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(0L, 0L, 0L)),
				entry("-b-new", List.of(2L, 12L, 2L)), entry("-c-other", List.of(1L, 3L, 0L)));
		assertMatchesRebuild();
	}

	/**
	 * The upgrade to V14: a copy stored with a count no response has (as a line of
	 * {@code 1e30} tokens was stored before, as {@code Long.MAX_VALUE}) marks its file on
	 * disk, the log says so, and the next scan reads it again from its start, counting it
	 * as its lines are now read; the other file is not read again.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldReadAgainTheFilesThatStoredACountNoResponseHasAfterTheUpgrade(CapturedOutput output) throws Exception {
		Path garbage = mainFile("-p", S1);
		Files.writeString(garbage, assistant("m1", "r1", 5, S1, false) + assistant("m2", "r2", 7, S1, false));
		Path other = mainFile("-q", "aaaaaaaa-0000-4000-8000-000000000002");
		Files.writeString(other, assistant("m3", "r3", 3, S1, false));
		start().indexer().scanAndIngest();
		Map<String, long[]> counted = dbTotals();
		// as a version before V14 stored a line of 1e30 output tokens
		this.app.jdbc().sql("UPDATE usage_copy SET output_tokens = 9223372036854775807 WHERE msg_id = 'm2'").update();
		this.app.jdbc()
			.sql("UPDATE source_file SET output_tokens = 9223372036854775807 WHERE project_dir = '-p'")
			.update();
		this.app.jdbc().sql("ALTER TABLE job_request ALTER COLUMN result_json SET DATA TYPE VARCHAR(1000000)").update();
		undoV17();
		this.app.jdbc()
			.sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('14', '15', '16', '17')")
			.update();
		this.app.close();
		start("logging.level.dev.cctracer.worker.startup=INFO", KEEP_V18);
		assertThat(output).contains("schema 14 (a line with a count no response has is now invalid): "
				+ "1 transcript(s) on disk are read again from their start");
		long opened = this.app.ingest().filesOpened();
		this.app.indexer().scanAndIngest();
		assertThat(this.app.ingest().filesOpened() - opened).isOne();
		assertThat(dbTotals()).usingRecursiveComparison().isEqualTo(counted);
		assertMatchesRebuild();
	}

	/**
	 * The upgrade to V19: a line whose logged cost no line can have ({@code costUSD:-1})
	 * had been invalid, its tokens lost; it now counts without the cost. The files on
	 * disk with an invalid line are read again from their start (the log says so), the
	 * others not, and the totals are those of a rebuild: 12 output tokens, both lines.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldCountALineWithALoggedCostNoLineHasAndReadItsFileAgainAfterTheUpgrade(CapturedOutput output)
			throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file, assistant("m1", "r1", 5, S1, false)
				+ assistant("m2", "r2", 7, S1, false).replaceFirst("^\\{", "{\"costUSD\":-1,"));
		Files.writeString(mainFile("-q", "aaaaaaaa-0000-4000-8000-000000000002"), assistant("m3", "r3", 3, S1, false));
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 12, 0, 0, 0);
		assertMatchesRebuild();
		// as a version before V19 read it: the line invalid
		this.app.jdbc().sql("UPDATE source_file SET invalid_lines = 1 WHERE project_dir = '-p'").update();
		this.app.jdbc().sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '19'").update();
		this.app.close();
		start("logging.level.dev.cctracer.worker.startup=INFO", KEEP_V18);
		assertThat(output).contains("schema 19 (a logged cost no line has is now read as none, and its line's tokens "
				+ "count): 1 transcript(s) on disk are read again from their start");
		long opened = this.app.ingest().filesOpened();
		this.app.indexer().scanAndIngest();
		assertThat(this.app.ingest().filesOpened() - opened).isOne();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 12, 0, 0, 0);
		assertThat(this.app.jdbc()
			.sql("SELECT invalid_lines FROM source_file WHERE project_dir = '-p'")
			.query(Long.class)
			.single()).isZero();
		assertMatchesRebuild();
	}

	/**
	 * A session forked ({@code /branch}): Claude Code copies the original's lines into
	 * the new session's file, each with {@code forkedFrom}, then appends the fork's own.
	 * The fork's file sorts first by path, yet the original keeps its responses, their
	 * tokens and tool calls, whether the fork is read with it, before it or after it; the
	 * fork counts its own response. Hand-counted: the original 2 responses (outputs 5 and
	 * 7, 2 tool calls), the fork 1 (output 11).
	 */
	@Test
	void shouldCountAForkedSessionsCopiesInTheSessionThatMadeThem() throws Exception {
		String original = "bbbbbbbb-0000-4000-8000-000000000001";
		String fork = "aaaaaaaa-0000-4000-8000-000000000009";
		String originalLines = assistant("m1", "r1", 5, original, false) + assistant("m2", "r2", 7, original, false, 2);
		String forkLines = forkOf(assistant("m1", "r1", 5, fork, false), original)
				+ forkOf(assistant("m2", "r2", 7, fork, false, 2), original) + assistant("m3", "r3", 11, fork, false);
		// the fork read first, alone: its copies count (nothing else holds them)
		Files.writeString(mainFile("-p", fork), forkLines);
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + fork + ".jsonl")).containsExactly(3, 3, 23, 0, 0, 0);
		// the original found after: it takes its responses back
		Files.writeString(mainFile("-p", original), originalLines);
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals()).containsOnlyKeys("-p/" + original + ".jsonl", "-p/" + fork + ".jsonl");
		assertThat(dbTotals().get("-p/" + original + ".jsonl")).containsExactly(2, 2, 12, 0, 0, 0);
		assertThat(dbTotals().get("-p/" + fork + ".jsonl")).containsExactly(1, 1, 11, 0, 0, 0);
		assertThat(toolUses()).containsEntry("-p/" + original + ".jsonl", 2L)
			.containsEntry("-p/" + fork + ".jsonl", 0L);
		assertThat(this.app.projectTotals()).containsEntry("-p", List.of(3L, 23L, 2L));
		assertMatchesRebuild();
		// both read together from an empty database: the same
		this.app.close();
		this.dataDir = "data-again";
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + original + ".jsonl")).containsExactly(2, 2, 12, 0, 0, 0);
		assertThat(dbTotals().get("-p/" + fork + ".jsonl")).containsExactly(1, 1, 11, 0, 0, 0);
		assertThat(toolUses()).containsEntry("-p/" + original + ".jsonl", 2L)
			.containsEntry("-p/" + fork + ".jsonl", 0L);
		assertMatchesRebuild();
	}

	/**
	 * The upgrade to V17: the copies are stored with the fork's mark, and the files that
	 * share a response with another file (the original and its fork, not the third file)
	 * are read again once, which stores the mark; the totals stay.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldReadAgainTheFilesThatShareAResponseAfterTheUpgradeToForkedTies(CapturedOutput output) throws Exception {
		String original = "bbbbbbbb-0000-4000-8000-000000000001";
		String fork = "aaaaaaaa-0000-4000-8000-000000000009";
		Files.writeString(mainFile("-p", original), assistant("m1", "r1", 5, original, false));
		Files.writeString(mainFile("-p", fork),
				forkOf(assistant("m1", "r1", 5, fork, false), original) + assistant("m3", "r3", 11, fork, false));
		Files.writeString(mainFile("-q", "cccccccc-0000-4000-8000-000000000002"), assistant("m4", "r4", 3, S1, false));
		start().indexer().scanAndIngest();
		Map<String, long[]> counted = dbTotals();
		String forkedCopies = "SELECT COUNT(*) FROM usage_copy WHERE forked = TRUE";
		assertThat(this.app.jdbc().sql(forkedCopies).query(Long.class).single()).isOne();
		// as a version before V17 stored them: without the column
		undoV17();
		this.app.jdbc().sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" = '17'").update();
		this.app.close();
		start("logging.level.dev.cctracer.worker.startup=INFO", KEEP_V18);
		assertThat(output).contains("schema 17 (a line a forked session copied now loses the dedup's ties to the line "
				+ "it copies): 2 transcript(s) on disk are read again from their start");
		assertThat(this.app.jdbc().sql(forkedCopies).query(Long.class).single()).isZero();
		long opened = this.app.ingest().filesOpened();
		this.app.indexer().scanAndIngest();
		assertThat(this.app.ingest().filesOpened() - opened).isEqualTo(2);
		assertThat(this.app.jdbc().sql(forkedCopies).query(Long.class).single()).isOne();
		assertThat(dbTotals()).usingRecursiveComparison().isEqualTo(counted);
		assertThat(counted.get("-p/" + original + ".jsonl")).containsExactly(1, 1, 5, 0, 0, 0);
		assertMatchesRebuild();
	}

	/**
	 * Takes back what V20 added, as a database of before it has it (its row of the schema
	 * history is the caller's to delete).
	 */
	private void undoV20() {
		this.app.jdbc().sql("DROP TABLE facts_rewrite").update();
	}

	/**
	 * Takes back what V18 added, as a database of before it has it (its row of the schema
	 * history is the caller's to delete).
	 */
	private void undoV18() {
		this.app.jdbc().sql("ALTER TABLE usage_copy DROP COLUMN tool_use_ids").update();
	}

	/** Takes back what V17 added, as a database of before it has it. */
	private void undoV17() {
		this.app.jdbc().sql("ALTER TABLE usage_copy DROP COLUMN forked").update();
		this.app.jdbc().sql("DROP INDEX ix_tool_error_call").update();
		this.app.jdbc().sql("ALTER TABLE tool_error DROP COLUMN forked").update();
	}

	/** The line as a fork's copy of {@code from}'s: with Claude Code's forkedFrom. */
	private static String forkOf(String line, String from) {
		return line.replaceFirst("^\\{", "{\"forkedFrom\":{\"sessionId\":\"" + from + "\",\"messageUuid\":\"u-"
				+ Integer.toHexString(line.hashCode()) + "\"},");
	}

	/**
	 * A line dated before 1970 or after 9999 counts, at the time of the line before it in
	 * its file (as a line without a timestamp does): every token is counted, on a day the
	 * API can ask for; a year past {@code long} milliseconds is no failure either.
	 */
	@Test
	void shouldCountALineDatedOutside1970To9999AtThePreviousLinesTime() throws Exception {
		Path main = mainFile("-p", S1);
		Files.writeString(main,
				assistant("m1", "r1", 5, S1, false) + dated(assistant("m2", "r2", 7, S1, false), "0001-01-01T00:00:00Z")
						+ dated(assistant("m3", "r3", 11, S1, false), "+10000-01-01T00:00:00Z")
						+ dated(assistant("m4", "r4", 13, S1, false), "+1000000000-01-01T00:00:00Z"));
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(4, 4, 36, 0, 0, 0);
		assertThat(this.app.jdbc().sql("SELECT DISTINCT ts FROM usage_copy").query(Long.class).list())
			.containsExactly(Instant.parse("2026-03-01T10:00:00Z").toEpochMilli());
		assertMatchesRebuild();
	}

	/**
	 * The upgrade to V16: a file whose copies were stored at a time before 1970 (as its
	 * one line, dated in the year 1, was stored before: copy, rollup and bucket) is
	 * marked, and so is one whose last activity was a user's line dated in the year
	 * 10000; the log says so, and the next scan reads each again once, counting the
	 * first's line at the epoch (no line before it has a time) with the same totals and
	 * giving the second its last response's time; the other file is not read again.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldReadAgainTheFilesThatStoredATimeOutside1970To9999AfterTheUpgrade(CapturedOutput output)
			throws Exception {
		Files.writeString(mainFile("-p", S1), dated(assistant("m1", "r1", 5, S1, false), "0001-01-01T00:00:00Z"));
		Files.writeString(mainFile("-q", "aaaaaaaa-0000-4000-8000-000000000002"), assistant("m3", "r3", 3, S1, false));
		// a file whose only such time is a user's line: its last activity
		String s3 = "aaaaaaaa-0000-4000-8000-000000000003";
		Files.writeString(mainFile("-r", s3), assistant("m4", "r4", 2, s3, false)
				+ "{\"type\":\"user\",\"sessionId\":\"" + s3
				+ "\",\"timestamp\":\"+10000-01-01T00:00:00Z\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\n");
		start().indexer().scanAndIngest();
		Map<String, long[]> counted = dbTotals();
		long march = Instant.parse("2026-03-01T10:00:00Z").toEpochMilli();
		String lastOfR = "SELECT last_ts FROM source_file WHERE project_dir = '-r'";
		assertThat(this.app.jdbc().sql(lastOfR).query(Long.class).single()).isEqualTo(march);
		// as a version before V16 stored them: at the year 1, and the year 10000
		this.app.jdbc()
			.sql("UPDATE source_file SET last_ts = :ts WHERE project_dir = '-r'")
			.param("ts", Instant.parse("+10000-01-01T00:00:00Z").toEpochMilli())
			.update();
		long year1 = Instant.parse("0001-01-01T00:00:00Z").toEpochMilli();
		long fileId = this.app.jdbc()
			.sql("SELECT id FROM source_file WHERE project_dir = '-p'")
			.query(Long.class)
			.single();
		this.app.jdbc()
			.sql("UPDATE usage_copy SET ts = :ts WHERE file_id = :f")
			.param("ts", year1)
			.param("f", fileId)
			.update();
		this.app.jdbc()
			.sql("UPDATE usage_rollup SET bucket = :b WHERE file_id = :f")
			.param("b", year1 / 1000)
			.param("f", fileId)
			.update();
		this.app.jdbc().sql("UPDATE usage_bucket SET bucket = :b WHERE bucket = 0").param("b", year1 / 1000).update();
		undoV17();
		this.app.jdbc().sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('16', '17')").update();
		this.app.close();
		start("logging.level.dev.cctracer.worker.startup=INFO", KEEP_V18);
		assertThat(output).contains("schema 16 (a line's time before 1970 or after 9999 now reads as none): "
				+ "2 transcript(s) on disk are read again from their start");
		long opened = this.app.ingest().filesOpened();
		this.app.indexer().scanAndIngest();
		assertThat(this.app.ingest().filesOpened() - opened).isEqualTo(2);
		assertThat(this.app.jdbc().sql(lastOfR).query(Long.class).single()).isEqualTo(march);
		assertThat(dbTotals()).usingRecursiveComparison().isEqualTo(counted);
		assertThat(this.app.jdbc()
			.sql("SELECT ts FROM usage_copy WHERE file_id = :f")
			.param("f", fileId)
			.query(Long.class)
			.list()).containsExactly(0L);
		assertThat(this.app.jdbc().sql("SELECT COUNT(*) FROM usage_bucket WHERE bucket < 0").query(Long.class).single())
			.isZero();
		assertMatchesRebuild();
	}

	/** The line with its timestamp replaced by {@code timestamp}. */
	private static String dated(String line, String timestamp) {
		return line.replace("2026-03-01T10:00:00.000Z", timestamp);
	}

	/**
	 * A response's tool calls count where its usage counts: over commits that add lines
	 * to it (an equal line, then a better one), and when a side question's subagent
	 * repeats it, whichever copy wins, until the other file is gone.
	 */
	@Test
	void shouldCountAResponsesToolCallsOnceWhereItsUsageCounts() throws Exception {
		Path main = mainFile("-p", S1);
		Files.writeString(main, call(assistant("m1", "r1", 5, S1, false, 1), "toolu_a"));
		start().indexer().scanAndIngest();
		assertThat(toolUses()).containsExactly(entry("-p/" + S1 + ".jsonl", 1L));
		// the response's next line, equal usage (the stored copy stays and grows), then
		// its last, more output (it stands for the response from now on)
		Files.writeString(main, call(assistant("m1", "r1", 5, S1, false, 1), "toolu_b"), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		Files.writeString(main,
				call(assistant("m1", "r1", 9, S1, false, 1), "toolu_c") + assistant("m2", "r2", 3, S1, false, 0),
				StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(toolUses()).containsExactly(entry("-p/" + S1 + ".jsonl", 3L));
		assertMatchesRebuild();
		// lines Claude Code wrote again into the transcript (VSCode reopening the
		// session:
		// the same call ids) add no call, read with the copy or after it
		Files.writeString(main, call(assistant("m1", "r1", 5, S1, false, 1), "toolu_a")
				+ call(assistant("m1", "r1", 9, S1, false, 1), "toolu_c"), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(toolUses()).containsExactly(entry("-p/" + S1 + ".jsonl", 3L));
		assertMatchesRebuild();
		// a side question repeats the session's lines (its copy of the response, over two
		// commits, is not counted), then asks one call of its own
		Path side = projects().resolve("-p/" + S1 + "/subagents/agent-aside_question-0a1b.jsonl");
		Files.createDirectories(side.getParent());
		Files.writeString(side, call(assistant("m1", "r1", 5, S1, true, 1), "toolu_a")
				+ call(assistant("m1", "r1", 5, S1, true, 1), "toolu_b"));
		this.app.indexer().scanAndIngest();
		Files.writeString(side, call(assistant("m1", "r1", 5, S1, true, 1), "toolu_c")
				+ call(assistant("m3", "r3", 4, S1, true, 1), "toolu_d"), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(toolUses()).containsExactly(entry("-p/" + S1 + ".jsonl", 3L),
				entry("-p/" + S1 + "/subagents/agent-aside_question-0a1b.jsonl", 1L));
		assertMatchesRebuild();
		// the session's file truncated: its response counts in the side question's file
		Files.writeString(main, "");
		this.app.indexer().scanAndIngest();
		assertThat(toolUses()).containsEntry("-p/" + S1 + ".jsonl", 0L)
			.containsEntry("-p/" + S1 + "/subagents/agent-aside_question-0a1b.jsonl", 4L);
		assertMatchesRebuild();
	}

	/**
	 * The upgrade to V9 on a real 2026 session whose side question repeats 14 of the
	 * session's tool calls: a database as V8 left it (every line's tool calls counted in
	 * its own file, no {@code tool_uses} on the copies) is read again from the start by
	 * the first scan after the migration, and each call counts once. The numbers are
	 * recounted by tool_use id over the three files (38 in the session's, 14 in the side
	 * question's, all the session's, 8 in its Explore subagent's).
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldRecountToolCallsAfterTheUpgradeThatMadeThemFollowTheCountedCopy(CapturedOutput output) throws Exception {
		String session = omarchySession();
		String main = session + ".jsonl";
		String side = session + "/subagents/agent-aside_question-ac9ee4804d56a951.jsonl";
		String explore = session + "/subagents/agent-a520480fc0182e0d7.jsonl";
		start().indexer().scanAndIngest();
		Map<String, long[]> counted = dbTotals();
		// the database as V8 left it
		this.app.jdbc().sql("ALTER TABLE usage_copy DROP COLUMN tool_uses").update();
		this.app.jdbc()
			.sql("UPDATE source_file SET tool_uses = 14 WHERE rel_path = :side")
			.param("side", side)
			.update();
		undoV17();
		undoV18();
		undoV20();
		this.app.jdbc().sql("DROP TABLE tool_error").update();
		this.app.jdbc().sql("ALTER TABLE source_file DROP COLUMN tail_fingerprint").update();
		this.app.jdbc().sql("ALTER TABLE job_request DROP COLUMN request_text").update();
		this.app.jdbc().sql("ALTER TABLE job_request ALTER COLUMN result_json SET DATA TYPE VARCHAR(1000000)").update();
		this.app.jdbc()
			.sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('9', '10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20')")
			.update();
		this.app.close();
		start("logging.level.dev.cctracer.worker.startup=INFO");
		// the log says why every file is read again
		assertThat(output).contains("schema 9 (a response's tool calls now count where its usage counts): "
				+ "the next scan reads every transcript on disk again from its start, once (15 files;");
		assertThat(toolUses()).containsEntry(side, 14L);
		this.app.indexer().scanAndIngest();
		assertThat(toolUses()).containsEntry(main, 38L).containsEntry(side, 0L).containsEntry(explore, 8L);
		assertThat(dbTotals()).usingRecursiveComparison().isEqualTo(counted);
		assertMatchesRebuild();
	}

	/**
	 * The upgrade to V10 on the same real session: a database as V9 left it (no failed
	 * tool results kept) is read again from the start by the first scan after the
	 * migration, and each failed result that names its call is kept with its file — here
	 * the session's 3 and its Explore subagent's 1 (recounted with {@code json.loads}:
	 * {@code tool_result} blocks with {@code is_error} true; its side question repeats
	 * none of them).
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldKeepFailedToolResultsAfterTheUpgradeThatKeepsThem(CapturedOutput output) throws Exception {
		String session = omarchySession();
		start().indexer().scanAndIngest();
		Map<String, Long> kept = toolErrorRows();
		assertThat(kept).containsEntry(session + ".jsonl", 3L)
			.containsEntry(session + "/subagents/agent-a520480fc0182e0d7.jsonl", 1L)
			.doesNotContainKey(session + "/subagents/agent-aside_question-ac9ee4804d56a951.jsonl");
		Map<String, long[]> counted = dbTotals();
		// the database as V9 left it
		undoV17();
		undoV18();
		undoV20();
		this.app.jdbc().sql("DROP TABLE tool_error").update();
		this.app.jdbc().sql("ALTER TABLE source_file DROP COLUMN tail_fingerprint").update();
		this.app.jdbc().sql("ALTER TABLE job_request DROP COLUMN request_text").update();
		this.app.jdbc().sql("ALTER TABLE job_request ALTER COLUMN result_json SET DATA TYPE VARCHAR(1000000)").update();
		this.app.jdbc()
			.sql("DELETE FROM \"flyway_schema_history\" WHERE \"version\" IN ('10', '11', '12', '13', '14', '15', '16', '17', '18', '19', '20')")
			.update();
		this.app.close();
		start("logging.level.dev.cctracer.worker.startup=INFO");
		assertThat(output).contains("schema 10 (a failed tool result now counts once per session): "
				+ "the next scan reads every transcript on disk again from its start, once (");
		assertThat(toolErrorRows()).isEmpty();
		this.app.indexer().scanAndIngest();
		assertThat(toolErrorRows()).isEqualTo(kept);
		assertThat(dbTotals()).usingRecursiveComparison().isEqualTo(counted);
		assertMatchesRebuild();
	}

	/**
	 * Copies cc-2026's omarchy project (its session with a side question and an Explore
	 * subagent) and answers that session's path, relative to the projects dir, without
	 * {@code .jsonl}.
	 */
	private String omarchySession() throws IOException {
		String project = "-home-devuser2-Claude";
		FileSystemUtils.copyRecursively(RealDataLayout.source().resolve("cc-2026/omarchy-backup/projects/" + project),
				projects().resolve(project));
		return project + "/8fd119a6-9ab8-407b-810f-329cfb6153e0";
	}

	/** Failed tool results kept per file, by relative path. */
	private Map<String, Long> toolErrorRows() {
		Map<String, Long> result = new TreeMap<>();
		this.app.jdbc()
			.sql("SELECT f.rel_path, COUNT(*) FROM tool_error e JOIN source_file f ON f.id = e.file_id "
					+ "GROUP BY f.rel_path")
			.query((rs) -> {
				result.put(rs.getString(1), rs.getLong(2));
			});
		return result;
	}

	/** {@code tool_uses} of every file on disk, by relative path. */
	private Map<String, Long> toolUses() {
		Map<String, Long> result = new TreeMap<>();
		this.app.jdbc().sql("SELECT rel_path, tool_uses FROM source_file WHERE deleted = FALSE").query((rs) -> {
			result.put(rs.getString(1), rs.getLong(2));
		});
		return result;
	}

	/**
	 * What a transcript labels itself with, and an API error's text, are stored redacted:
	 * a key typed into {@code /rename} or quoted by an authentication error reaches
	 * neither H2 nor a shared PostgreSQL (it was masked only on output).
	 */
	@Test
	void shouldStoreLabelsAndApiErrorTextsRedacted() throws Exception {
		String key = "sk-ant-api03-" + "abcdefghij".repeat(4);
		Path file = mainFile("-p", S1);
		Files.writeString(file, "{\"type\":\"custom-title\",\"customTitle\":\"rotate " + key + "\",\"sessionId\":\""
				+ S1 + "\"}\n{\"type\":\"ai-title\",\"aiTitle\":\"Use " + key + "\",\"sessionId\":\"" + S1
				+ "\"}\n{\"type\":\"agent-name\",\"agentName\":\"" + key + "\",\"sessionId\":\"" + S1 + "\"}\n"
				+ "{\"type\":\"assistant\",\"isApiErrorMessage\":true,\"sessionId\":\"" + S1
				+ "\",\"timestamp\":\"2026-03-01T10:00:00.000Z\",\"message\":{\"id\":\"e1\",\"model\":\"<synthetic>\","
				+ "\"content\":[{\"type\":\"text\",\"text\":\"API Error: 401 invalid x-api-key " + key + "\"}],"
				+ "\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n" + assistant("m1", "r1", 10, S1, false));
		start().indexer().scanAndIngest();
		List<String> stored = new ArrayList<>();
		this.app.jdbc()
			.sql("SELECT custom_title, ai_title, agent_name FROM source_file WHERE rel_path = :p")
			.param("p", "-p/" + S1 + ".jsonl")
			.query((rs) -> {
				stored.addAll(List.of(rs.getString(1), rs.getString(2), rs.getString(3)));
			});
		stored.addAll(this.app.jdbc().sql("SELECT text FROM api_error").query(String.class).list());
		assertThat(stored).hasSize(4).allSatisfy((v) -> assertThat(v).doesNotContain("sk-ant").contains("[REDACTED]"));
		assertThat(stored.get(0)).startsWith("rotate ");
		assertThat(stored.get(3)).startsWith("API Error: 401 invalid x-api-key ");
	}

	@Test
	void shouldResetAFileReplacedWithTheSameSizeAndNewContent() throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file, assistant("m1", "r1", 10, S1, false));
		start().indexer().scanAndIngest();
		Path replacement = this.tmp.resolve("replacement.jsonl");
		Files.writeString(replacement, assistant("m2", "r1", 20, S1, false));
		Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		IngestReport report = this.app.indexer().scanAndIngest();
		assertThat(report.resets()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 20, 0, 0, 0);
		assertMatchesRebuild();
	}

	/** A user line longer than the head's fingerprint, before the line that counts. */
	private static final String PADDING = "{\"type\":\"user\",\"message\":{\"role\":\"user\",\"content\":\""
			+ "x".repeat(1500) + "\"}}\n";

	/**
	 * Starts the app on one file, {@link #PADDING} then a response of output 17, and
	 * reads it.
	 */
	private Path paddedAndRead() throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file, PADDING + assistant("m1", "r1", 17, S1, false));
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 17, 0, 0, 0);
		return file;
	}

	/**
	 * The same file rewritten in place at the same size (an editor or a restore; a
	 * helper's user trial changed 176 to 976 and the old count stayed). A change in the
	 * KiB before the committed offset is read again from byte 0 at once: an append never
	 * changes bytes read (a trial saw the totals keep the old count for the quiet tail's
	 * 5 minutes while the session's messages showed the new one). A change between the
	 * head and that KiB, which no fingerprint covers, is read again once the file is
	 * quiet (a new mtime at the old size may be an append seen half-way: left for a later
	 * scan).
	 */
	@Test
	void shouldResetAFileRewrittenInPlaceWithTheSameSize() throws Exception {
		Path file = paddedAndRead();
		FileTime before = Files.getLastModifiedTime(file);
		rewrite(file, PADDING + assistant("m1", "r1", 97, S1, false));
		Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
		assertThat(this.app.indexer().scanAndIngest().resets()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 97, 0, 0, 0);
		// a user line after it: the count now lies past the head and before the last KiB
		Files.writeString(file, PADDING, StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		before = Files.getLastModifiedTime(file);
		rewrite(file, PADDING + assistant("m1", "r1", 57, S1, false) + PADDING);
		// just written: not judged yet, and looked at again by the next scan
		Files.setLastModifiedTime(file, FileTime.fromMillis(before.toMillis() + 2_000));
		assertThat(this.app.indexer().scanAndIngest().resets()).isZero();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 97, 0, 0, 0);
		// quiet since (the default quiet tail is 5 minutes): rewritten, read again
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(10))));
		IngestReport report = this.app.indexer().scanAndIngest();
		assertThat(report.resets()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 57, 0, 0, 0);
		// touched again without a change: read again, counted once
		Files.setLastModifiedTime(file, FileTime.from(Instant.now().minus(Duration.ofMinutes(8))));
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 57, 0, 0, 0);
		assertMatchesRebuild();
	}

	/**
	 * A response's line past a low line cap is skipped and counted as over-long; once the
	 * cap is raised, the file is read again from its start and the response counts (a
	 * trial lowered the cap, raised it again, and the skipped lines stayed uncounted).
	 */
	@Test
	void shouldCountALineSkippedUnderALowerCapOnceTheCapIsRaised() throws Exception {
		Path file = mainFile("-p", S1);
		String big = assistant("m2", "r2", 5, S1, false).replaceFirst("\\{",
				"{\"padding\":\"" + "x".repeat(100_000) + "\",");
		Files.writeString(file, assistant("m1", "r1", 17, S1, false) + big);
		start("cctracer.ingest.max-line-bytes=64KB").indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 17, 0, 0, 0);
		assertThat(this.app.jdbc().sql("SELECT overlong_lines FROM source_file").query(Long.class).single()).isOne();
		this.app.close();
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 22, 0, 0, 0);
		assertThat(this.app.jdbc().sql("SELECT overlong_lines FROM source_file").query(Long.class).single()).isZero();
		assertMatchesRebuild();
	}

	/** Writes {@code text} over the file from byte 0, in place (the same size here). */
	private static void rewrite(Path file, String text) throws IOException {
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
			ch.write(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), 0);
		}
	}

	/**
	 * The same file rewritten longer (a restore or a sync tool writing another version of
	 * the session: a token count changed past the head's fingerprint, and a line more):
	 * the bytes before the committed offset are not the ones read, so it is read again
	 * from byte 0, not as an append from the old offset (which kept the old count).
	 */
	@Test
	void shouldResetAFileRewrittenLongerPastItsHead() throws Exception {
		Path file = paddedAndRead();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
			ch.write(ByteBuffer
				.wrap((PADDING + assistant("m1", "r1", 97, S1, false) + assistant("m2", "r2", 5, S1, false))
					.getBytes(StandardCharsets.UTF_8)), 0);
		}
		IngestReport report = this.app.indexer().scanAndIngest();
		assertThat(report.resets()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 102, 0, 0, 0);
		// an append after it is an append again
		Files.writeString(file, assistant("m3", "r3", 1, S1, false), StandardOpenOption.APPEND);
		assertThat(this.app.indexer().scanAndIngest().resets()).isZero();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(3, 3, 103, 0, 0, 0);
		assertMatchesRebuild();
	}

	/**
	 * Changes made while the app was stopped, as the next start finds them (reliability
	 * anchors: restart resume; truncate while stopped, smaller than the offset read; a
	 * rewrite while stopped, longer than it): an append is read from the committed offset
	 * alone (its bytes and its one line, the file's first lines not parsed again); a file
	 * cut below that offset, and one rewritten longer with a count changed past its head,
	 * are read again from byte 0, each once.
	 */
	@Test
	void shouldFindWhatChangedWhileStoppedAtTheNextStart() throws Exception {
		Path file = paddedAndRead();
		String appended = assistant("m2", "r2", 5, S1, false);
		this.app.close();
		Files.writeString(file, appended, StandardOpenOption.APPEND);
		IngestReport resumed = start().indexer().scanAndIngest();
		assertThat(resumed.read()).isEqualTo(1);
		assertThat(resumed.bytes()).isEqualTo(appended.getBytes(StandardCharsets.UTF_8).length);
		assertThat(resumed.lines()).isEqualTo(1);
		assertThat(resumed.resets()).isZero();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 22, 0, 0, 0);

		// cut below the offset read: only the padding is left
		this.app.close();
		try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
			ch.truncate(PADDING.getBytes(StandardCharsets.UTF_8).length);
		}
		IngestReport cut = start().indexer().scanAndIngest();
		assertThat(cut.resets()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(0, 0, 0, 0, 0, 0);
		assertMatchesRebuild();

		// read to its end again, then rewritten longer while stopped: 17 became 97 past
		// the head, and a line more
		Files.writeString(file, assistant("m1", "r1", 17, S1, false), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 17, 0, 0, 0);
		this.app.close();
		Files.writeString(file, PADDING + assistant("m1", "r1", 97, S1, false) + assistant("m3", "r3", 5, S1, false));
		IngestReport rewritten = start().indexer().scanAndIngest();
		assertThat(rewritten.resets()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 102, 0, 0, 0);
		assertThat(this.app.indexer().scanAndIngest().read()).isZero();
		assertMatchesRebuild();
	}

	/**
	 * A thread interrupted again and again while it writes the embedded H2 database
	 * (JobRunr interrupts a job's thread when the job is deleted on its dashboard, and
	 * its threads at a stop) makes H2 close the database, and commits it had acknowledged
	 * but not yet written are lost (by hand, H2 2.3.232: 159 of 300 batches acknowledged,
	 * 121 found after the reopen). Reliability anchor "thread interrupt during H2 I/O":
	 * the storage guard reopens the database, an ingest commit the close took back is
	 * read again, and the totals equal a rebuild: nothing lost, nothing counted twice.
	 */
	@Test
	void shouldCountExactlyAfterInterruptedWritesClosedTheDatabase() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), claude());
		start("cctracer.storage.check-interval=1s").indexer().scanAndIngest();
		Path file = mainFile("-p", S1);
		// committed just before: the close may take it back
		Files.writeString(file, assistant("m1", "r1", 17, S1, false), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		DataSource pool = this.app.context.getBean(DataSource.class);
		FutureTask<Integer> closed = new FutureTask<>(() -> interruptedWrites(pool));
		new Thread(closed, "interrupted-writer").start();
		assertThat(closed.get(2, TimeUnit.MINUTES)).as("H2's error once its writer was interrupted").isEqualTo(90098);
		StorageHealth guard = this.app.context.getBean(StorageHealth.class);
		// named by H2's own words, not "unknown error" (an interrupted channel's
		// exception has no message)
		await().atMost(Duration.ofSeconds(30))
			.until(() -> guard.fault().isPresent() || guard.lastRecovery().isPresent());
		assertThat(guard.fault().or(() -> guard.lastRecovery().map((r) -> new StorageFault(r.cause(), r.at(), 0))))
			.hasValueSatisfying((f) -> assertThat(f.cause()).doesNotContain("unknown error")
				.matches("the database in .* cannot be read: \\S.*"));
		await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
			return guard.lastRecovery().isPresent() && guard.fault().isEmpty()
					&& this.app.jdbc().sql("SELECT COUNT(*) FROM source_file").query(Long.class).single() > 0;
		});
		Files.writeString(file, assistant("m2", "r2", 5, S1, false), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 22, 0, 0, 0);
		assertMatchesRebuild();
	}

	/**
	 * Writes batches of rows to a table of its own through {@code pool} on this thread
	 * while another thread interrupts it every fifth of a millisecond, until H2 closes
	 * the database (then its error code) or 90 s went by (then 0). Bounded by time, not
	 * by a count of batches: how many interrupts H2 takes before it closes depends on the
	 * machine (3,000 batches were once not enough).
	 */
	private static int interruptedWrites(DataSource pool) {
		Thread writer = Thread.currentThread();
		AtomicBoolean done = new AtomicBoolean();
		Thread interrupter = new Thread(() -> {
			while (!done.get()) {
				writer.interrupt();
				LockSupport.parkNanos(200_000);
			}
		});
		interrupter.start();
		try {
			long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
			for (int batch = 0; System.nanoTime() < until; batch++) {
				try (Connection c = pool.getConnection()) {
					c.setAutoCommit(false);
					c.createStatement().execute("CREATE TABLE IF NOT EXISTS interrupted_writes(id INT, v VARCHAR)");
					try (PreparedStatement insert = c
						.prepareStatement("INSERT INTO interrupted_writes VALUES (?, ?)")) {
						for (int i = 0; i < 500; i++) {
							insert.setInt(1, batch * 500 + i);
							insert.setString(2, "x".repeat(200));
							insert.addBatch();
						}
						insert.executeBatch();
					}
					c.commit();
				}
				catch (SQLException ex) {
					if (ex.getErrorCode() == 90098) {
						return ex.getErrorCode();
					}
				}
			}
			return 0;
		}
		finally {
			done.set(true);
			while (interrupter.isAlive()) {
				Thread.interrupted();
				Thread.onSpinWait();
			}
			Thread.interrupted();
		}
	}

	/**
	 * A file none of whose lines count (a prompt, a progress line, a malformed line, each
	 * ended by a line break) is read once: its offset is committed at its end, so neither
	 * the next scan nor the next start opens it again (reliability anchor: the checkpoint
	 * is persisted when all lines are skipped, Vector #7229).
	 */
	@Test
	void shouldCommitTheOffsetOfAFileWhoseLinesAllAreSkipped() throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file,
				"{\"type\":\"user\",\"sessionId\":\"" + S1 + "\",\"message\":{\"role\":\"user\",\"content\":\"hi\"}}\n"
						+ "{\"type\":\"progress\",\"sessionId\":\"" + S1 + "\",\"data\":{\"type\":\"hook_progress\"}}\n"
						+ "{\"type\":\"assistant\",\"message\":{\"id\":\"cut\n");
		IngestReport first = start().indexer().scanAndIngest();
		assertThat(first.read()).isEqualTo(1);
		assertThat(first.lines()).isEqualTo(3);
		assertThat(this.app.jdbc()
			.sql("SELECT committed_offset, invalid_lines FROM source_file WHERE rel_path = :p")
			.param("p", "-p/" + S1 + ".jsonl")
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single()).containsExactly(Files.size(file), 1);
		assertThat(this.app.indexer().scanAndIngest().read()).isZero();
		restart();
		assertThat(this.app.indexer().scanAndIngest().read()).isZero();
		assertThat(this.app.ingest().filesOpened()).isZero();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(0, 0, 0, 0, 0, 0);
	}

	/**
	 * A last line without a line break (a file copied or edited by hand; realdata's
	 * {@code edge_cases.jsonl}) waits until the file is quiet, then counts, though the
	 * file does not change again: a helper's trial saw it pending forever, since an
	 * unchanged file was never read again. Read once more for it, then left alone.
	 */
	@Test
	void shouldCountALastLineWithoutABreakOnceTheUnchangedFileIsQuiet() throws Exception {
		Path file = mainFile("-p", S1);
		String last = assistant("m2", "r2", 5, S1, false);
		start("cctracer.ingest.quiet-tail=3s");
		// written just before the first read: not quiet yet
		Files.writeString(file, assistant("m1", "r1", 10, S1, false) + last.substring(0, last.length() - 1));
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 10, 0, 0, 0);
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			this.app.indexer().scanAndIngest();
			return dbTotals().get("-p/" + S1 + ".jsonl")[2] == 15;
		});
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 15, 0, 0, 0);
		// taken: the unchanged file is not read again (the rebuild oracle reads
		// terminated lines only, so the totals above are the check)
		assertThat(this.app.indexer().scanAndIngest().read()).isZero();
	}

	/**
	 * A last line without a break, counted once quiet, then a line appended right after
	 * it (no break between: an editor stripped it, then Claude Code appended): the file
	 * holds one line of two objects, which a fresh read counts as the two objects the
	 * ingest counted, at the same offsets (a fault trial's verify found 1 message against
	 * 3 before: the fresh read refused the line whole).
	 */
	@Test
	void shouldCountALineAppendedToALastLineWithoutABreakAsAFreshReadCountsIt() throws Exception {
		Path file = mainFile("-p", S1);
		String last = assistant("m2", "r2", 5, S1, false);
		start("cctracer.ingest.quiet-tail=3s");
		Files.writeString(file, assistant("m1", "r1", 10, S1, false) + last.substring(0, last.length() - 1));
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> {
			this.app.indexer().scanAndIngest();
			return dbTotals().get("-p/" + S1 + ".jsonl")[2] == 15;
		});
		Files.writeString(file, assistant("m3", "r3", 100, S1, false), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(3, 3, 115, 0, 0, 0);
		assertMatchesRebuild();
		// and from an empty database: the same
		this.app.close();
		this.dataDir = "data-again";
		start().indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(3, 3, 115, 0, 0, 0);
	}

	@Test
	void shouldLoseAndDuplicateNothingWhenACommitFails() throws Exception {
		Path file = mainFile("-p", S1);
		Files.writeString(file, assistant("m1", "r1", 10, S1, false));
		start().indexer().scanAndIngest();
		Files.writeString(file, assistant("m2", "r2", 7, S1, false), StandardOpenOption.APPEND);
		this.app.ingest().beforeCommit(() -> {
			throw new IllegalStateException("injected failure between parse and commit");
		});
		assertThatThrownBy(() -> this.app.indexer().scanAndIngest()).hasMessageContaining("injected");
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(1, 1, 10, 0, 0, 0);
		this.app.ingest().beforeCommit(() -> {
		});
		this.app.indexer().scanAndIngest();
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")).containsExactly(2, 2, 17, 0, 0, 0);
		assertMatchesRebuild();
	}

	@Test
	void shouldNotTrustKnownHashesLoadedInACommitThatRolledBack() throws Exception {
		String s2 = "aaaaaaaa-0000-4000-8000-000000000002";
		String s3 = "aaaaaaaa-0000-4000-8000-000000000003";
		Path x = mainFile("-p", S1);
		Files.writeString(x, assistant("m1", "r1", 10, S1, false));
		start().indexer().scanAndIngest();
		// another process commits: this one's known hashes are stale and the next batch
		// reloads them inside its transaction
		Path other = mainFile("-p", s2);
		Files.writeString(other, assistant("m2", "r2", 20, s2, false));
		try (TracerContext b = TracerContext.start(claude(), this.tmp.resolve("data"))) {
			b.indexer().scanAndIngest();
		}
		// x is replaced (a reset: its copy of m1 is deleted first, then the reload runs
		// and
		// sees that delete) and the commit fails: m1's copy is still stored
		Files.writeString(x, assistant("m9", "r9", 1, S1, false) + assistant("m8", "r8", 1, S1, false));
		this.app.ingest().beforeCommit(() -> {
			throw new IllegalStateException("injected failure");
		});
		long xId = fileId("-p/" + S1 + ".jsonl");
		assertThatThrownBy(() -> this.app.ingest().ingest(List.of(xId))).hasMessageContaining("injected");
		this.app.ingest().beforeCommit(() -> {
		});
		// a copy of m1 in a third file: the hashes the failed commit loaded lack m1 and
		// must not be trusted, so m1 is found in the database and counts once
		Path y = mainFile("-p", s3);
		Files.writeString(y, assistant("m1", "r1", 10, s3, false));
		this.app.context.getBean(ScanService.class).scan();
		this.app.ingest().ingest(List.of(fileId("-p/" + s3 + ".jsonl")));
		assertThat(this.app.jdbc().sql("SELECT SUM(output_tokens) FROM usage_rollup").query(Long.class).single())
			.isEqualTo(30);
		this.app.indexer().scanAndIngest();
		assertMatchesRebuild();
	}

	private long fileId(String relPath) {
		return this.app.jdbc()
			.sql("SELECT id FROM source_file WHERE rel_path = :p AND deleted = FALSE")
			.param("p", relPath)
			.query(Long.class)
			.single();
	}

	@Test
	void shouldCountOnceWhenTheSameIngestRunsTwiceConcurrently() throws Exception {
		Path file = mainFile("-p", S1);
		StringBuilder lines = new StringBuilder();
		for (int i = 0; i < 300; i++) {
			lines.append(assistant("m" + i, "r" + i, i, S1, false));
		}
		Files.writeString(file, lines);
		start();
		long id = this.app.indexer().scan().changed().get(0);
		IngestService ingest = this.app.ingest();
		CompletableFuture<IngestReport> one = CompletableFuture.supplyAsync(() -> ingest.ingest(List.of(id)));
		CompletableFuture<IngestReport> two = CompletableFuture.supplyAsync(() -> ingest.ingest(List.of(id)));
		IngestReport a = one.get();
		IngestReport b = two.get();
		assertThat(a.read() + b.read()).isEqualTo(1);
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")[0]).isEqualTo(300);
		assertMatchesRebuild();
	}

	/**
	 * The projects dir moved away and back (a trial renamed it): the log says it is gone
	 * (a WARN; its return is an INFO line, below the tests' log level), and nothing is
	 * marked deleted nor counted twice.
	 */
	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void shouldSayWhenTheProjectsDirIsGoneAndBack(CapturedOutput output) throws Exception {
		Files.writeString(mainFile("-p", S1), assistant("m1", "r1", 5, S1, false));
		start().indexer().scanAndIngest();
		Path real = projects().toRealPath();
		Path away = this.tmp.resolve("projects-away");
		Files.move(projects(), away);
		this.app.indexer().scanAndIngest();
		assertThat(output.getOut()).contains("the projects dir " + real + " is gone");
		assertThat(this.app.jdbc().sql("SELECT COUNT(*) FROM source_file WHERE deleted").query(Long.class).single())
			.isZero();
		Files.move(away, projects());
		// a file name with a line break is one escaped log line, not a forged one
		Files.writeString(projects().resolve("-p/notes\n2026-12-06T08:00:00.000Z ERROR forged.jsonl"), "{}\n");
		this.app.indexer().scanAndIngest();
		assertThat(output.getOut()).contains("notes\\n2026-12-06T08:00:00.000Z ERROR forged.jsonl")
			.doesNotContain("\n2026-12-06T08:00:00.000Z ERROR forged");
		assertThat(dbTotals().get("-p/" + S1 + ".jsonl")[0]).isEqualTo(1);
	}

	@Test
	void shouldNotOpenUnchangedFilesAfterARestart() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), claude());
		start().indexer().scanAndIngest();
		long opened = this.app.jdbc().sql("SELECT SUM(opened_count) FROM source_file").query(Long.class).single();
		restart();
		IngestReport report = this.app.indexer().scanAndIngest();
		assertThat(report.read()).isZero();
		assertThat(this.app.ingest().filesOpened()).isZero();
		assertThat(this.app.jdbc().sql("SELECT SUM(opened_count) FROM source_file").query(Long.class).single())
			.isEqualTo(opened);
	}

	/**
	 * Random sequences of append, partial-line write, scan, truncate, replace, restart
	 * and duplicated concurrent ingests; after each scan the totals equal a rebuild from
	 * scratch.
	 */
	@Test
	void shouldAlwaysEqualAFullRebuildUnderRandomOperations() throws Exception {
		// with the known message hashes in use on every commit
		for (long seed = 1; seed <= 3; seed++) {
			runRandomSequence(seed, 70);
		}
		// and with every id looked up in the database (small batches in production)
		this.knownHashesThreshold = Integer.MAX_VALUE;
		for (long seed = 4; seed <= 5; seed++) {
			runRandomSequence(seed, 70);
		}
		// and with a first index in bulk (the message-hash index dropped until its end):
		// each seed on a new database, its first run reading every earlier seed's files
		this.knownHashesThreshold = 0;
		this.bulkMinBytes = 0;
		for (long seed = 6; seed <= 7; seed++) {
			this.app.close();
			this.app = null;
			this.dataDir = "data-bulk" + seed;
			// a new database never saw the files moved before
			this.deletedFiles.clear();
			runRandomSequence(seed, 70);
		}
	}

	@Test
	void shouldNotTrustItsKnownHashesAfterAnotherProcessCommitted() throws Exception {
		String s2 = "aaaaaaaa-0000-4000-8000-000000000002";
		String s3 = "aaaaaaaa-0000-4000-8000-000000000003";
		Path dir = Files.createDirectories(projects().resolve("-home-me-repo"));
		Files.writeString(dir.resolve(S1 + ".jsonl"), assistant("m1", "r1", 10, S1, false));
		// process A indexes: its known hashes hold m1, complete at this data version
		start().indexer().scanAndIngest();
		// process B (same database) commits m2
		Files.writeString(dir.resolve(s2 + ".jsonl"), assistant("m2", "r2", 20, s2, false));
		try (TracerContext b = TracerContext.start(claude(), this.tmp.resolve("data"))) {
			b.ingest().knownHashesThreshold(Integer.MAX_VALUE);
			b.indexer().scanAndIngest();
		}
		// a copy of m2 in a third file reaches A: A's set does not know m2 and must not
		// trust it (the data version moved): m2 counts once
		Files.writeString(dir.resolve(s3 + ".jsonl"), assistant("m2", "r2", 20, s3, false));
		this.app.ingest().knownHashesThreshold(Integer.MAX_VALUE);
		this.app.indexer().scanAndIngest();
		assertThat(this.app.jdbc().sql("SELECT SUM(output_tokens) FROM usage_rollup").query(Long.class).single())
			.isEqualTo(30);
		assertMatchesRebuild();
	}

	private void runRandomSequence(long seed, int steps) throws Exception {
		Random random = new Random(seed);
		String project = "-prop" + seed;
		List<Path> files = new ArrayList<>();
		for (int f = 0; f < 3; f++) {
			files.add(mainFile(project, String.format("bbbbbbbb-0000-4000-8000-%012d", seed * 10 + f)));
			Files.writeString(files.get(f), "");
		}
		if (this.app == null) {
			start();
		}
		Map<Path, String> partial = new TreeMap<>();
		Map<Path, List<Integer>> written = new TreeMap<>();
		int msg = 0;
		// each response's first line, for exact copies in other files
		Map<Integer, String> firstLines = new HashMap<>();
		for (int step = 0; step < steps; step++) {
			Path file = files.get(random.nextInt(files.size()));
			switch (random.nextInt(10)) {
				case 0, 1, 2 -> {
					// append complete lines: new responses, streamed copies of recent
					// ones, copies across files
					StringBuilder sb = new StringBuilder(partial.getOrDefault(file, ""));
					partial.remove(file);
					List<Integer> here = written.computeIfAbsent(file, (k) -> new ArrayList<>());
					for (int i = random.nextInt(4); i >= 0; i--) {
						int kind = random.nextInt(6);
						int m;
						if (kind < 2 && !here.isEmpty()) {
							m = here.get(random.nextInt(here.size())); // a later streamed
																		// copy in the
																		// same file
						}
						else if (kind == 2 && msg > 0) {
							m = random.nextInt(msg); // a copy in another file (resumed
														// session)
						}
						else {
							m = msg++;
						}
						here.add(m);
						if (kind == 2 && firstLines.containsKey(m) && random.nextBoolean()) {
							// the very line (a resumed session's copy): a tie
							sb.append(firstLines.get(m));
							continue;
						}
						String line = assistant("m" + seed + "_" + m, "r" + m, random.nextInt(50), S1,
								random.nextInt(6) == 0, random.nextInt(3));
						firstLines.putIfAbsent(m, line);
						sb.append(line);
					}
					Files.writeString(file, sb, StandardOpenOption.APPEND);
				}
				case 3 -> {
					// a partial line: the first part now, the rest with a later append
					String line = assistant("m" + seed + "_" + msg++, "r", 3, S1, false, 1);
					int cut = 1 + random.nextInt(line.length() - 2);
					if (!partial.containsKey(file)) {
						Files.writeString(file, line.substring(0, cut), StandardOpenOption.APPEND);
						partial.put(file, line.substring(cut));
					}
				}
				case 4 -> {
					Files.writeString(file, "");
					partial.remove(file);
				}
				case 5 -> {
					Path replacement = this.tmp.resolve("r.jsonl");
					Files.writeString(replacement, assistant("m" + seed + "_" + msg++, "r", 9, S1, false));
					Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
					partial.remove(file);
				}
				case 6 -> {
					if (random.nextInt(3) == 0) {
						restart();
					}
				}
				case 8 -> {
					// moved to another project dir, first or last in path order (a
					// project renamed), or deleted and a new session begun (Claude
					// Code's cleanup): its row is deleted, its history kept as far as it
					// was read, and its copies lose their ties to copies on disk
					this.app.indexer().scanAndIngest();
					long read = this.app.jdbc()
						.sql("SELECT committed_offset FROM source_file WHERE rel_path = :p AND deleted = FALSE")
						.param("p", projects().relativize(file).toString())
						.query(Long.class)
						.single();
					this.deletedFiles.put(file.toString(), Arrays.copyOf(Files.readAllBytes(file), (int) read));
					int how = random.nextInt(3);
					Path moved;
					if (how < 2) {
						String dir = ((how == 0) ? "-a" : "-z") + project + "-moved" + step;
						moved = projects().resolve(dir).resolve(file.getFileName());
						Files.createDirectories(moved.getParent());
						Files.move(file, moved);
						if (partial.containsKey(file)) {
							partial.put(moved, partial.remove(file));
						}
						if (written.containsKey(file)) {
							written.put(moved, written.remove(file));
						}
					}
					else {
						Files.delete(file);
						partial.remove(file);
						written.remove(file);
						moved = mainFile(project, String.format("cccccccc-0000-4000-8000-%012d", seed * 100 + step));
					}
					files.set(files.indexOf(file), moved);
					this.app.indexer().scanAndIngest();
					assertMatchesRebuild();
				}
				case 7 -> {
					List<Long> ids = this.app.indexer().scan().changed();
					IngestService ingest = this.app.ingest();
					CompletableFuture<IngestReport> a = CompletableFuture.supplyAsync(() -> ingest.ingest(ids));
					CompletableFuture<IngestReport> b = CompletableFuture.supplyAsync(() -> ingest.ingest(ids));
					a.get();
					b.get();
					assertMatchesRebuild();
				}
				default -> {
					this.app.indexer().scanAndIngest();
					assertMatchesRebuild();
				}
			}
		}
		this.app.indexer().scanAndIngest();
		assertMatchesRebuild();
	}

	@Test
	void shouldRepriceStoredCostsWhenThePriceFileChanges() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), claude());
		start().indexer().scanAndIngest();
		assertMatchesRebuild();
		Path prices = this.tmp.resolve("prices.json");
		Files.writeString(prices, """
				{"version": "doubled-opus", "models": [{"id": "claude-opus-4-6", "aliases": ["claude-opus-4-6"],
				  "prices": [{"effective_from": "2026-01-01", "input": 10, "output": 50, "cache_write_5m": 12.5,
				              "cache_write_1h": 20, "cache_read": 1}]}]}
				""");
		long before = totalCost();
		this.app.close();
		this.app = TracerContext.start(claude(), this.tmp.resolve("data"), "cctracer.prices-file=" + prices);
		this.app.indexer().scanAndIngest();
		assertMatchesRebuild(PriceTable.load(prices));
		assertThat(totalCost()).isGreaterThan(before);
		assertThat(this.app.jdbc()
			.sql("SELECT SUM(cost_input + cost_output + cost_cache_write + cost_cache_read) FROM usage_rollup")
			.query(Long.class)
			.single()).isEqualTo(totalCost());
	}

	private long totalCost() {
		return this.app.jdbc()
			.sql("SELECT SUM(cost_input + cost_output + cost_cache_write + cost_cache_read) FROM source_file")
			.query(Long.class)
			.single();
	}

	private void assertMatchesRebuild() throws IOException {
		assertMatchesRebuild(PriceTable.bundled());
	}

	private void assertMatchesRebuild(PriceTable prices) throws IOException {
		Map<String, Rebuild.FileTotals> expected = Rebuild.of(projects(), prices, this.deletedFiles);
		Map<String, long[]> actual = dbTotals();
		Map<String, long[]> costs = dbCosts();
		Map<String, Long> copied = new TreeMap<>();
		this.app.jdbc().sql("""
				SELECT f.rel_path, SUM(c.tool_uses) FROM usage_copy c JOIN source_file f ON f.id = c.file_id
				WHERE f.deleted = FALSE GROUP BY f.rel_path
				""").query((rs) -> {
			copied.put(rs.getString(1), rs.getLong(2));
		});
		Map<String, long[]> deleted = deletedTotals();
		for (Map.Entry<String, Rebuild.FileTotals> e : expected.entrySet()) {
			if (e.getKey().startsWith(Rebuild.DELETED)) {
				// a deleted file counts what its copies win, never what a copy on disk
				// counts too
				String rel = e.getKey().substring(Rebuild.DELETED.length());
				Usage u = e.getValue().usage();
				assertThat(deleted.get(rel)).as("deleted " + rel)
					.containsExactly(e.getValue().messages(), u.input(), u.output(), u.cacheWrite5m(), u.cacheWrite1h(),
							u.cacheRead());
				continue;
			}
			assertThat(copied.getOrDefault(e.getKey(), 0L)).as("tool uses of the copies of " + e.getKey())
				.isEqualTo(e.getValue().copiedToolUses());
			Usage u = e.getValue().usage();
			long[] want = { e.getValue().messages(), u.input(), u.output(), u.cacheWrite5m(), u.cacheWrite1h(),
					u.cacheRead() };
			assertThat(actual.get(e.getKey())).as(e.getKey()).containsExactly(want);
			assertThat(costs.get(e.getKey())).as("cost and tool uses of " + e.getKey())
				.containsExactly(e.getValue().costPico(), e.getValue().toolUses());
		}
		// the rollups add up to the file totals
		assertThat(this.app.jdbc()
			.sql("SELECT COALESCE(SUM(messages), 0), COALESCE(SUM(output_tokens), 0) FROM usage_rollup")
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single())
			.containsExactly(this.app.jdbc()
				.sql("SELECT COALESCE(SUM(messages), 0), COALESCE(SUM(output_tokens), 0) FROM source_file")
				.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
				.single());
		// the global buckets are the rollups summed by bucket and model, every column
		String columns = String.join(", ", UsageSums.COLUMNS);
		String sums = String.join(", ", UsageSums.COLUMNS.stream().map((c) -> "SUM(" + c + ")").toList());
		assertThat(rows("SELECT bucket, model, " + columns + " FROM usage_bucket ORDER BY bucket, model"))
			.isEqualTo(rows("SELECT bucket, model, " + sums
					+ " FROM usage_rollup GROUP BY bucket, model ORDER BY bucket, model"));
	}

	private List<String> rows(String sql) {
		return this.app.jdbc().sql(sql).query((rs, i) -> {
			StringBuilder row = new StringBuilder(rs.getString(2));
			row.insert(0, rs.getLong(1) + " ");
			for (int c = 3; c <= rs.getMetaData().getColumnCount(); c++) {
				row.append(' ').append(rs.getLong(c));
			}
			return row.toString();
		}).list();
	}

	/** The totals of the live rows by path. */
	private Map<String, long[]> dbTotals() {
		return totals(false);
	}

	/** The totals of the deleted rows by path, the last deleted row of a path. */
	private Map<String, long[]> deletedTotals() {
		return totals(true);
	}

	private Map<String, long[]> totals(boolean deleted) {
		Map<String, long[]> result = new TreeMap<>();
		this.app.jdbc().sql("""
				SELECT rel_path, messages, input_tokens, output_tokens, cache_write_5m, cache_write_1h, cache_read
				FROM source_file WHERE deleted = :deleted ORDER BY id
				""").param("deleted", deleted).query((rs) -> {
			result.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
					rs.getLong(6), rs.getLong(7) });
		});
		return result;
	}

	private Map<String, long[]> dbCosts() {
		Map<String, long[]> result = new TreeMap<>();
		this.app.jdbc()
			.sql("SELECT rel_path, cost_input + cost_output + cost_cache_write + cost_cache_read, tool_uses FROM source_file WHERE deleted = FALSE")
			.query((rs) -> {
				result.put(rs.getString(1), new long[] { rs.getLong(2), rs.getLong(3) });
			});
		return result;
	}

	private Path mainFile(String project, String session) throws IOException {
		Path file = projects().resolve(project).resolve(session + ".jsonl");
		Files.createDirectories(file.getParent());
		if (!Files.exists(file)) {
			Files.writeString(file, "", StandardCharsets.UTF_8);
		}
		return file;
	}

	/** The line of {@link #assistant} with one call, its id {@code id}. */
	private static String call(String line, String id) {
		return line.replace("\"id\":\"toolu_0\"", "\"id\":\"" + id + "\"");
	}

	static String assistant(String messageId, String requestId, long output, String session, boolean sidechain) {
		return assistant(messageId, requestId, output, session, sidechain, 0);
	}

	/** An assistant line with a text block and {@code toolUses} tool_use blocks. */
	static String assistant(String messageId, String requestId, long output, String session, boolean sidechain,
			int toolUses) {
		StringBuilder content = new StringBuilder("{\"type\":\"text\",\"text\":\"hi\"}");
		for (int i = 0; i < toolUses; i++) {
			content.append(",{\"type\":\"tool_use\",\"id\":\"toolu_")
				.append(i)
				.append("\",\"name\":\"Bash\",\"input\":{}}");
		}
		return "{\"type\":\"assistant\",\"sessionId\":\"" + session + "\",\"isSidechain\":" + sidechain
				+ ",\"timestamp\":\"2026-03-01T10:00:00.000Z\",\"requestId\":\"" + requestId
				+ "\",\"message\":{\"id\":\"" + messageId + "\",\"model\":\"claude-opus-4-6\",\"content\":[" + content
				+ "],\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output + "}}}\n";
	}

}
