package dev.cctracer.worker;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.discovery.ClaudeDirs;

/**
 * The projects directories to index, re-checked on every call (a dir may appear later). A
 * demo dataset shown because there were no logs ({@code cctracer.demo=auto}) ends as soon
 * as a transcript is found in a Claude dir: {@link #current()} then answers the user's
 * dirs, after the listener given to {@link #onDemoEnded} has run.
 */
@Component
public class ClaudeRoots {

	/** How often, at most, a demo in use looks for the user's own logs (ms). */
	private static final long LOOK_EVERY_MILLIS = 2_000;

	private final List<Path> candidates;

	/** The home dir the Claude dirs are found from ({@code $HOME}, else the JVM's). */
	private final Path home;

	private final boolean autoDemo;

	private volatile List<Path> demo = List.of();

	private volatile Runnable demoEnded = () -> {
	};

	private volatile long nextLook;

	public ClaudeRoots(TracerProperties properties, Environment env) {
		this.home = ClaudeDirs.home(env.getProperty("HOME"));
		this.candidates = ClaudeDirs.candidates(properties.claudeDirs(), env.getProperty("CLAUDE_CONFIG_DIR"),
				this.home);
		this.autoDemo = "auto".equalsIgnoreCase(properties.demo());
	}

	/**
	 * A path as the answers that need no login name it ({@code /health},
	 * {@code /api/index/status}): below the home dir the Claude dirs are found from as
	 * {@code ~/…}, else as it is.
	 */
	public String shown(Path path) {
		return ClaudeDirs.shown(path, this.home);
	}

	/** {@link #shown(Path)} for a path given as text (as it is when it is no path). */
	public String shown(String path) {
		try {
			return shown(Path.of(path));
		}
		catch (InvalidPathException ex) {
			return path;
		}
	}

	/** Where logs are looked for, existing or not. */
	public List<Path> candidates() {
		return this.candidates;
	}

	/**
	 * The existing projects dirs, as real paths (or the demo dataset's when one is in
	 * use).
	 */
	public List<Path> current() {
		List<Path> demoDirs = this.demo;
		if (!demoDirs.isEmpty() && this.autoDemo && System.currentTimeMillis() >= this.nextLook) {
			this.nextLook = System.currentTimeMillis() + LOOK_EVERY_MILLIS;
			if (hasTranscripts()) {
				endDemo();
				demoDirs = this.demo;
			}
		}
		return ClaudeDirs.existing(demoDirs.isEmpty() ? this.candidates : demoDirs);
	}

	/**
	 * Stops showing the demo dataset (the user's logs arrived) once, after the listener
	 * has removed its files from the database.
	 */
	private synchronized void endDemo() {
		if (this.demo.isEmpty()) {
			return;
		}
		this.demoEnded.run();
		this.demo = List.of();
	}

	/**
	 * What to do when the demo ends because the user's logs were found: remove the demo's
	 * files from the database (run before any scan of the user's dirs).
	 */
	public void onDemoEnded(Runnable listener) {
		this.demoEnded = listener;
	}

	/** Whether any existing candidate dir holds a transcript (demo data aside). */
	public boolean hasTranscripts() {
		return ClaudeDirs.hasTranscripts(ClaudeDirs.existing(this.candidates));
	}

	/** Indexes a generated demo dataset instead of the (absent) Claude logs. */
	public void useDemo(Path projects) {
		this.demo = List.of(projects);
	}

	public boolean isDemo() {
		return !this.demo.isEmpty();
	}

}
