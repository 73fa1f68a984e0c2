package dev.cctracer.shared.usage;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Fractional shares made whole numbers that add up to their rounded sum: each share's
 * floor, then one more to the shares with the largest remainders (the largest remainder
 * method; ties by name). A message's tokens split evenly over its tool calls are
 * fractions, and rounding each tool's sum on its own gave a token or four more than the
 * total. The shares come as whole billionths ({@link #SCALE}), each message's share cut
 * to a billionth in SQL ({@code (tokens * 1000000000) // calls}), so their sums are exact
 * integers whatever order the database adds them in: as floating sums, a tie of two
 * halves came out a hair either way from one run to the next, and {@code /api/tools} and
 * the query job gave a tool a token apart (a trial). A session's tool statistics read
 * from its transcripts make their shares the same way ({@link #share}).
 */
public final class WholeShares {

	/** The shares' unit: a billionth of a token. */
	public static final long SCALE = 1_000_000_000L;

	private static final BigInteger BIG_SCALE = BigInteger.valueOf(SCALE);

	private WholeShares() {
	}

	/**
	 * The whole numbers of {@code shares}.
	 * @param shares counts in billionths ({@link #SCALE}), none negative
	 * @param names each share's name (a tool's; {@code null} sorts first), for ties
	 * @return one whole count per share, in the same order, adding up to their sum
	 * rounded half up
	 */
	public static long[] of(BigInteger[] shares, String[] names) {
		int n = shares.length;
		long[] whole = new long[n];
		long[] remainder = new long[n];
		BigInteger sum = BigInteger.ZERO;
		long floors = 0;
		for (int i = 0; i < n; i++) {
			BigInteger[] qr = shares[i].divideAndRemainder(BIG_SCALE);
			whole[i] = qr[0].longValueExact();
			remainder[i] = qr[1].longValue();
			floors += whole[i];
			sum = sum.add(shares[i]);
		}
		long left = sum.add(BigInteger.valueOf(SCALE / 2)).divide(BIG_SCALE).longValueExact() - floors;
		Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++) {
			order[i] = i;
		}
		Arrays.sort(order,
				Comparator.comparingLong((Integer i) -> remainder[i])
					.reversed()
					.thenComparing((i) -> names[i], Comparator.nullsFirst(Comparator.naturalOrder())));
		for (int i = 0; i < left && i < n; i++) {
			whole[order[i]]++;
		}
		return whole;
	}

	/**
	 * Each name's whole tokens over several kinds (input, output, cache writes, cache
	 * reads): per kind the names' shares made whole together ({@link #of}), then summed
	 * by name — what a tool's tokens are, read from the facts or from a transcript.
	 * @param shares per name, its shares of each kind in billionths (each array as long
	 * as the first)
	 * @param names the names, in the same order
	 * @return per name, its whole tokens of every kind
	 */
	public static long[] totals(List<BigInteger[]> shares, String[] names) {
		long[] tokens = new long[names.length];
		int kinds = shares.isEmpty() ? 0 : shares.get(0).length;
		for (int k = 0; k < kinds; k++) {
			BigInteger[] kind = new BigInteger[names.length];
			for (int i = 0; i < kind.length; i++) {
				kind[i] = shares.get(i)[k];
			}
			long[] whole = of(kind, names);
			for (int i = 0; i < whole.length; i++) {
				tokens[i] += whole[i];
			}
		}
		return tokens;
	}

	/**
	 * The SQL of one message's share of a token column over its calls, in billionths
	 * (DuckDB; {@code HUGEINT}, so an old fact's out-of-range count does not overflow).
	 * @param column a token count
	 * @param calls the message's calls (1 or more)
	 */
	public static String shareSql(String column, String calls) {
		return "(" + column + "::HUGEINT * " + SCALE + ") // " + calls;
	}

	/**
	 * One message's share of {@code tokens} over {@code calls} calls, in billionths, cut
	 * as the SQL cuts it ({@link #shareSql}).
	 * @param calls 1 or more
	 */
	public static BigInteger share(long tokens, long calls) {
		return BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(SCALE)).divide(BigInteger.valueOf(calls));
	}

	/**
	 * A count in billionths as the database sums it (a {@code HUGEINT}, read as text).
	 */
	public static BigInteger read(String sum) {
		return (sum == null) ? BigInteger.ZERO : new BigInteger(sum);
	}

}
