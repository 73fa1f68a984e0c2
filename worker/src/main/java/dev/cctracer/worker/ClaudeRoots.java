package dev.cctracer.worker;

import java.nio.file.Path;
import java.util.List;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.shared.discovery.ClaudeDirs;

/**
 * The projects directories to index, re-checked on every call (a dir may appear later).
 */
@Component
public class ClaudeRoots {

	private final List<Path> candidates;

	private volatile List<Path> demo = List.of();

	public ClaudeRoots(TracerProperties properties, Environment env) {
		this.candidates = ClaudeDirs.candidates(properties.claudeDirs(), env.getProperty("CLAUDE_CONFIG_DIR"),
				ClaudeDirs.home(env.getProperty("HOME")));
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
		return ClaudeDirs.existing(demoDirs.isEmpty() ? this.candidates : demoDirs);
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
