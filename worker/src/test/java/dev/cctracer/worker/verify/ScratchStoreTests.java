package dev.cctracer.worker.verify;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.shared.usage.Dedup;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ScratchStore}: the dedup rule applied once over the stored copies, read in
 * message order without a sort, and its files gone once closed.
 */
class ScratchStoreTests {

	@TempDir
	Path tmp;

	@Test
	void shouldCountTheWinnersOfTheDedupRule() throws Exception {
		List<CopyRow> copies = new ArrayList<>();
		// a tie: the first path counts it
		copies.add(row("tie", "r", 1, false, 5));
		copies.add(row("tie", "r", 2, false, 5));
		// most tokens wins, wherever it is
		copies.add(row("most", "r", 1, false, 5));
		copies.add(row("most", "r", 3, false, 6));
		// a sidechain copy of a message with a main copy is not counted, even if bigger
		copies.add(row("side", "r", 1, false, 5));
		copies.add(row("side", "r", 2, true, 50));
		// only sidechain copies: the best counts
		copies.add(row("only-side", "r", 2, true, 4));
		copies.add(row("only-side", "r", 3, true, 8));
		// one message id, two requests: one each
		copies.add(row("two", "r1", 1, false, 1));
		copies.add(row("two", "r2", 2, false, 2));
		// without a message id: each counts
		copies.add(row(null, "", 3, false, 7));
		copies.add(row(null, "", 3, false, 7));
		// a tie between a deleted file (4, its history kept) and one on disk (5): the one
		// on disk counts it, though 4 is first in path order
		copies.add(row("moved", "r", 4, false, 9).withDeleted(true));
		copies.add(row("moved", "r", 5, false, 9));
		Map<Long, Long> expected = new TreeMap<>();
		for (CopyRow c : Dedup.winners(copies)) {
			expected.merge(c.fileId(), c.output(), Long::sum);
		}
		Map<Long, Long> counted = new TreeMap<>();
		Map<Long, Long> messages = new TreeMap<>();
		Path dir = this.tmp.resolve("verify");
		try (ScratchStore store = ScratchStore.create(dir)) {
			store.insert(copies.subList(0, 5));
			store.insert(copies.subList(5, copies.size()));
			assertThat(store.orderedReadPlan()).contains("index sorted");
			store.forEachWinner(ScratchStoreTests::pathOrder, (file) -> file == 4,
					(file, input, output, write5m, write1h, read, toolUses) -> {
						counted.merge(file, output, Long::sum);
						messages.merge(file, 1L, Long::sum);
					});
		}
		assertThat(counted).isEqualTo(expected).isEqualTo(Map.of(1L, 5L + 5L + 1L, 2L, 2L, 3L, 6L + 8L + 14L, 5L, 9L));
		assertThat(messages).isEqualTo(Map.of(1L, 3L, 2L, 1L, 3L, 4L, 5L, 1L));
		// nothing left behind, not even an empty directory in the data dir
		assertThat(dir).doesNotExist();
	}

	@Test
	void shouldStartFromScratchWhateverAnEarlierRunLeft() throws Exception {
		Path dir = this.tmp.resolve("verify");
		try (ScratchStore store = ScratchStore.create(dir)) {
			store.insert(List.of(row("m", "r", 1, false, 5)));
			// a crashed run leaves its database; the next one must not count it
			Files.copy(dir.resolve(ScratchStore.NAME + ".mv.db"), this.tmp.resolve("left.mv.db"));
		}
		Files.createDirectories(dir);
		Files.copy(this.tmp.resolve("left.mv.db"), dir.resolve(ScratchStore.NAME + ".mv.db"));
		List<Long> winners = new ArrayList<>();
		try (ScratchStore store = ScratchStore.create(dir)) {
			store.forEachWinner(ScratchStoreTests::pathOrder, (file) -> false,
					(file, input, output, write5m, write1h, read, toolUses) -> {
						winners.add(output);
					});
		}
		assertThat(winners).isEmpty();
	}

	private static String pathOrder(long fileId) {
		return "projects/-p/" + fileId + ".jsonl";
	}

	private static CopyRow row(String messageId, String requestId, long fileId, boolean sidechain, long output) {
		return new CopyRow(null, messageId, requestId, fileId, 100 * fileId, sidechain, "", 0, "claude-opus-4-6", 1,
				output, 0, 0, 0, false, 0, 0, 0, 0, null, true, false, pathOrder(fileId));
	}

}
