package dev.cctracer.shared.usage;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.cctracer.shared.log.Usage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Dedup}.
 */
class DedupTests {

	@Test
	void shouldKeepTheCopyWithTheMostTokens() {
		UsageCopy partial = copy("m1", "r1", false, 10, "a", 0);
		UsageCopy last = copy("m1", "r1", false, 500, "a", 100);
		assertThat(Dedup.winners(List.of(partial, last))).containsExactly(last);
	}

	@Test
	void shouldBreakTiesByPathThenLine() {
		UsageCopy laterFile = copy("m1", "r1", false, 10, "b", 0);
		UsageCopy laterLine = copy("m1", "r1", false, 10, "a", 50);
		UsageCopy first = copy("m1", "r1", false, 10, "a", 5);
		assertThat(Dedup.winners(List.of(laterFile, laterLine, first))).containsExactly(first);
	}

	/**
	 * A project dir moved or copied under a new name and the old one removed: the copies
	 * are equal, and the tie goes to the file still on disk, whatever its path order;
	 * more tokens still win over being on disk.
	 */
	@Test
	void shouldBreakTiesForAFileOnDiskBeforeADeletedOne() {
		DedupCandidate gone = deleted(copy("m1", "r1", false, 10, "a-old", 0));
		UsageCopy moved = copy("m1", "r1", false, 10, "b-new", 0);
		assertThat(Dedup.winners(List.of(gone, moved))).containsExactly(moved);
		DedupCandidate goneButComplete = deleted(copy("m2", "r1", false, 11, "a-old", 0));
		UsageCopy partial = copy("m2", "r1", false, 10, "b-new", 0);
		assertThat(Dedup.winners(List.of(goneButComplete, partial))).containsExactly(goneButComplete);
		DedupCandidate goneFirst = deleted(copy("m3", "r1", false, 10, "a", 0));
		DedupCandidate goneSecond = deleted(copy("m3", "r1", false, 10, "b", 0));
		assertThat(Dedup.winners(List.of(goneSecond, goneFirst))).containsExactly(goneFirst);
	}

	/**
	 * A session forked ({@code /branch}, {@code --fork-session}) starts with Claude
	 * Code's copies of the original's lines, each marked {@code forkedFrom}: the tie goes
	 * to the original, whatever the paths' order and even when the original's file is
	 * deleted; more tokens still win over not being a copy.
	 */
	@Test
	void shouldBreakTiesForTheLineAForkCopiedBeforeTheFork() {
		UsageCopy original = copy("m1", "r1", false, 10, "b-original", 0);
		UsageCopy fork = forked(copy("m1", "r1", false, 10, "a-fork", 0));
		assertThat(Dedup.winners(List.of(fork, original))).containsExactly(original);
		DedupCandidate goneOriginal = deleted(copy("m2", "r1", false, 10, "b-original", 0));
		UsageCopy forkOnDisk = forked(copy("m2", "r1", false, 10, "a-fork", 0));
		assertThat(Dedup.winners(List.of(forkOnDisk, goneOriginal))).containsExactly(goneOriginal);
		UsageCopy partialOriginal = copy("m3", "r1", false, 9, "b-original", 0);
		UsageCopy completeFork = forked(copy("m3", "r1", false, 10, "a-fork", 0));
		assertThat(Dedup.winners(List.of(partialOriginal, completeFork))).containsExactly(completeFork);
		// two forks of one session: path order between them
		UsageCopy fork2 = forked(copy("m4", "r1", false, 10, "c-fork", 0));
		UsageCopy fork1 = forked(copy("m4", "r1", false, 10, "a-fork", 0));
		assertThat(Dedup.winners(List.of(fork2, fork1))).containsExactly(fork1);
	}

	private static UsageCopy forked(UsageCopy c) {
		return new UsageCopy(c.messageId(), c.requestId(), c.sidechain(), c.agentId(), c.timestamp(), c.model(),
				c.usage(), c.costUsd(), c.pathOrder(), c.lineOffset(), c.toolCalls(), true);
	}

	@Test
	void shouldDropSidechainCopiesOfAMessageThatHasAMainCopy() {
		UsageCopy side = copy("m1", "r2", true, 999, "a", 0);
		UsageCopy main = copy("m1", "r1", false, 10, "b", 0);
		assertThat(Dedup.winners(List.of(side, main))).containsExactly(main);
		UsageCopy onlySide = copy("m2", "r1", true, 5, "a", 0);
		assertThat(Dedup.winners(List.of(onlySide))).containsExactly(onlySide);
	}

	@Test
	void shouldCountDistinctRequestsAndNeverDedupLinesWithoutId() {
		UsageCopy a = copy("m1", "r1", false, 1, "a", 0);
		UsageCopy b = copy("m1", "r2", false, 1, "a", 10);
		UsageCopy noId1 = copy(null, null, false, 1, "a", 20);
		UsageCopy noId2 = copy(null, null, false, 1, "a", 30);
		assertThat(Dedup.winners(List.of(a, b, noId1, noId2))).containsExactlyInAnyOrder(a, b, noId1, noId2);
	}

	/** The copy as its file's row holds it once the file is deleted. */
	private static DedupCandidate deleted(UsageCopy c) {
		return new DedupCandidate() {

			@Override
			public String messageId() {
				return c.messageId();
			}

			@Override
			public String requestId() {
				return c.requestId();
			}

			@Override
			public boolean sidechain() {
				return c.sidechain();
			}

			@Override
			public long totalTokens() {
				return c.totalTokens();
			}

			@Override
			public boolean deleted() {
				return true;
			}

			@Override
			public boolean forked() {
				return c.forked();
			}

			@Override
			public String pathOrder() {
				return c.pathOrder();
			}

			@Override
			public long lineOffset() {
				return c.lineOffset();
			}

			@Override
			public String toString() {
				return "deleted " + c;
			}

		};
	}

	private static UsageCopy copy(String message, String request, boolean sidechain, long output, String path,
			long offset) {
		return new UsageCopy(message, request, sidechain, null, 0, "claude-opus-4-6",
				new Usage(0, output, 0, 0, 0, false), null, path, offset, ToolCalls.NONE, false);
	}

}
