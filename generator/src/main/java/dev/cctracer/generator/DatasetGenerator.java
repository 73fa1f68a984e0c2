package dev.cctracer.generator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/**
 * Writes realistic Claude Code logs, deterministic by seed, and their exact ground truth.
 * <p>
 * What it writes, like Claude Code does: one line per content block of each API response,
 * each repeating the usage with a partial {@code output_tokens} until the last; tool_use
 * / tool_result pairs with padded results; progress, system and file-history-snapshot
 * lines; subagents in the {@code subagents/} and {@code subagents/workflows/} layouts and
 * the legacy flat layout; inline sidechains; resumed sessions that copy the history of an
 * earlier session into a new file; the 5m/1h cache split; long-context requests and fast
 * mode; and a few malformed lines.
 * <p>
 * The ground truth counts each response once, in the file the dedup rule picks (copies
 * are equal, so the first file in path order), at the time of its final line.
 * <p>
 * This class sizes the dataset ({@link Spec}) and lays out projects and sessions; each
 * session is shaped by {@link SessionWriter}, its lines by {@link TranscriptEntries},
 * written by {@link JsonlFile} and counted by {@link ResponseLedger}.
 */
public final class DatasetGenerator {

	/**
	 * How a session's lines are shaped.
	 */
	public enum Shape {

		/**
		 * The shape of the first benchmarks: every response 2–4 lines (one per content
		 * block plus its tool_use), tool results of {@code padBytes} ± 50 %, a hook
		 * progress line in a third of the turns; about 57 responses and 180 usage lines a
		 * MB at the medium size.
		 */
		CLASSIC,

		/**
		 * Calibrated on real transcripts ({@code benchmark/src/main/python/realshape.py}
		 * over {@code ../shared/realdata}, BENCHMARKS.md): 1–3 lines a response (2 on
		 * average, as Claude Code repeats the usage on each content block), tool results
		 * log-normal around a median of {@code padBytes} (p90 ≈ 10× the median, at most
		 * 200 KB), 0–2 hook progress lines a turn; about 85 responses and 170 usage lines
		 * a MB.
		 */
		CALIBRATED

	}

	/**
	 * @param projects number of project dirs
	 * @param sessionsPerProject sessions per project
	 * @param turnsPerSession user turns per main session (subagents get a third)
	 * @param padBytes average size of a tool result's text (bytes; the median with
	 * {@link Shape#CALIBRATED})
	 * @param seed random seed
	 * @param start first day of activity
	 * @param shape how lines are shaped
	 */
	public record Spec(int projects, int sessionsPerProject, int turnsPerSession, int padBytes, long seed,
			Instant start, Shape shape) {

		/** A spec of the {@link Shape#CLASSIC classic} shape. */
		public Spec(int projects, int sessionsPerProject, int turnsPerSession, int padBytes, long seed, Instant start) {
			this(projects, sessionsPerProject, turnsPerSession, padBytes, seed, start, Shape.CLASSIC);
		}

		/** ~20 MB. */
		public static Spec small() {
			return new Spec(5, 8, 16, 6000, 42, Instant.parse("2026-01-05T08:00:00Z"));
		}

		/** 50 projects × 20 sessions, ~3,000 files, ~0.9 GB. */
		public static Spec medium() {
			return new Spec(50, 20, 20, 13500, 42, Instant.parse("2026-01-05T08:00:00Z"));
		}

		/** ~20 MB shaped like real transcripts ({@link Shape#CALIBRATED}). */
		public static Spec calibratedSmall() {
			return new Spec(5, 8, 20, CALIBRATED_MEDIAN, 42, Instant.parse("2026-01-05T08:00:00Z"), Shape.CALIBRATED);
		}

		/**
		 * 50 projects × 20 sessions, ~3,000 files, ~0.9 GB shaped like real transcripts
		 * ({@link Shape#CALIBRATED}).
		 */
		public static Spec calibratedMedium() {
			return new Spec(50, 20, 35, CALIBRATED_MEDIAN, 42, Instant.parse("2026-01-05T08:00:00Z"), Shape.CALIBRATED);
		}

		/** A few sessions, for tests. */
		public static Spec tiny(long seed) {
			return new Spec(3, 4, 6, 200, seed, Instant.parse("2026-03-01T22:30:00Z"));
		}

		/** The same spec with {@code factor} times the projects (same sessions each). */
		public Spec scaled(int factor) {
			return new Spec(this.projects * factor, this.sessionsPerProject, this.turnsPerSession, this.padBytes,
					this.seed, this.start, this.shape);
		}

	}

	/**
	 * The median tool result of real transcripts, bytes (p50 270–806 in the sets
	 * measured).
	 */
	static final int CALIBRATED_MEDIAN = 1000;

	private final Spec spec;

	private final Random random;

	private final GroundTruth truth = new GroundTruth();

	private final ResponseLedger ledger = new ResponseLedger(this.truth);

	/** A generator of the dataset {@code spec} sizes, seeded by its seed. */
	public DatasetGenerator(Spec spec) {
		this.spec = spec;
		this.random = new Random(spec.seed());
	}

	/**
	 * Writes the dataset under {@code configDir/projects} and returns its ground truth. A
	 * generator is used once: a second call would count on top of the first.
	 * @throws IOException when a file cannot be written
	 */
	public GroundTruth generate(Path configDir) throws IOException {
		Path projects = configDir.resolve("projects");
		for (int p = 0; p < this.spec.projects(); p++) {
			String projectName = String.format("project-%03d", p);
			String dir = "-home-dev-" + projectName;
			String cwd = "/home/dev/" + projectName;
			List<ApiResponse> previous = null;
			for (int s = 0; s < this.spec.sessionsPerProject(); s++) {
				String session = new UUID(this.random.nextLong(), this.random.nextLong()).toString();
				Instant start = this.spec.start()
					.plusSeconds((long) p * 3600 + (long) s * 86_400 / 2 + this.random.nextInt(3600));
				SessionWriter w = new SessionWriter(this.spec, this.random, this.ledger, this.truth, projects, dir,
						session, cwd, start);
				// a resumed session starts with a copy of the previous session's
				// responses
				List<ApiResponse> copied = (previous != null && this.random.nextInt(8) == 0) ? previous : List.of();
				previous = w.writeMain(copied);
			}
		}
		return this.truth;
	}

	/** {@code java -cp … DatasetGenerator <configDir> [small|medium|tiny] [scale]}. */
	public static void main(String[] args) throws IOException {
		if (args.length < 1) {
			System.err.println("usage: DatasetGenerator <config-dir> [small|medium] [scale]");
			System.exit(2);
		}
		Spec spec = (args.length > 1 && args[1].equals("medium")) ? Spec.medium() : Spec.small();
		if (args.length > 2) {
			spec = spec.scaled(Integer.parseInt(args[2]));
		}
		long started = System.nanoTime();
		GroundTruth truth = new DatasetGenerator(spec).generate(Path.of(args[0]));
		System.out.printf("%d files, %d lines, %.1f MB, %d messages in %.1f s%n", truth.fileCount, truth.lines,
				truth.bytes / 1e6, truth.global.messages, (System.nanoTime() - started) / 1e9);
	}

}
