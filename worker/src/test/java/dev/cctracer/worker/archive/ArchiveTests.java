package dev.cctracer.worker.archive;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LineHandler;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.worker.WorkerApplication;
import dev.cctracer.worker.analytics.QueryRunner;
import dev.cctracer.worker.duckdb.DuckDbEngine;
import dev.cctracer.worker.duckdb.ProjectTotals;
import dev.cctracer.worker.indexing.Indexer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Parquet archive: content round-trips to the JSONL it came from, totals read from
 * the archive equal the incremental ones, and a file that changes is read from JSONL
 * until converted again.
 */
class ArchiveTests {

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
	void shouldArchiveQuietFilesWhoseContentRoundTripsAndWhoseTotalsStayExact() throws Exception {
		Path claude = this.tmp.resolve("claude");
		RealDataLayout.create(realData(), claude);
		new DatasetGenerator(DatasetGenerator.Spec.tiny(5)).generate(claude);
		this.app = new SpringApplicationBuilder(WorkerApplication.class)
			.properties("cctracer.claude-dirs=" + claude, "cctracer.data-dir=" + this.tmp.resolve("data"),
					"cctracer.ingest.watch=false", "cctracer.ingest.enabled=false", "cctracer.archive.quiet=0s",
					"jobrunr.background-job-server.enabled=false", "spring.main.banner-mode=off",
					"logging.level.root=WARN")
			.run();
		this.app.getBean(Indexer.class).scanAndIngest();
		JdbcClient jdbc = this.app.getBean(JdbcClient.class);
		ArchiveJobs jobs = this.app.getBean(ArchiveJobs.class);
		ArchiveJobs.ArchiveReport report = jobs.archiveNow();
		long fullyCommitted = jdbc.sql("SELECT COUNT(*) FROM source_file WHERE committed_offset > 0")
			.query(Long.class)
			.single();
		// every file but edge_cases.jsonl, whose unterminated last line is not committed
		assertThat(report.converted()).isEqualTo(fullyCommitted - 1);
		assertThat(report.bytesOut()).isLessThan(report.bytesIn());

		// round trip: the archived rows are the JSONL's objects, in order, with their
		// fields
		Path main = claude.resolve("projects/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.MAIN_SESSION + ".jsonl");
		String parquet = jdbc.sql("""
				SELECT p.path FROM parquet_file p JOIN source_file f ON f.id = p.file_id WHERE f.rel_path LIKE :rel
				""").param("rel", "%" + RealDataLayout.MAIN_SESSION + ".jsonl").query(String.class).single();
		// transcript content: readable by its owner only
		assertThat(Files.getPosixFilePermissions(Path.of(parquet)))
			.containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(parquet).getParent())))
			.isEqualTo("rwx------");
		List<String> fromJsonl = new ArrayList<>();
		try (FileChannel ch = FileChannel.open(main, StandardOpenOption.READ)) {
			new JsonlReader().read(ch, 0, ch.size(), new LineHandler() {
				@Override
				public void entry(long offset, LogEntry e) {
					fromJsonl.add(e.rawType() + "|" + e.timestamp() + "|" + e.messageId() + "|" + e.requestId() + "|"
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
		List<String> fromParquet = new ArrayList<>();
		try (Connection c = this.app.getBean(DuckDbEngine.class).connection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("""
						SELECT type, epoch_ms(TRY_CAST("timestamp" AS TIMESTAMP)), message.id, requestId,
						  json_extract_string(message.usage, '$.output_tokens'),
						  json_extract_string(message.usage, '$.cache_read_input_tokens')
						FROM read_parquet('%s') ORDER BY rn
						""".formatted(parquet))) {
			while (rs.next()) {
				String usage = (rs.getString(5) != null) ? rs.getString(5) + "/" + rs.getString(6) : "-";
				fromParquet.add(rs.getString(1) + "|" + (Long) rs.getObject(2, Long.class) + "|" + rs.getString(3) + "|"
						+ rs.getString(4) + "|" + usage);
			}
		}
		assertThat(fromParquet).hasSize(2385).containsExactlyElementsOf(fromJsonl);

		// totals recomputed from the archive equal the incremental totals
		QueryRunner queries = this.app.getBean(QueryRunner.class);
		assertThat(ProjectTotals.queried(queries)).isEqualTo(ProjectTotals.incremental(jdbc));

		// a file that grows is read from JSONL until converted again, then the old copy
		// is gone
		Path shortFile = claude
			.resolve("projects/" + RealDataLayout.SPOTTER + "/" + RealDataLayout.SHORT_SESSION + ".jsonl");
		String oldCopy = jdbc.sql("""
				SELECT p.path FROM parquet_file p JOIN source_file f ON f.id = p.file_id WHERE f.rel_path LIKE :rel
				""").param("rel", "%" + RealDataLayout.SHORT_SESSION + ".jsonl").query(String.class).single();
		Files.writeString(shortFile,
				"{\"type\":\"assistant\",\"timestamp\":\"2026-02-10T22:00:00Z\",\"requestId\":\"rq\","
						+ "\"message\":{\"id\":\"m-new\",\"model\":\"claude-opus-4-6\",\"usage\":{\"output_tokens\":77}}}\n",
				StandardOpenOption.APPEND);
		this.app.getBean(Indexer.class).scanAndIngest();
		assertThat(ProjectTotals.queried(queries)).isEqualTo(ProjectTotals.incremental(jdbc));
		ArchiveJobs.ArchiveReport again = jobs.archiveNow();
		assertThat(again.converted()).isEqualTo(1);
		assertThat(Files.exists(Path.of(oldCopy))).isFalse();
		assertThat(ProjectTotals.queried(queries)).isEqualTo(ProjectTotals.incremental(jdbc));
	}

	private static Path realData() {
		String configured = System.getProperty("realdata.dir");
		return Path.of((configured != null) ? configured : "../../shared/realdata").toAbsolutePath().normalize();
	}

}
