package dev.cctracer.db.job;

import java.nio.file.Path;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job's request text (a search's, which may be a key the user looks for) is kept only
 * while the job runs: its result or its error takes it away (search jobs are not retried:
 * asking again is a new job with its own row).
 */
class JobRequestRepositoryTests {

	@TempDir
	Path tmp;

	private JdbcClient jdbc;

	private JobRequestRepository jobs;

	@BeforeEach
	void migrate() {
		JdbcDataSource h2 = new JdbcDataSource();
		h2.setURL("jdbc:h2:file:" + this.tmp.resolve("db") + ";DB_CLOSE_ON_EXIT=FALSE;DB_CLOSE_DELAY=-1");
		Flyway.configure().dataSource(h2).load().migrate();
		this.jdbc = JdbcClient.create(h2);
		this.jobs = new JobRequestRepository(this.jdbc);
	}

	@AfterEach
	void close() {
		this.jdbc.sql("SHUTDOWN").update();
	}

	private long textsKept() {
		return this.jdbc.sql("SELECT COUNT(*) FROM job_request WHERE request_text IS NOT NULL")
			.query(Long.class)
			.single();
	}

	@Test
	void shouldKeepARequestTextUntilTheJobStoresItsResultOrItsError() {
		this.jobs.insertIfAbsent("a", "search", "full-text search", 1, "sk-ant-api03-secret");
		this.jobs.insertIfAbsent("b", "search", "full-text search", 2, "another");
		this.jobs.insertIfAbsent("c", "query", "a query", 3, null);
		assertThat(this.jobs.requestText("a")).contains("sk-ant-api03-secret");
		assertThat(this.jobs.requestText("c")).isEmpty();
		this.jobs.saveResult("a", "{}", 4);
		this.jobs.saveError("b", "failed", 5);
		assertThat(this.jobs.requestText("a")).isEmpty();
		assertThat(this.jobs.requestText("b")).isEmpty();
		assertThat(textsKept()).isZero();
	}

	@Test
	void shouldGiveAJobRecordedWithoutItsTextTheTextWhileItHasNotEnded() {
		// a job recorded by a version that passed the text as its argument
		this.jobs.insertIfAbsent("a", "search", "full-text search", 1, null);
		this.jobs.insertIfAbsent("a", "search", "full-text search", 2, "zebra");
		assertThat(this.jobs.requestText("a")).contains("zebra");
		// an ended job is not given it again
		this.jobs.saveResult("a", "{}", 3);
		this.jobs.insertIfAbsent("a", "search", "full-text search", 4, "zebra");
		assertThat(textsKept()).isZero();
	}

}
