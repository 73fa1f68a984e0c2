package dev.cctracer.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The benchmark harness:
 * {@code java -jar benchmark/target/cctracer-benchmark.jar [small|medium|large|latency|sessions|analytics|soak|cluster] [dir] [app jar] [worker jar]},
 * or {@code hooks [realdata dir]} ({@link HookMemoryBenchmark}, in this process).
 * <p>
 * Each command is its own scenario, run against the app jar started as its own process
 * ({@code -Xmx512m}, see {@link AppProcess}) on an empty database, measured over HTTP and
 * printed as a Markdown report: {@link DatasetSizeBenchmark} for a dataset size (medium
 * by default; cold index, totals against the ground truth, warm API latency, pages,
 * appends, restarts, memory, beside the peer ccusage), {@link SessionsBenchmark},
 * {@link LatencyBenchmark} (the list endpoints alone), {@link AnalyticsBenchmark},
 * {@link ClusterBenchmark} (web and workers on PostgreSQL) and {@link Soak}. The working
 * directory is {@code [dir]/<command>} ({@code target/bench} by default).
 */
public final class Bench {

	private Bench() {
	}

	/**
	 * Runs the command named by {@code args[0]} and exits 0; exits 2 when the app jar is
	 * missing.
	 * @throws IllegalArgumentException when the command is unknown
	 */
	public static void main(String[] args) throws Exception {
		String size = (args.length > 0) ? args[0] : "medium";
		if (size.equals("hooks")) {
			// in this process, no app: the realdata beside the checkout (or [dir])
			new HookMemoryBenchmark().run(Path.of((args.length > 1) ? args[1] : "../shared/realdata").toAbsolutePath());
			System.exit(0);
		}
		Path dir = Path.of((args.length > 1) ? args[1] : "target/bench").resolve(size).toAbsolutePath();
		Path jar = Path.of((args.length > 2) ? args[2] : "web/target/cctracer-web-exec.jar").toAbsolutePath();
		if (!Files.isRegularFile(jar)) {
			System.err.println("app jar not found: " + jar + " (build it first: mvn -Pbench -DskipTests install)");
			System.exit(2);
		}
		if (!"false".equals(System.getProperty("bench.cds"))) {
			// as run.sh starts it: extracted, with a class-data archive
			// (-Dbench.cds=false: the jar)
			jar = ClassDataArchive.prepare(jar, dir.resolveSibling("cds"));
		}
		if (size.equals("sessions")) {
			new SessionsBenchmark(jar).run(dir);
		}
		else if (size.equals("analytics")) {
			new AnalyticsBenchmark(jar).run(dir);
		}
		else if (size.equals("latency")) {
			new LatencyBenchmark(jar).run(dir);
		}
		else if (size.equals("soak")) {
			new Soak(jar, dir).run();
		}
		else if (size.equals("cluster")) {
			Path worker = Path.of((args.length > 3) ? args[3] : "worker/target/cctracer-worker-exec.jar")
				.toAbsolutePath();
			new ClusterBenchmark(jar, worker).run(dir);
		}
		else {
			new DatasetSizeBenchmark(jar).run(size, dir);
		}
		System.exit(0);
	}

	/** Deletes {@code dir} and everything under it; nothing when it does not exist. */
	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(dir)) {
			for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
				Files.delete(p);
			}
		}
	}

}
