package dev.cctracer.worker.system;

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

	public ClaudeRoots(TracerProperties properties, Environment env) {
		this.candidates = ClaudeDirs.candidates(properties.claudeDirs(), env.getProperty("CLAUDE_CONFIG_DIR"),
				Path.of(System.getProperty("user.home")));
	}

	/** Where logs are looked for, existing or not. */
	public List<Path> candidates() {
		return this.candidates;
	}

	/** The existing projects dirs, as real paths. */
	public List<Path> current() {
		return ClaudeDirs.existing(this.candidates);
	}

}
