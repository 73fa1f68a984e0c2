package dev.cctracer.worker.analytics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Fractional shares made whole, counted by hand. */
class WholeSharesTests {

	@Test
	void theLargestRemaindersTakeWhatTheFloorsLeaveTiesByName() {
		// floors 0 + 0 + 1 + 2 = 3 of the sum's 5: the two left go to .75 (d), then to
		// the first name of the two .5s (a)
		assertThat(WholeShares.of(new double[] { 0.5, 0.5, 1.25, 2.75 }, new String[] { "b", "a", "c", "d" }))
			.containsExactly(0, 1, 1, 3);
		// the same shares listed in another order: the same counts for the same names
		assertThat(WholeShares.of(new double[] { 2.75, 1.25, 0.5, 0.5 }, new String[] { "d", "c", "a", "b" }))
			.containsExactly(3, 1, 1, 0);
		// whole shares stay as they are; a null name sorts first
		assertThat(WholeShares.of(new double[] { 7, 0.5, 0.5 }, new String[] { null, "x", "y" })).containsExactly(7, 1,
				0);
		assertThat(WholeShares.of(new double[0], new String[0])).isEmpty();
	}

}
