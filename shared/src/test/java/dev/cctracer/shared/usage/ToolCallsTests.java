package dev.cctracer.shared.usage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.shared.RealData;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ToolCalls}: a response's calls count each id once, so the lines of a
 * transcript Claude Code wrote again into it (anthropics/claude-code#56196, #66454,
 * #5034) add none.
 */
class ToolCallsTests {

	/** A cc-2026 session: 7 tool_use blocks with 7 distinct ids (python recount). */
	private static final String SESSION = "cc-2026/dotsv2/projects/-Users-devuser/4bb63645-c6ef-443f-aec1-53d354b98a7a.jsonl";

	@Test
	void eachIdCountsOnceAndCallsWithoutOneCountEachTime() {
		ToolCalls line = ToolCalls.of(3, List.of("toolu_b", "toolu_a", "toolu_b"));
		// an id twice in one line is one call
		assertThat(line).isEqualTo(new ToolCalls(2, "toolu_a toolu_b"));
		assertThat(line.plus(ToolCalls.of(1, List.of("toolu_a")))).isEqualTo(line);
		assertThat(line.plus(ToolCalls.of(1, List.of("toolu_c"))))
			.isEqualTo(new ToolCalls(3, "toolu_a toolu_b toolu_c"));
		// no id, or one that is not a plain token (spaces would break the stored list):
		// counted each time it is read
		ToolCalls odd = ToolCalls.of(3, List.of("a b", "x".repeat(65)));
		assertThat(odd).isEqualTo(new ToolCalls(3, null));
		assertThat(odd.plus(odd)).isEqualTo(new ToolCalls(6, null));
		assertThat(line.plus(odd)).isEqualTo(new ToolCalls(5, "toolu_a toolu_b"));
		assertThat(odd.plus(line).plus(line)).isEqualTo(new ToolCalls(5, "toolu_a toolu_b"));
		assertThat(ToolCalls.of(0, List.of())).isSameAs(ToolCalls.NONE);
	}

	@Test
	void idsPastTheCapCountEachTime() {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < ToolCalls.MAX_IDS + 10; i++) {
			ids.add("toolu_" + i);
		}
		ToolCalls all = ToolCalls.of(ids.size(), ids);
		assertThat(all.count()).isEqualTo(ToolCalls.MAX_IDS + 10);
		assertThat(all.ids().split(" ")).hasSize(ToolCalls.MAX_IDS);
		// read again, the ids kept add nothing and the others add themselves
		assertThat(all.plus(all).count()).isEqualTo(ToolCalls.MAX_IDS + 20);
		Collections.reverse(ids);
		assertThat(ToolCalls.of(ids.size(), ids).count()).isEqualTo(ToolCalls.MAX_IDS + 10);
	}

	/**
	 * A real transcript followed by itself, in one read and in two: its responses' copies
	 * hold its 7 calls, not 14.
	 */
	@Test
	void aTranscriptWrittenAgainIntoItselfHasItsCallsOnce(@TempDir Path tmp) throws IOException {
		byte[] bytes = Files.readAllBytes(RealData.file(SESSION));
		Path doubled = tmp.resolve("doubled.jsonl");
		Files.write(doubled, bytes);
		Files.write(doubled, bytes, StandardOpenOption.APPEND);
		try (FileChannel ch = FileChannel.open(doubled, StandardOpenOption.READ)) {
			ChunkResult once = new ChunkParser().parse(ch, 0, bytes.length, "a");
			assertThat(calls(once.copies())).isEqualTo(7);
			ChunkResult whole = new ChunkParser().parse(ch, 0, ch.size(), "a");
			assertThat(calls(whole.copies())).isEqualTo(7);
			assertThat(whole.copies()).hasSameSizeAs(once.copies());
			// the second half read on its own (a later read of the growing file): the
			// same copies again, which the ingest merges with the stored ones
			ChunkResult later = new ChunkParser().parse(ch, bytes.length, ch.size(), "a");
			long merged = 0;
			for (UsageCopy first : once.copies()) {
				UsageCopy again = later.copies()
					.stream()
					.filter((c) -> c.messageId() != null && c.messageId().equals(first.messageId()))
					.findFirst()
					.orElseThrow();
				merged += first.toolCalls().plus(again.toolCalls()).count();
			}
			assertThat(merged).isEqualTo(7);
		}
	}

	private static long calls(List<UsageCopy> copies) {
		return copies.stream().mapToLong(UsageCopy::toolUses).sum();
	}

}
