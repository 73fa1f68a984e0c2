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
 * A project's display path read from its own files ({@link FileQueries#projectPath}, a
 * session page's) is the one the project list gives ({@link FileQueries#projectPaths}):
 * the cwd of its earliest main file, else of its earliest other file, redacted.
 */
class ProjectPathTests {

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

	private int inserted;

	private void file(String project, String kind, Long firstTs, String cwd) {
		int id = ++this.inserted;
		this.jdbc.sql("""
				INSERT INTO source_file (root, rel_path, path_order, project_dir, kind, first_ts, cwd)
				VALUES ('/r', :rel, :rel, :p, :kind, :ts, :cwd)
				""")
			.param("rel", project + "/f" + id + ".jsonl")
			.param("p", project)
			.param("kind", kind)
			.param("ts", firstTs)
			.param("cwd", cwd)
			.update();
	}

}
