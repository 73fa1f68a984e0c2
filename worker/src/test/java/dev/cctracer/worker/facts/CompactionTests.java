package dev.cctracer.worker.facts;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.job.QuerySpec;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LineHandler;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.worker.analytics.QueryRunner;
import dev.cctracer.worker.duckdb.DuckDbEngine;
import dev.cctracer.worker.indexing.Indexer;
import dev.cctracer.worker.indexing.TracerContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The facts and their compaction: the facts of a file are its JSONL's objects, in order,
 * with their fields as the ingest read them; one sync writes a batch per parse thread; a
 * file that grows gets a second segment in a second batch, and compaction merges the
 * batches (and the file's segments) without changing a total.
 */
class CompactionTests {

	@TempDir
	Path tmp;

	private ConfigurableApplicationContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	@Test
	void factsRoundTripAndCompactionKeepsEveryTotal() throws Exception {
		Path claude = this.tmp.resolve("claude");
		RealDataLayout.create(RealDataLayout.source(), claude);
		new DatasetGenerator(DatasetGenerator.Spec.tiny(5)).generate(claude);
		this.app = TracerContext.start(claude, this.tmp.resolve("data"), "cctracer.archive.quiet=0s",
				"cctracer.facts.after-commit=false").context;
		this.app.getBean(Indexer.class).scanAndIngest();
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		FactsStore facts = this.app.getBean(FactsStore.class);
		FactsStore.Synced synced = facts.sync((n) -> {
		});
		long committedFiles = jdbc.sql("SELECT COUNT(*) FROM source_file WHERE committed_offset > 0")
			.query(Long.class)
			.single();
		assertThat(synced.written()).isEqualTo(committedFiles);
		assertTotalsEqual(jdbc);

		// round trip: the facts are the JSONL's objects, in order, with their fields
		Path main = claude.resolve("projects/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + ".jsonl");
		long mainId = jdbc.sql("SELECT id FROM source_file WHERE rel_path LIKE :rel")
			.param("rel", "%" + RealDataLayout.MAIN_SESSION + ".jsonl")
			.query(Long.class)
			.single();
		Path entries = facts.resolve(jdbc.sql("SELECT entries_path FROM fact_segment WHERE file_id = :id")
			.param("id", mainId)
			.query(String.class)
			.single());
		// transcript content: readable by its owner only
		assertThat(Files.getPosixFilePermissions(entries)).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(entries.getParent())))
			.isEqualTo("rwx------");
		List<String> fromJsonl = new ArrayList<>();
		try (FileChannel ch = FileChannel.open(main, StandardOpenOption.READ)) {
			new JsonlReader().read(ch, 0, ch.size(), new LineHandler() {
				@Override
				public void entry(long offset, LogEntry e) {
					fromJsonl.add(offset + "|" + e.rawType() + "|" + e.messageId() + "|" + e.requestId() + "|"
							+ ((e.usage() != null) ? e.usage().output() + "/" + e.usage().cacheRead() : "-"));
				}

				@Override
				public void invalid(long offset) {
				}

				@Override
				public void overlong(long offset, long length) {
				}
			});
		}
		List<String> fromFacts = new ArrayList<>();
		try (Connection c = this.app.getBean(DuckDbEngine.class).connection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("""
						SELECT off, type, mid, rid, outp, rd FROM read_parquet('%s') WHERE file_id = %d ORDER BY off
						""".formatted(entries, mainId))) {
			while (rs.next()) {
				String usage = (rs.getObject(5) != null) ? rs.getLong(5) + "/" + rs.getLong(6) : "-";
				fromFacts.add(rs.getLong(1) + "|" + rs.getString(2) + "|" + rs.getString(3) + "|" + rs.getString(4)
						+ "|" + usage);
			}
		}
		assertThat(fromFacts).hasSize(2385).containsExactlyElementsOf(fromJsonl);

		// one batch per parse thread (cctracer.ingest.parse-threads, 2) holds every
		// file's
		// facts
		assertThat(jdbc.sql("SELECT COUNT(DISTINCT entries_path) FROM fact_segment").query(Long.class).single())
			.isEqualTo(2);
		// each batch is written in the order its rows were appended (file id, then
		// offset), without a sort: the order readers' row-group pruning relies on
		for (String batch : jdbc.sql("SELECT DISTINCT entries_path FROM fact_segment").query(String.class).list()) {
			assertThat(storedOrder(facts.resolve(batch))).isSorted();
		}

		// a file that grows gets a second segment, in a second batch; compaction merges
		// the batches, and the file's two segments into one
		Path shortFile = claude
			.resolve("projects/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.SHORT_SESSION + ".jsonl");
		Files.writeString(shortFile,
				"{\"type\":\"assistant\",\"timestamp\":\"2026-02-10T22:00:00Z\",\"requestId\":\"rq\","
						+ "\"message\":{\"id\":\"m-new\",\"model\":\"claude-opus-4-6\",\"usage\":{\"output_tokens\":77}}}\n",
				StandardOpenOption.APPEND);
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(facts.sync((n) -> {
		}).written()).isEqualTo(1);
		assertTotalsEqual(jdbc);
		List<String> before = segmentsOf(jdbc, RealDataLayout.SHORT_SESSION);
		assertThat(before).hasSize(2);
		CompactionJobs.ArchiveReport report = this.app.getBean(CompactionJobs.class).compactNow();
		assertThat(report.converted()).isEqualTo(3);
		assertThat(jdbc.sql("SELECT COUNT(DISTINCT entries_path) FROM fact_segment").query(Long.class).single())
			.isEqualTo(1);
		assertThat(segmentsOf(jdbc, RealDataLayout.SHORT_SESSION)).hasSize(1);
		// the merged batches are no longer named; they go with the orphans after an hour
		for (String old : before) {
			assertThat(jdbc.sql("SELECT COUNT(*) FROM fact_segment WHERE entries_path = :p")
				.param("p", old)
				.query(Long.class)
				.single()).isZero();
			assertThat(facts.resolve(old)).exists();
		}
		// an hour later the next run removes them, and only them
		for (String old : before) {
			for (Path p : List.of(facts.resolve(old), facts.resolve(FactsStore.toolsPathOf(old)))) {
				Files.setLastModifiedTime(p, FileTime.fromMillis(System.currentTimeMillis() - 2 * 3600_000));
			}
		}
		CompactionJobs.ArchiveReport later = this.app.getBean(CompactionJobs.class).compactNow();
		assertThat(later.converted()).isZero();
		for (String old : before) {
			assertThat(facts.resolve(old)).doesNotExist();
			assertThat(facts.resolve(FactsStore.toolsPathOf(old))).doesNotExist();
		}
		assertThat(facts.resolve(segmentsOf(jdbc, RealDataLayout.SHORT_SESSION).get(0))).exists();
		assertTotalsEqual(jdbc);
	}

	private static List<String> segmentsOf(JdbcClient jdbc, String session) {
		return jdbc
			.sql("""
					SELECT s.entries_path FROM fact_segment s JOIN source_file f ON f.id = s.file_id WHERE f.rel_path LIKE :rel
					""")
			.param("rel", "%" + session + ".jsonl")
			.query(String.class)
			.list();
	}

	/** The totals DuckDB counts over the facts equal the incremental ones. */
	private void assertTotalsEqual(JdbcClient jdbc) throws Exception {
		var rows = this.app.getBean(QueryRunner.class)
			.run(QuerySpec.of(List.of("project"), null, null, null, null, null, null), 1)
			.rows();
		for (String[] m : new String[][] { { "messages", "messages" }, { "input_tokens", "input_tokens" },
				{ "output_tokens", "output_tokens" }, { "cache_creation_5m_input_tokens", "cache_write_5m" },
				{ "cache_creation_1h_input_tokens", "cache_write_1h" }, { "cache_read_input_tokens", "cache_read" } }) {
			long counted = rows.stream().mapToLong((r) -> (Long) r.get(m[0])).sum();
			long incremental = jdbc.sql("SELECT COALESCE(SUM(" + m[1] + "), 0) FROM source_file WHERE deleted = FALSE")
				.query(Long.class)
				.single();
			assertThat(counted).as(m[0]).isEqualTo(incremental).isPositive();
		}
	}

	/**
	 * The (file id, offset) keys of a Parquet file's rows in the order they are stored.
	 */
	private List<String> storedOrder(Path parquet) throws Exception {
		List<String> keys = new ArrayList<>();
		try (Connection c = this.app.getBean(DuckDbEngine.class).connection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery(
						"SELECT file_id, off FROM read_parquet('%s', file_row_number = true)".formatted(parquet)
								+ " ORDER BY file_row_number")) {
			while (rs.next()) {
				keys.add(String.format("%012d|%015d", rs.getLong(1), rs.getLong(2)));
			}
		}
		assertThat(keys).isNotEmpty();
		return keys;
	}

}
