package dev.cctracer.generator;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import dev.cctracer.generator.DemoScript.Project;
import dev.cctracer.generator.DemoScript.Task;

/**
 * The demo dataset the app shows when there are no Claude Code logs: three projects
 * (Java, Python, TypeScript) with sessions over the 30 days before {@code end}, written
 * as Claude Code 2.1.150 writes them. Realistic prompts and answers; Read, Grep, Bash,
 * Edit, MultiEdit and Write calls on real code (edits carry their
 * {@code structuredPatch}); tool errors (a failed edit, failing builds); subagents with
 * their {@code meta.json}, one named; AI and custom titles; API errors; web searches; a
 * compaction. Deterministic for a seed and an end; its ground truth is exact.
 * <p>
 * The showcase session ({@link #showcase()}) is the newest session of {@code acme-shop}:
 * it has all of the above.
 */
public final class DemoDataset {

	/** Sessions per project. */
	static final int SESSIONS = 8;

	private final Random random;

	private final Instant end;

	private final GroundTruth truth = new GroundTruth();

	private final ResponseLedger ledger = new ResponseLedger(this.truth);

	private String showcase;

	/**
	 * @param seed the random seed (ids, tokens, timing)
	 * @param end no line is later than this instant (UTC)
	 */
	public DemoDataset(long seed, Instant end) {
		this.random = new Random(seed);
		this.end = end;
	}

	/**
	 * Writes the dataset under {@code configDir/projects} and returns its ground truth
	 * (each API response counted once, cost in pico-USD). Used once.
	 * @throws IOException when a file cannot be written
	 */
	public GroundTruth generate(Path configDir) throws IOException {
		Path projects = configDir.resolve("projects");
		List<Project> all = List.of(DemoShop.project(), DemoApps.weather(), DemoApps.dashboard());
		for (int p = 0; p < all.size(); p++) {
			Project project = all.get(p);
			for (int s = 0; s < SESSIONS; s++) {
				// oldest first, about every four days, the newest today (p = 0) or within
				// the last three days
				int daysAgo = (SESSIONS - 1 - s) * 4 + ((s == SESSIONS - 1) ? p : this.random.nextInt(3));
				long start = this.end.minus(Duration.ofDays(daysAgo))
					.minus(Duration.ofHours(3))
					.minus(Duration.ofMinutes(this.random.nextInt(5 * 60)))
					.toEpochMilli();
				String session = DemoEntries.uuid(this.random);
				boolean showcase = p == 0 && s == SESSIONS - 1;
				List<Task> tasks = showcase ? project.tasks() : tasks(project, s);
				String customTitle = showcase ? "retry-catalog-client" : (s == 1) ? project.name() + " chores" : null;
				int apiErrors = showcase ? 2 : (this.random.nextInt(4) == 0) ? 1 : 0;
				int compactBefore = (tasks.size() > 2) ? 2 : -1;
				new DemoSessionWriter(this.random, this.ledger, this.truth, projects, session, project, start)
					.write(tasks, customTitle, apiErrors, compactBefore);
				if (showcase) {
					this.showcase = "-home-dev-" + project.name() + "/" + session;
				}
			}
		}
		return this.truth;
	}

	/** One or two of the project's tasks, starting with the session's turn. */
	private List<Task> tasks(Project project, int s) {
		List<Task> tasks = new ArrayList<>();
		int n = 1 + this.random.nextInt(2);
		for (int k = 0; k < n && k < project.tasks().size(); k++) {
			tasks.add(project.tasks().get((s + k) % project.tasks().size()));
		}
		return tasks;
	}

	/**
	 * The session that shows everything, as {@code "projectDir/sessionId"} (the key of
	 * {@link GroundTruth#sessions}); {@code null} before {@link #generate}.
	 */
	public String showcase() {
		return this.showcase;
	}

}
