package dev.cctracer.shared.usage;

import java.math.BigInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Fractional shares made whole, counted by hand. */
class WholeSharesTests {

	@Test
	void shouldGiveWhatTheFloorsLeaveToTheLargestRemaindersTiesByName() {
		// floors 0 + 0 + 1 + 2 = 3 of the sum's 5: the two left go to .75 (d), then to
		// the first name of the two .5s (a)
		assertThat(WholeShares.of(billionths(0.5, 0.5, 1.25, 2.75), new String[] { "b", "a", "c", "d" }))
			.containsExactly(0, 1, 1, 3);
		// the same shares listed in another order: the same counts for the same names
		assertThat(WholeShares.of(billionths(2.75, 1.25, 0.5, 0.5), new String[] { "d", "c", "a", "b" }))
			.containsExactly(3, 1, 1, 0);
		// whole shares stay as they are; a null name sorts first
		assertThat(WholeShares.of(billionths(7, 0.5, 0.5), new String[] { null, "x", "y" })).containsExactly(7, 1, 0);
		assertThat(WholeShares.of(new BigInteger[0], new String[0])).isEmpty();
	}

	/**
	 * Thirds cut to a billionth (333333333 each) add up to a hair under a whole: their
	 * sum rounds to the whole all the same, and the first name takes it.
	 */
	@Test
	void shouldAddSharesCutToABillionthUpToTheirWhole() {
		BigInteger third = BigInteger.valueOf(WholeShares.SCALE / 3);
		assertThat(WholeShares.of(new BigInteger[] { third, third, third }, new String[] { "Read", "Bash", "Edit" }))
			.containsExactly(0, 1, 0);
		// past a long: 92,233,720,368.547758070 tokens in billionths, rounded up
		BigInteger big = BigInteger.valueOf(Long.MAX_VALUE).multiply(BigInteger.TEN);
		assertThat(WholeShares.of(new BigInteger[] { big }, new String[] { "Bash" })).containsExactly(92_233_720_369L);
	}

	private static BigInteger[] billionths(double... shares) {
		BigInteger[] out = new BigInteger[shares.length];
		for (int i = 0; i < shares.length; i++) {
			out[i] = BigInteger.valueOf(Math.round(shares[i] * WholeShares.SCALE));
		}
		return out;
	}

}
