package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.worker.PathProblem;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Transcripts crafted with counts at the per-line cap (a billion tokens: a valid line)
 * whose sums pass 64-bit pico-USD: one file of 200 such lines wrapped its cost negative,
 * two files of 100 in one quarter-hour failed their batch's commit at every scan, holding
 * back every other file of it. Now such a file is refused alone, named with why, and the
 * others count exactly; nothing is negative. Each crafted line is 1e9 input and 1e9
 * output tokens of Claude Opus 4.1 ($15 and $75 per million): $90,000; the small file's
 * line, 100 and 100: $0.009.
 */
class CraftedCountsTests {

	private static final String PROJECT = "-work-crafted";

	private static final BigDecimal PICO = new BigDecimal("1e12");

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
	void aFileWhoseSumsPass64BitsIsRefusedAloneAndTheRestCountsExactly() throws Exception {
		Path dir = Files.createDirectories(this.tmp.resolve("claude/projects/" + PROJECT));
		write(dir, "aaaaaaaa-0000-4000-8000-000000000001", "a", 100, 1_000_000_000L);
		write(dir, "bbbbbbbb-0000-4000-8000-000000000002", "b", 100, 1_000_000_000L);
		write(dir, "cccccccc-0000-4000-8000-000000000003", "c", 1, 100L);
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"));
		this.app.indexer().scanAndIngest();

		// one crafted file fits ($9M), the second would pass 2^63 pico-USD in the same
		// quarter-hour: it alone is not counted; the small file is
		assertThat(counted()).isEqualTo(List.of(100L * 1_000_000_000L + 100, 101L));
		assertThat(cost()).isEqualByComparingTo("9000000.009");
		List<PathProblem> problems = this.app.indexer().lastProblems();
		assertThat(problems).hasSize(1);
		assertThat(problems.get(0).path()).endsWith("bbbbbbbb-0000-4000-8000-000000000002.jsonl");
		assertThat(problems.get(0).reason()).startsWith("its usage sums pass 64 bits");
		assertNothingNegative();

		// the next scan tries it again, refused again, nothing counted twice; no data
		// changed, so the data version stays (the answers cached under it stay)
		long version = dataVersion();
		this.app.indexer().scanAndIngest();
		assertThat(counted()).isEqualTo(List.of(100L * 1_000_000_000L + 100, 101L));
		assertThat(this.app.indexer().lastProblems()).hasSize(1);
		assertThat(dataVersion()).isEqualTo(version);

		// replaced by a real transcript's counts, it is counted and no longer named
		write(dir, "bbbbbbbb-0000-4000-8000-000000000002", "b2", 2, 1_000L);
		this.app.indexer().scanAndIngest();
		assertThat(counted()).isEqualTo(List.of(100L * 1_000_000_000L + 100 + 2_000, 103L));
		assertThat(this.app.indexer().lastProblems()).isEmpty();
		assertThat(dataVersion()).isGreaterThan(version);
	}

	@Test
	void oneFileWhoseOwnSumPasses64BitsIsNotCountedRatherThanWrappedNegative() throws Exception {
		Path dir = Files.createDirectories(this.tmp.resolve("claude/projects/" + PROJECT));
		write(dir, "aaaaaaaa-0000-4000-8000-000000000001", "a", 200, 1_000_000_000L);
		write(dir, "cccccccc-0000-4000-8000-000000000003", "c", 1, 100L);
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"));
		this.app.indexer().scanAndIngest();

		assertThat(counted()).isEqualTo(List.of(100L, 1L));
		assertThat(cost()).isEqualByComparingTo("0.009");
		assertThat(this.app.indexer().lastProblems()).singleElement()
			.satisfies((p) -> assertThat(p.path()).endsWith("aaaaaaaa-0000-4000-8000-000000000001.jsonl"));
		assertNothingNegative();
	}

	/**
	 * {@code lines} responses of Opus 4.1 in one quarter-hour, each with these counts.
	 */
	private static void write(Path dir, String session, String prefix, int lines, long tokens) throws IOException {
		StringBuilder sb = new StringBuilder();
		for (int i = 0; i < lines; i++) {
			sb.append(String.format("{\"type\":\"assistant\",\"sessionId\":\"%s\",\"uuid\":\"%s-u%d\","
					+ "\"timestamp\":\"2026-11-01T10:%02d:%02d.000Z\",\"requestId\":\"req_%s_%d\",\"message\":"
					+ "{\"id\":\"msg_%s_%d\",\"model\":\"claude-opus-4-1-20250805\",\"role\":\"assistant\","
					+ "\"content\":[{\"type\":\"text\",\"text\":\"x\"}],\"usage\":{\"input_tokens\":%d,"
					+ "\"output_tokens\":%d,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}}}%n",
					session, prefix, i, i / 60 % 10, i % 60, prefix, i, prefix, i, tokens, tokens));
		}
		Files.writeString(dir.resolve(session + ".jsonl"), sb);
	}

	/** Input tokens and messages the project's files count. */
	private List<Long> counted() {
		return this.app.jdbc()
			.sql("SELECT COALESCE(SUM(input_tokens), 0), COALESCE(SUM(messages), 0) FROM source_file")
			.query((rs, n) -> List.of(rs.getLong(1), rs.getLong(2)))
			.single();
	}

	/** The files' cost, USD. */
	private BigDecimal cost() {
		BigDecimal pico = this.app.jdbc()
			.sql("SELECT COALESCE(SUM(CAST(cost_input AS DECIMAL(38)) + cost_output + cost_cache_write + cost_cache_read), 0) "
					+ "FROM source_file")
			.query(BigDecimal.class)
			.single();
		return pico.divide(PICO);
	}

	private long dataVersion() {
		return this.app.jdbc()
			.sql("SELECT long_value FROM app_meta WHERE name = 'data_version'")
			.query(Long.class)
			.single();
	}

	private void assertNothingNegative() {
		for (String table : new String[] { "source_file", "usage_rollup", "usage_bucket" }) {
			Long negative = this.app.jdbc()
				.sql("SELECT COUNT(*) FROM " + table + " WHERE cost_input < 0 OR cost_output < 0 OR input_tokens < 0")
				.query(Long.class)
				.single();
			assertThat(negative).as(table).isZero();
		}
	}

}
