package dev.cctracer.worker.indexing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import io.zonky.test.db.postgres.junit5.EmbeddedPostgresExtension;
import io.zonky.test.db.postgres.junit5.SingleInstancePostgresExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * A deleted file's ties on a team's PostgreSQL: a project dir renamed counts under its
 * new name, a transcript put back takes its ties back by path order, and a revive another
 * row beat to the path (another scanner) changes nothing and fails nothing — on
 * PostgreSQL a failed statement aborts its transaction, which must roll back rather than
 * fail its commit. Hand-set: outputs 5 (two tool calls) and 7.
 */
class DeletedTiesOnPostgresTests {

	@RegisterExtension
	static final SingleInstancePostgresExtension postgres = EmbeddedPostgresExtension.singleInstance();

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

	@Test
	void aRenamedProjectDirCountsUnderItsNewNameAndAPutBackTranscriptTakesItsTiesBack() throws Exception {
		Path projects = this.tmp.resolve("claude/projects");
		Path old = Files.createDirectories(projects.resolve("-a-old")).resolve(S1 + ".jsonl");
		Files.writeString(old, IngestIntegrationTests.assistant("m1", "r1", 5, S1, false, 2)
				+ IngestIntegrationTests.assistant("m2", "r2", 7, S1, false));
		start();
		this.app.indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(2L, 12L, 2L)));
		Path renamed = projects.resolve("-b-new");
		Files.move(old.getParent(), renamed);
		this.app.indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(0L, 0L, 0L)),
				entry("-b-new", List.of(2L, 12L, 2L)));
		Files.createDirectories(old.getParent());
		Files.copy(renamed.resolve(old.getFileName()), old);
		this.app.indexer().scanAndIngest();
		assertThat(this.app.jdbc().sql("SELECT COUNT(*) FROM source_file").query(Long.class).single()).isEqualTo(2);
		assertThat(this.app.projectTotals()).containsOnly(entry("-a-old", List.of(2L, 12L, 2L)),
				entry("-b-new", List.of(0L, 0L, 0L)));
	}

	@Test
	void aReviveAnotherRowBeatToThePathChangesNothing() throws Exception {
		Path projects = this.tmp.resolve("claude/projects");
		Path file = Files.createDirectories(projects.resolve("-p")).resolve(S1 + ".jsonl");
		Files.writeString(file, IngestIntegrationTests.assistant("m1", "r1", 5, S1, false));
		start();
		this.app.indexer().scanAndIngest();
		Row first = onlyRow(false);
		Files.delete(file);
		this.app.indexer().scanAndIngest();
		// another transcript at the path: a row of its own holds the path
		Files.writeString(file, IngestIntegrationTests.assistant("m2", "r2", 7, S1, false));
		this.app.indexer().scanAndIngest();
		long version = dataVersion();
		boolean revived = this.app.ingest()
			.revive(first.id(), first.root(), first.relPath(), Files.size(file),
					Files.getLastModifiedTime(file).toMillis());
		assertThat(revived).isFalse();
		assertThat(dataVersion()).isEqualTo(version);
		assertThat(onlyRow(true).id()).isEqualTo(first.id());
		assertThat(this.app.projectTotals()).containsOnly(entry("-p", List.of(2L, 12L, 0L)));
		// the next ingest goes on as before
		Files.writeString(file, IngestIntegrationTests.assistant("m3", "r3", 3, S1, false), StandardOpenOption.APPEND);
		this.app.indexer().scanAndIngest();
		assertThat(this.app.projectTotals()).containsOnly(entry("-p", List.of(3L, 15L, 0L)));
	}

	private void start() throws Exception {
		String database = "ties_" + UUID.randomUUID().toString().replace("-", "");
		try (Connection c = postgres.getEmbeddedPostgres().getPostgresDatabase().getConnection();
				Statement s = c.createStatement()) {
			s.execute("CREATE DATABASE " + database);
		}
		this.app = TracerContext.startWithArgs(this.tmp.resolve("claude"), this.tmp.resolve("data"),
				"--spring.datasource.url=" + postgres.getEmbeddedPostgres().getJdbcUrl("postgres", database),
				"--spring.datasource.username=postgres", "--spring.datasource.password=postgres");
	}

	/** A file row's id and path. */
	private record Row(long id, String root, String relPath) {

	}

	private Row onlyRow(boolean deleted) {
		return this.app.jdbc()
			.sql("SELECT id, root, rel_path FROM source_file WHERE deleted = :d")
			.param("d", deleted)
			.query((rs, i) -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)))
			.single();
	}

	private long dataVersion() {
		return this.app.jdbc()
			.sql("SELECT long_value FROM app_meta WHERE name = 'data_version'")
			.query(Long.class)
			.single();
	}

}
