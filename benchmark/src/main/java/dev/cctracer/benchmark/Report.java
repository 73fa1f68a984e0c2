package dev.cctracer.benchmark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The run's Markdown report, and how its figures are computed and written: each measure
 * is printed as it is taken ({@code what: result}) and kept as a row of the table printed
 * at the end. Latencies are in nanoseconds until written (as milliseconds).
 */
final class Report {

	private final List<String> rows = new ArrayList<>();

	/** Prints a measure now and keeps it as a table row. */
	void line(String what, String result) {
		System.out.println(what + ": " + result);
		this.rows.add("| " + what + " | " + result + " |");
	}

	/** Prints the table of every measure so far ({@code | measure | result |}). */
	void print() {
		System.out.println();
		System.out.println("| measure | result |");
		System.out.println("|---|---|");
		this.rows.forEach(System.out::println);
	}

	/**
	 * The {@code p}-th percentile (nearest rank) of sorted values.
	 * @throws IndexOutOfBoundsException when {@code sorted} is empty
	 */
	static long pct(List<Long> sorted, int p) {
		return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
	}

	/** The median of repeated figures (the upper one of an even count). */
	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		return sorted.get(sorted.size() / 2);
	}

	/** "median (min–max)" of repeated figures, or the one figure. */
	static String spread(List<Double> values, String format) {
		List<Double> sorted = values.stream().sorted().toList();
		String median = String.format(Locale.ROOT, format, sorted.get(sorted.size() / 2));
		if (sorted.size() == 1) {
			return median;
		}
		return median + " (" + String.format(Locale.ROOT, format, sorted.get(0)) + "–"
				+ String.format(Locale.ROOT, format, sorted.get(sorted.size() - 1)) + ")";
	}

	/** Seconds since {@code startNanos} ({@link System#nanoTime}). */
	static double secs(long startNanos) {
		return (System.nanoTime() - startNanos) / 1e9;
	}

	/** Bytes as whole MiB ("N MB"), or "not measured" when negative. */
	static String mb(long bytes) {
		return (bytes >= 0) ? (bytes >> 20) + " MB" : "not measured";
	}

}
