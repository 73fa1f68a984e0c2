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

	private static UsageCopy copy(String message, String request, boolean sidechain, long output, String path,
			long offset) {
		return new UsageCopy(message, request, sidechain, null, 0, "claude-opus-4-6",
				new Usage(0, output, 0, 0, 0, false), null, path, offset, 0);
	}

}
