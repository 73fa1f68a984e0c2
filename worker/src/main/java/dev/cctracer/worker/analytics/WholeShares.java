package dev.cctracer.worker.analytics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Fractional shares made whole numbers that add up to their rounded sum: each share's
 * floor, then one more to the shares with the largest remainders (the largest remainder
 * method; ties by name, so two answers that list the same shares in another order make
 * them the same whole numbers). A message's tokens split evenly over its tool calls are
 * fractions, and rounding each tool's sum on its own gave a token or four more than the
 * total, and two answers of the same split a token apart.
 */
final class WholeShares {

	private WholeShares() {
	}

	/**
	 * The whole numbers of {@code shares}.
	 * @param shares fractional counts (tokens), none negative
	 * @param names each share's name (a tool's; {@code null} sorts first), for ties
	 * @return one whole count per share, in the same order, adding up to
	 * {@code Math.round} of their sum
	 */
	static long[] of(double[] shares, String[] names) {
		int n = shares.length;
		long[] whole = new long[n];
		double sum = 0;
		long floors = 0;
		double[] remainder = new double[n];
		for (int i = 0; i < n; i++) {
			sum += shares[i];
			whole[i] = (long) Math.floor(shares[i]);
			floors += whole[i];
			remainder[i] = shares[i] - whole[i];
		}
		long left = Math.round(sum) - floors;
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		Arrays.sort(order,
				Comparator.comparingDouble((Integer i) -> remainder[i])
					.reversed()
					.thenComparing((i) -> names[i], Comparator.nullsFirst(Comparator.naturalOrder())));
		for (int i = 0; i < left && i < n; i++) {
			whole[order[i]]++;
		}
		return whole;
	}

}
