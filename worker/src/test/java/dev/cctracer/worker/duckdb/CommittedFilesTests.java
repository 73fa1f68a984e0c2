package dev.cctracer.worker.duckdb;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CommittedFiles#copyWithoutOverlongLines}: exactly the lines longer
 * than the cap become {@code {}}, every other byte is copied, and nothing past the
 * committed length.
 */
class CommittedFilesTests {

	@TempDir
	Path tmp;

	@Test
	void overlongLinesBecomeEmptyObjectsAndEverythingElseIsCopied() throws Exception {
		String content = "{\"a\":1}\n" + "x".repeat(11) + "\n{\"b\":2}\n" + "y".repeat(10) + "\n" + "z".repeat(12)
				+ "\n{\"c\":3}\n{\"uncommitted\":4}\n";
		Path from = Files.writeString(this.tmp.resolve("in.jsonl"), content);
		long committed = content.indexOf("{\"uncommitted\"");
		Path to = this.tmp.resolve("out.jsonl");
		CommittedFiles.copyWithoutOverlongLines(from, to, committed, 10);
		assertThat(Files.readString(to)).isEqualTo("{\"a\":1}\n{}\n{\"b\":2}\n" + "y".repeat(10) + "\n{}\n{\"c\":3}\n");
	}

	@Test
	void aLineLongerThanOneReadIsSkippedWithoutBeingHeld() throws Exception {
		// 3 MiB: longer than the 1 MiB reads, so the line spans several of them
		byte[] big = new byte[3 << 20];
		Arrays.fill(big, (byte) 'q');
		Path from = this.tmp.resolve("big.jsonl");
		Files.write(from, "{\"first\":1}\n".getBytes(StandardCharsets.UTF_8));
		Files.write(from, big, StandardOpenOption.APPEND);
		Files.write(from, "\n{\"last\":2}".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
		Path to = this.tmp.resolve("out.jsonl");
		CommittedFiles.copyWithoutOverlongLines(from, to, Files.size(from), 1 << 20);
		assertThat(Files.readString(to)).isEqualTo("{\"first\":1}\n{}\n{\"last\":2}");
	}

}
