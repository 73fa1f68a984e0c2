package dev.cctracer.worker.verify;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.RealDataLayout;
import dev.cctracer.shared.discovery.FileIdentity;
import dev.cctracer.worker.indexing.TracerContext;
import dev.cctracer.worker.verify.RebuildVerifier.NotCompared;
import dev.cctracer.worker.verify.RebuildVerifier.Reason;
import dev.cctracer.worker.verify.RebuildVerifier.Report;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RebuildVerifier} against the real ingest: equal on real and generated
 * transcripts, on lines DuckDB could not read (an escaped lone surrogate, a line over the
 * cap), after appends, truncations, replacements and deletions; files it cannot read
 * again are named, not differences; a wrong incremental total is a difference naming its
 * file.
 */
class RebuildVerifierTests {

	private static final String A = "aaaaaaaa-0000-4000-8000-000000000001";

	private static final String B = "bbbbbbbb-0000-4000-8000-000000000002";

	private static final String C = "cccccccc-0000-4000-8000-000000000003";

	@TempDir
	Path tmp;

	private TracerContext app;

	@AfterEach
	void close() {
		if (this.app != null) {
			this.app.close();
		}
	}

	private Path projects() {
		return this.tmp.resolve("claude/projects");
	}

	private void start() {
		this.app = TracerContext.start(this.tmp.resolve("claude"), this.tmp.resolve("data"));
	}

	private Report ingestAndVerify() throws Exception {
		this.app.indexer().scanAndIngest();
		return verify();
	}

	private Report verify() throws IOException {
		Report report = this.app.context.getBean(RebuildVerifier.class).verify((n) -> {
		});
		assertThat(report.rebuilt().keySet()).containsExactlyElementsOf(RebuildVerifier.MEASURES);
		return report;
	}

	@Test
	void shouldEqualTheIncrementalTotalsOfRealAndGeneratedData() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
		new DatasetGenerator(DatasetGenerator.Spec.tiny(3)).generate(this.tmp.resolve("claude"));
		Path growing = projects().resolve("-grow/" + A + ".jsonl");
		Files.createDirectories(growing.getParent());
		Files.writeString(growing, line("m1", "r", 10) + "{\"type\":\"assi");
		start();
		this.app.indexer().scanAndIngest();
		// the file grows after the ingest: only its committed bytes are read again
		Files.writeString(growing, "stant\"}\n" + line("m2", "r", 20), StandardOpenOption.APPEND);
		Report report = verify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(report.filesCompared()).isGreaterThan(40);
		assertThat(report.filesNotCompared()).isZero();
		assertThat(report.rebuilt()).isEqualTo(report.incremental());
		assertThat(report.rebuilt().get("messages")).isGreaterThan(500);
		assertThat(report.rebuilt().get("cache_read")).isGreaterThan(0);
		assertThat(report.rebuilt().get("tool_uses")).isGreaterThan(100);
		// the lines read again are the lines the ingest counted, malformed ones included
		JdbcClient jdbc = this.app.jdbc();
		assertThat(report.linesRead()).isEqualTo(sum(jdbc, "lines"));
		assertThat(report.invalidLines()).isEqualTo(sum(jdbc, "invalid_lines")).isPositive();
		assertThat(report.overlongLines()).isZero();
		assertThat(report.bytesRead()).isEqualTo(sum(jdbc, "committed_offset"));
		// the scratch database is gone, its directory too
		assertThat(this.tmp.resolve("data/verify")).doesNotExist();
	}

	/**
	 * DuckDB dropped a line with an escaped lone surrogate (valid JSON, counted by the
	 * ingest) and reported a difference that was no ingest error; lines no reader takes
	 * (a raw control character, a cut object) are counted, never a difference.
	 */
	@Test
	void shouldCountALoneSurrogateLineAsTheIngestDoesAndReportUnreadableLines() throws Exception {
		Path file = projects().resolve("-odd/" + A + ".jsonl");
		Files.createDirectories(file.getParent());
		Files.writeString(file, line("s1", "r", 10)
				+ "{\"type\":\"assistant\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"requestId\":\"r\",\"message\":"
				+ "{\"id\":\"s2\",\"model\":\"claude-opus-4-6\",\"content\":[{\"type\":\"text\",\"text\":\"cut \\udcb2 here\"}],"
				+ "\"usage\":{\"input_tokens\":1,\"output_tokens\":20}}}\n"
				+ "{\"type\":\"assistant\",\"message\":{\"id\":\"s3\",\"content\":\"raw \u0001 control\","
				+ "\"usage\":{\"output_tokens\":40}}}\n" + "{\"type\":\"assistant\",\"message\":{\"id\":\n"
				+ line("s4", "r", 80));
		start();
		Report report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(report.filesCompared()).isEqualTo(1);
		assertThat(report.rebuilt()).containsEntry("messages", 3L).containsEntry("output_tokens", 110L);
		assertThat(report.invalidLines()).isEqualTo(2);
		assertThat(report.linesRead()).isEqualTo(5);
	}

	/**
	 * A line of 65 MiB (over the ingest's 64 MiB cap) is skipped unread as the ingest
	 * skipped it and counted in the report; a 2 MiB line (longer than the read buffer) is
	 * parsed from the channel and counted.
	 */
	@Test
	void shouldSkipALineOverTheCapAsTheIngestDoes() throws Exception {
		Path file = projects().resolve("-huge/" + A + ".jsonl");
		Files.createDirectories(file.getParent());
		Files.writeString(file, line("before", "r", 10));
		try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
			writeLongLine(out, "long", 2, 5);
			writeLongLine(out, "overlong", 65, 1000);
		}
		Files.writeString(file, line("after", "r", 20), StandardOpenOption.APPEND);
		start();
		Report report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(report.overlongLines()).isEqualTo(1);
		assertThat(report.linesRead()).isEqualTo(4);
		assertThat(report.rebuilt()).containsEntry("messages", 3L).containsEntry("output_tokens", 35L);
		assertThat(this.app.jdbc()
			.sql("SELECT overlong_lines FROM source_file WHERE rel_path LIKE '-huge/%'")
			.query(Long.class)
			.single()).isEqualTo(1);
	}

	@Test
	void shouldStayEqualThroughAppendsTruncationsReplacementsAndDeletions() throws Exception {
		Path a = projects().resolve("-p/" + A + ".jsonl");
		Path b = projects().resolve("-p/" + B + ".jsonl");
		Path c = projects().resolve("-q/" + C + ".jsonl");
		Files.createDirectories(a.getParent());
		Files.createDirectories(c.getParent());
		// a copy of "shared" in both files: a tie, the first path counts it
		Files.writeString(a, line("m1", "r1", 10) + line("shared", "r", 5));
		Files.writeString(b, line("shared", "r", 5) + line("m2", "r2", 7));
		start();
		Report report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(report.rebuilt()).containsEntry("messages", 3L);

		// appends: b's new copy of "shared" has more tokens and wins
		Files.writeString(b, line("shared", "r", 50) + line("noid", null, 3), StandardOpenOption.APPEND);
		Files.writeString(a, line("m3", "r3", 3), StandardOpenOption.APPEND);
		report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(report.rebuilt()).containsEntry("messages", 5L).containsEntry("output_tokens", 73L);

		// truncation: a is shorter and other than it was, read again from 0
		Files.writeString(a, line("m9", "r9", 9), StandardOpenOption.TRUNCATE_EXISTING);
		report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();

		// replacement: another file at b's path (another inode), longer than before
		Files.delete(b);
		Files.writeString(b, line("m4", "r4", 4) + line("m5", "r5", 5) + line("m6", "r6", 6) + line("m7", "r7", 7)
				+ line("m8", "r8", 8) + line("m9", "r9", 9));
		report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(this.app.jdbc().sql("SELECT SUM(resets) FROM source_file").query(Long.class).single()).isEqualTo(2);

		// a partial line is not committed, so not read again
		Files.writeString(c, line("m9", "r9", 9) + "{\"type\":\"assist");
		report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();

		// a deleted file keeps its copies, but its tie of "m9" goes to a file on disk: b
		// (first in path order before c) counts it now, m4 to m9, and the rebuild must
		// see that too
		assertThat(messagesOf("-p/" + B + ".jsonl")).isEqualTo(5);
		Files.delete(a);
		report = ingestAndVerify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(report.deletedFiles()).isEqualTo(1);
		assertThat(report.filesCompared()).isEqualTo(2);
		assertThat(report.rebuilt()).containsEntry("messages", 6L);
		assertThat(messagesOf("-p/" + B + ".jsonl")).isEqualTo(6);
	}

	/** The counted messages of the live file at a path below the projects dir. */
	private long messagesOf(String relPath) {
		return this.app.jdbc()
			.sql("SELECT messages FROM source_file WHERE rel_path = :p AND deleted = FALSE")
			.param("p", relPath)
			.query(Long.class)
			.single();
	}

	/**
	 * Another machine's file in a team database, a file gone from this disk, a file
	 * truncated and one rewritten in place since its last ingest cannot be read as the
	 * ingest read them: each is named with its reason, none is a difference, and their
	 * stored copies still take part in the dedup.
	 */
	@Test
	void shouldNameFilesItCannotReadAgainWithoutCallingThemDifferences() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
		new DatasetGenerator(DatasetGenerator.Spec.tiny(2)).generate(this.tmp.resolve("claude"));
		start();
		this.app.indexer().scanAndIngest();
		JdbcClient jdbc = this.app.jdbc();
		List<String> files = jdbc
			.sql("SELECT rel_path FROM source_file WHERE committed_offset > 0 AND messages > 0 ORDER BY rel_path")
			.query(String.class)
			.list();
		String other = files.get(0);
		String gone = files.get(1);
		String truncated = files.get(2);
		jdbc.sql("UPDATE source_file SET origin = 'laptop-2' WHERE rel_path = :p").param("p", other).update();
		Files.delete(projects().resolve(gone));
		Files.writeString(projects().resolve(truncated), line("x", "r", 1), StandardOpenOption.TRUNCATE_EXISTING);
		// rewritten in place, the same size, between the head and the last KiB read (the
		// fingerprints cover those): a usage's output tokens made larger (a trial's case)
		String rewritten = null;
		for (String f : files.subList(3, files.size())) {
			Path path = projects().resolve(f);
			String text = Files.readString(path, StandardCharsets.UTF_8);
			Matcher m = Pattern.compile("\"output_tokens\":(\\d+)").matcher(text);
			while (rewritten == null && m.find()) {
				if (m.start(1) > FileIdentity.HEAD_BYTES && m.end(1) < text.length() - 2 * FileIdentity.TAIL_BYTES
						&& !m.group(1).matches("9+")) {
					long mtime = Files.getLastModifiedTime(path).toMillis();
					Files.writeString(path,
							text.substring(0, m.start(1)) + "9".repeat(m.group(1).length()) + text.substring(m.end(1)),
							StandardCharsets.UTF_8);
					Files.setLastModifiedTime(path, FileTime.fromMillis(mtime + 60_000));
					rewritten = f;
				}
			}
		}
		assertThat(rewritten).as("a transcript with a usage in its middle").isNotNull();
		Report report = verify();
		assertThat(report.equal()).as("%s", report.differences()).isTrue();
		assertThat(report.filesNotCompared()).isEqualTo(4);
		assertThat(report.notCompared()).containsExactlyInAnyOrder(new NotCompared(other, Reason.OTHER_MACHINE),
				new NotCompared(gone, Reason.NOT_ON_DISK), new NotCompared(truncated, Reason.CHANGED_ON_DISK),
				new NotCompared(rewritten, Reason.CHANGED_ON_DISK));
		assertThat(report.filesCompared()).isEqualTo(
				jdbc.sql("SELECT COUNT(*) FROM source_file WHERE deleted = FALSE").query(Integer.class).single() - 4);
	}

	@Test
	void shouldReportAFileWhoseIncrementalTotalIsWrong() throws Exception {
		RealDataLayout.create(RealDataLayout.source(), this.tmp.resolve("claude"));
		start();
		this.app.indexer().scanAndIngest();
		this.app.jdbc()
			.sql("UPDATE source_file SET output_tokens = output_tokens + 1, tool_uses = tool_uses + 2 WHERE rel_path LIKE '-edge-cases/%'")
			.update();
		Report report = verify();
		assertThat(report.equal()).isFalse();
		assertThat(report.differingFiles()).isEqualTo(1);
		RebuildVerifier.Difference difference = report.differences().get(0);
		assertThat(difference.file()).startsWith("-edge-cases/");
		assertThat(difference.incremental().get("output_tokens"))
			.isEqualTo(difference.rebuilt().get("output_tokens") + 1);
		assertThat(report.incremental().get("output_tokens")).isEqualTo(report.rebuilt().get("output_tokens") + 1);
		assertThat(difference.incremental().get("tool_uses")).isEqualTo(difference.rebuilt().get("tool_uses") + 2);
	}

	/**
	 * An assistant line with usage, {@code sizeMib} MiB long (spaces inside its content
	 * string), written without ever holding it whole.
	 */
	private static void writeLongLine(OutputStream out, String id, int sizeMib, int output) throws IOException {
		out.write(
				("{\"type\":\"assistant\",\"timestamp\":\"2026-03-01T10:00:00Z\",\"requestId\":\"r\",\"message\":{\"id\":\""
						+ id + "\",\"model\":\"claude-opus-4-6\",\"content\":\"")
					.getBytes(StandardCharsets.UTF_8));
		byte[] spaces = " ".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < sizeMib; i++) {
			out.write(spaces);
		}
		out.write(("\",\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output + "}}}\n")
			.getBytes(StandardCharsets.UTF_8));
	}

	private static long sum(JdbcClient jdbc, String column) {
		return jdbc.sql("SELECT COALESCE(SUM(" + column + "), 0) FROM source_file WHERE deleted = FALSE")
			.query(Long.class)
			.single();
	}

	private static String line(String id, String request, int output) {
		return "{\"type\":\"assistant\",\"timestamp\":\"2026-03-01T10:00:00Z\","
				+ ((request != null) ? "\"requestId\":\"" + request + "\"," : "") + "\"message\":{"
				+ (id.equals("noid") ? "" : "\"id\":\"" + id + "\",")
				+ "\"model\":\"claude-opus-4-6\",\"usage\":{\"input_tokens\":1,\"output_tokens\":" + output + "}}}\n";
	}

}
