package dev.cctracer.benchmark;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.cctracer.generator.GroundTruth;

/**
 * The peer in the same run: {@code ccusage} (npm, pinned {@value #VERSION}) over the same
 * generated dataset, offline, each report repeated. Installed into {@code
 *
<dir>
 * } from the npm registry on first use ({@code CCUSAGE_BIN} points at an existing binary
 * instead). Its totals are compared with the generator's ground truth so the report says
 * not only how fast it is but whether it counted the same.
 */
final class Peer {

	static final String VERSION = "20.0.24";

	private static final String[] REPORTS = { "daily", "session", "monthly" };

	private static final int RUNS = 5;

	private static final ObjectMapper JSON = new ObjectMapper();

	private final Path dir;

	private final BiConsumer<String, String> line;

	Peer(Path dir, BiConsumer<String, String> line) {
		this.dir = dir;
		this.line = line;
	}

	/**
	 * Times its reports; {@code null} when ccusage cannot be had here (said in the
	 * report).
	 */
	Result run(Path claude, GroundTruth truth) throws IOException, InterruptedException {
		Path bin = binary();
		if (bin == null) {
			return null;
		}
		boolean gnuTime = Files.isExecutable(Path.of("/usr/bin/time"));
		double dailySeconds = 0;
		for (String report : REPORTS) {
			List<Double> seconds = new ArrayList<>();
			long rssKb = 0;
			String out = null;
			for (int i = 0; i < RUNS; i++) {
				Run run = exec(bin, report, claude, gnuTime);
				seconds.add(run.seconds);
				rssKb = Math.max(rssKb, run.rssKb);
				out = run.stdout;
			}
			seconds.sort(null);
			double median = seconds.get(RUNS / 2);
			if (report.equals("daily")) {
				dailySeconds = median;
				compare(out, truth);
			}
			this.line.accept("ccusage " + VERSION + " `" + report + " --offline --json`",
					String.format(Locale.ROOT, "median %.2f s (%.2f–%.2f s over %d runs)%s", median, seconds.get(0),
							seconds.get(RUNS - 1), RUNS, (rssKb > 0) ? ", peak RSS " + (rssKb >> 10) + " MB" : ""));
		}
		return new Result(dailySeconds);
	}

	private void compare(String out, GroundTruth truth) throws IOException {
		JsonNode totals = JSON.readTree(out).path("totals");
		GroundTruth.Totals t = truth.global;
		long cacheWrite = t.usage.cacheWrite5m() + t.usage.cacheWrite1h();
		this.line.accept("ccusage totals against the ground truth",
				String.format(Locale.ROOT,
						"input %s, output %s, cache write %s, cache read %s, cost %s (ours: exact on every field)",
						diff(totals.path("inputTokens").asLong(), t.usage.input()),
						diff(totals.path("outputTokens").asLong(), t.usage.output()),
						diff(totals.path("cacheCreationTokens").asLong(), cacheWrite),
						diff(totals.path("cacheReadTokens").asLong(), t.usage.cacheRead()),
						diff(totals.path("totalCost").asDouble(), t.costPico / 1e12)));
	}

	private static String diff(double theirs, double truth) {
		if (theirs == truth) {
			return "exact";
		}
		return String.format(Locale.ROOT, "%+.1f%%", (theirs - truth) * 100 / truth);
	}

	private Run exec(Path bin, String report, Path claude, boolean gnuTime) throws IOException, InterruptedException {
		Path rss = this.dir.resolve("rss.txt");
		List<String> command = new ArrayList<>();
		if (gnuTime) {
			command.addAll(List.of("/usr/bin/time", "-f", "%M", "-o", rss.toString()));
		}
		command.addAll(List.of(bin.toString(), report, "--offline", "--json"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectError(this.dir.resolve("stderr.txt").toFile());
		builder.environment().put("CLAUDE_CONFIG_DIR", claude.toString());
		long started = System.nanoTime();
		Process process = builder.start();
		String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		int exit = process.waitFor();
		double seconds = (System.nanoTime() - started) / 1e9;
		if (exit != 0) {
			throw new IllegalStateException("ccusage " + report + " exited " + exit + "; see "
					+ this.dir.resolve("stderr.txt") + ": " + Files.readString(this.dir.resolve("stderr.txt")));
		}
		long rssKb = gnuTime ? Long.parseLong(Files.readString(rss).strip()) : 0;
		return new Run(seconds, rssKb, stdout);
	}

	private Path binary() throws IOException, InterruptedException {
		String given = System.getenv("CCUSAGE_BIN");
		if (given != null && !given.isBlank()) {
			return Path.of(given);
		}
		Files.createDirectories(this.dir);
		Path bin = this.dir.resolve("node_modules/.bin/ccusage");
		if (Files.isExecutable(bin)) {
			return bin;
		}
		Process npm;
		try {
			npm = new ProcessBuilder("npm", "install", "--prefix", this.dir.toString(), "--no-audit", "--no-fund",
					"ccusage@" + VERSION)
				.redirectErrorStream(true)
				.redirectOutput(this.dir.resolve("npm.log").toFile())
				.start();
		}
		catch (IOException ex) {
			this.line.accept("ccusage", "not run: npm is not installed (" + ex.getMessage() + ")");
			return null;
		}
		if (!npm.waitFor(5, TimeUnit.MINUTES) || npm.exitValue() != 0 || !Files.isExecutable(bin)) {
			npm.destroyForcibly();
			this.line.accept("ccusage",
					"not run: `npm install ccusage@" + VERSION + "` failed; see " + this.dir.resolve("npm.log"));
			return null;
		}
		return bin;
	}

	record Result(double dailySeconds) {
	}

	private record Run(double seconds, long rssKb, String stdout) {
	}

}
