package dev.cctracer.worker.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import dev.cctracer.worker.indexing.TracerContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database that opens at an older data version than the data dir last committed (its
 * file cut short, partly overwritten, or restored from a copy: H2 opens it at its last
 * intact commit) is said to have gone back, in the log and in {@code recovery.json}; a
 * restart of an intact one says nothing.
 */
@ExtendWith(OutputCaptureExtension.class)
class CommitMarkTests {

	private static final String S1 = "aaaaaaaa-0000-4000-8000-000000000001";

	private static final String S2 = "aaaaaaaa-0000-4000-8000-000000000002";

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
	void shouldSayWhenTheDatabaseWentBackToAnEarlierCommit(CapturedOutput output) throws Exception {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		Files.writeString(project.resolve(S1 + ".jsonl"), line("m1", S1));
		start().indexer().scanAndIngest();
		this.app.close();
		Path db = this.tmp.resolve("data/db/cctracer.mv.db");
		Path copy = this.tmp.resolve("copy.mv.db");
		Files.copy(db, copy);
		// a restart of the intact database, more commits
		start();
		Files.writeString(project.resolve(S2 + ".jsonl"), line("m2", S2));
		this.app.indexer().scanAndIngest();
		long committed = this.app.jdbc()
			.sql("SELECT long_value FROM app_meta WHERE name = 'data_version'")
			.query(Long.class)
			.single();
		this.app.close();
		assertThat(output).doesNotContain("older than the");
		assertThat(this.tmp.resolve("data/recovery.json")).doesNotExist();
		// the file back at an earlier commit
		Files.copy(copy, db, StandardCopyOption.REPLACE_EXISTING);
		start();
		long opened = this.app.jdbc()
			.sql("SELECT long_value FROM app_meta WHERE name = 'data_version'")
			.query(Long.class)
			.single();
		assertThat(opened).isPositive().isLessThan(committed);
		assertThat(output).contains("the database opened at data version " + opened + ", older than the " + committed
				+ " this data dir last committed");
		JsonNode recovery = new ObjectMapper().readTree(this.tmp.resolve("data/recovery.json").toFile());
		assertThat(recovery.get("reason").asText())
			.isEqualTo("the database went back from data version " + committed + " to " + opened);
		assertThat(recovery.get("lost").asText()).startsWith("the totals of transcripts deleted from disk");
		// the transcripts on disk are read again from where it stood
		this.app.indexer().scanAndIngest();
		assertThat(this.app.projectTotals().get("-p").get(0)).isEqualTo(2L);
	}

	/**
	 * A file cut to half opened at the state before its first commit (data version 0): a
	 * going back too, said as one (a trial saw the history of a deleted transcript go
	 * without a word); a database file removed by hand is a new database, said nothing
	 * of.
	 */
	@Test
	void shouldSayWhenTheDatabaseWentBackToBeforeItsFirstCommit(CapturedOutput output) throws Exception {
		Path project = Files.createDirectories(this.tmp.resolve("claude/projects/-p"));
		start();
		this.app.close();
		Path db = this.tmp.resolve("data/db/cctracer.mv.db");
		Path empty = this.tmp.resolve("empty.mv.db");
		Files.copy(db, empty);
		start();
		Files.writeString(project.resolve(S1 + ".jsonl"), line("m1", S1));
		this.app.indexer().scanAndIngest();
		this.app.close();
		Path mark = this.tmp.resolve("data/db/cctracer.last-commit");
		long committed = Long.parseLong(Files.readString(mark).strip());
		assertThat(committed).isPositive();
		// removed by hand: a new database, its old mark removed with it
		Files.delete(db);
		start();
		this.app.close();
		assertThat(output).doesNotContain("older than the");
		assertThat(this.tmp.resolve("data/recovery.json")).doesNotExist();
		// the file back at the state before its first commit
		Files.writeString(mark, Long.toString(committed));
		Files.copy(empty, db, StandardCopyOption.REPLACE_EXISTING);
		start();
		assertThat(output).contains(
				"the database opened at data version 0, older than the " + committed + " this data dir last committed");
		JsonNode recovery = new ObjectMapper().readTree(this.tmp.resolve("data/recovery.json").toFile());
		assertThat(recovery.get("reason").asText())
			.isEqualTo("the database went back from data version " + committed + " to 0");
	}

	private TracerContext start() {
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"));
		return this.app;
	}

	private static String line(String id, String session) {
		return "{\"type\":\"assistant\",\"sessionId\":\"" + session + "\",\"timestamp\":\"2026-03-01T10:00:00.000Z\","
				+ "\"requestId\":\"r-" + id + "\",\"message\":{\"id\":\"" + id + "\",\"model\":\"claude-opus-4-6\","
				+ "\"content\":[],\"usage\":{\"input_tokens\":1,\"output_tokens\":5}}}\n";
	}

}
