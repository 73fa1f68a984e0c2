package dev.cctracer.benchmark;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The independent load tool: Apache's {@code ab} (Debian's {@code apache2-utils}), run as
 * {@code ab -k -c <clients> -n <requests> -e <csv> <url>} when it is on the {@code PATH}.
 * A C program with one event loop, so far less of the two cores goes to the client than
 * with the harness's Java client; it speaks HTTP/1.0 with keep-alive, which Tomcat keeps
 * only for answers whose length it knows (how many requests reused a connection is part
 * of the result).
 */
final class AbLoad {

	private static final Pattern RATE = Pattern.compile("Requests per second:\\s+([0-9.]+)");

	/**
	 * The breakdown of ab's failed requests:
	 * {@code (Connect: 0, Receive: 0, Length: N, …)}.
	 */
	private static final Pattern LENGTH_FAILURES = Pattern.compile("Receive: \\d+, Length: (\\d+),");

	private final Path ab;

	private AbLoad(Path ab) {
		this.ab = ab;
	}

	/** {@code ab} from the {@code PATH}, if there is one. */
	static Optional<AbLoad> find() {
		String path = System.getenv().getOrDefault("PATH", "");
		for (String dir : path.split(File.pathSeparator)) {
			Path candidate = Path.of(dir.isEmpty() ? "." : dir, "ab");
			if (Files.isExecutable(candidate)) {
				return Optional.of(new AbLoad(candidate));
			}
		}
		return Optional.empty();
	}

	/**
	 * One run of {@code requests} GETs of {@code url} from {@code clients} connections;
	 * its percentiles come from ab's CSV (milliseconds to three decimals, where the text
	 * report rounds to whole milliseconds).
	 * @param work a directory for the CSV
	 * @throws IllegalStateException when ab fails
	 */
	Result run(String url, int clients, int requests, Path work) throws IOException, InterruptedException {
		Files.createDirectories(work);
		Path csv = work.resolve("ab-percentiles.csv");
		Process p = new ProcessBuilder(this.ab.toString(), "-q", "-k", "-c", Integer.toString(clients), "-n",
				Integer.toString(requests), "-e", csv.toString(), url)
			.redirectErrorStream(true)
			.start();
		String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (p.waitFor() != 0) {
			throw new IllegalStateException("ab failed on " + url + ": " + out);
		}
		double[] percentiles = new double[101];
		for (String line : Files.readAllLines(csv)) {
			String[] cells = line.split(",");
			if (cells.length == 2 && cells[0].matches("\\d+")) {
				percentiles[Integer.parseInt(cells[0])] = Double.parseDouble(cells[1]);
			}
		}
		Matcher rate = RATE.matcher(out);
		Matcher failed = LENGTH_FAILURES.matcher(out);
		long lengths = failed.find() ? Long.parseLong(failed.group(1)) : 0;
		return new Result(percentiles[50], percentiles[99], rate.find() ? Double.parseDouble(rate.group(1)) : 0,
				count(out, "Failed requests:") - lengths + count(out, "Non-2xx responses:"), lengths,
				count(out, "Keep-Alive requests:"));
	}

	/** The number after {@code label} in ab's report, 0 when the line is absent. */
	private static long count(String out, String label) {
		Matcher m = Pattern.compile(Pattern.quote(label) + "\\s+(\\d+)").matcher(out);
		return m.find() ? Long.parseLong(m.group(1)) : 0;
	}

	/**
	 * One run's figures.
	 *
	 * @param p50Ms median, milliseconds
	 * @param p99Ms 99th percentile, milliseconds
	 * @param rate requests a second
	 * @param errors failed (but for their length) and non-2xx requests
	 * @param otherLength answers of another length than the first (ab counts them as
	 * failed; here the answer changed: a session's status moves from running to idle a
	 * minute after its file was last written)
	 * @param keptAlive requests that reused a connection
	 */
	record Result(double p50Ms, double p99Ms, double rate, long errors, long otherLength, long keptAlive) {

		/**
		 * The median of each figure over runs (errors and changed lengths summed,
		 * kept-alive the lowest).
		 */
		static String summary(List<Result> runs) {
			long otherLength = runs.stream().mapToLong(Result::otherLength).sum();
			return String.format(Locale.ROOT, "p50 %s ms, p99 %s ms, %s req/s, %d errors%s, %d kept alive",
					Report.spread(runs.stream().map(Result::p50Ms).toList(), "%.2f"),
					Report.spread(runs.stream().map(Result::p99Ms).toList(), "%.2f"),
					Report.spread(runs.stream().map(Result::rate).toList(), "%.0f"),
					runs.stream().mapToLong(Result::errors).sum(),
					(otherLength > 0) ? " (" + otherLength + " answers changed length: statuses moved on)" : "",
					runs.stream().mapToLong(Result::keptAlive).min().orElse(0));
		}

	}

}
