package dev.cctracer.web.usage;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.web.system.PageFixtures;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The file queries on the shipped schema (H2, Flyway): a project's display path read from
 * its own files ({@link FileQueries#projectPath}, a session page's) is the one the
 * project list gives ({@link FileQueries#projectPaths}); the admin console's file
 * statuses agree with the index status's count of pending files.
 */
class FileQueriesTests {

	@TempDir
	Path tmp;

	private JdbcClient jdbc;

	private FileQueries files;

	@BeforeEach
	void database() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:file:" + this.tmp.resolve("db") + ";DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(h2).load().migrate();
		this.jdbc = JdbcClient.create(h2);
		this.files = new FileQueries(this.jdbc, PageFixtures.tracerProperties("off"));
	}

	@Test
	void aProjectsPathIsTheCwdOfItsEarliestMainFileElseOfItsEarliestFile() {
		// main files: the earliest one with a cwd wins, whatever order they were found in
		file("-a", "MAIN", 300L, "/home/me/late");
		file("-a", "MAIN", 100L, "/home/me/early");
		file("-a", "SUBAGENT", 50L, "/home/me/subagent");
		file("-a", "MAIN", 10L, null);
		// no main file with a cwd: the earliest other file's
		file("-b", "SUBAGENT", 20L, "/home/me/b-second");
		file("-b", "SUBAGENT", 10L, "/home/me/b-first");
		file("-b", "MAIN", 5L, null);
		// no first time: before any timed file, then by id
		file("-c", "MAIN", null, "/home/me/c-untimed");
		file("-c", "MAIN", 1L, "/home/me/c-timed");
		file("-c", "MAIN", null, "/home/me/c-untimed-later");
		// a secret in a folder's name is redacted in both readings
		file("-d", "MAIN", 1L, "/home/me/sk-ant-api03-" + "x".repeat(40));
		// no cwd at all
		file("-e", "MAIN", 1L, null);

		Map<String, String> all = this.files.projectPaths();
		assertThat(all).containsEntry("-a", "/home/me/early")
			.containsEntry("-b", "/home/me/b-first")
			.containsEntry("-c", "/home/me/c-untimed")
			.doesNotContainKey("-e");
		assertThat(all.get("-d")).startsWith("/home/me/").doesNotContain("x".repeat(40));
		for (String project : new String[] { "-a", "-b", "-c", "-d", "-e", "-unknown" }) {
			assertThat(this.files.projectPath(project)).as(project).isEqualTo(Optional.ofNullable(all.get(project)));
		}
	}

	@Test
	void aFileReadToAnUnfinishedLastLineIsNotPendingButSaysSo() {
		// read to its end at its last scan; the last 264 bytes are a line without its
		// newline: nothing to read until it ends or the file has been quiet a while (a
		// trial saw it "pending" beside "0 pending")
		file("-p", "MAIN", 1L, "/p", 9_507, 9_771, 9_771);
		// changed since its last read: pending, in the row and in the count
		file("-p", "MAIN", 1L, "/p", 4_096, 8_192, 4_096);
		// read whole
		file("-p", "MAIN", 1L, "/p", 100, 100, 100);
		assertThat(this.files.filePage(10, 0)).extracting(IndexedFiles.FileRow::status)
			.containsExactlyInAnyOrder("partial line", "pending", "ingested");
		assertThat(this.files.indexStatus()).containsEntry("pending", 1L);
	}

	private int inserted;

	private void file(String project, String kind, Long firstTs, String cwd) {
		file(project, kind, firstTs, cwd, 0, 0, 0);
	}

	/**
	 * A file row: its committed bytes, its size at the last stat ({@code seen}) and at
	 * the last read ({@code read}, same mtime when equal).
	 */
	private void file(String project, String kind, Long firstTs, String cwd, long committed, long seen, long read) {
		int id = ++this.inserted;
		this.jdbc.sql("""
				INSERT INTO source_file (root, rel_path, path_order, project_dir, kind, first_ts, cwd, committed_offset,
				  seen_size, seen_mtime, size_at_scan, mtime_at_scan)
				VALUES ('/r', :rel, :rel, :p, :kind, :ts, :cwd, :committed, :seen, 1000, :read,
				  CASE WHEN :seen = :read THEN 1000 ELSE 900 END)
				""")
			.param("committed", committed)
			.param("seen", seen)
			.param("read", read)
			.param("rel", project + "/f" + id + ".jsonl")
			.param("p", project)
			.param("kind", kind)
			.param("ts", firstTs)
			.param("cwd", cwd)
			.update();
	}

}
