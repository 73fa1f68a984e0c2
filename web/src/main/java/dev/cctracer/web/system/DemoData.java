package dev.cctracer.web.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.generator.DemoDataset;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;

/**
 * On a machine without Claude Code logs (no {@code *.jsonl} under any Claude dir, also
 * when {@code ~/.claude/projects} exists but is empty; {@code cctracer.demo=auto}, the
 * default) or on request ({@code on}), generates the demo dataset ({@link DemoDataset}:
 * three projects over the last 30 days, with real edits, subagents, titles, errors and
 * web searches) under the data dir and indexes that instead, so every page has something
 * to show. Runs before the first index. Once the user's own logs are found (at a later
 * start, or while running: {@link ClaudeRoots}), the demo's files are removed from the
 * database ({@link DemoRemoval}), so its made-up usage never counts with theirs.
 */
@Component
class DemoData implements InitializingBean {

	private static final Logger log = LoggerFactory.getLogger(DemoData.class);

	/** The demo's random seed: the same content on every machine. */
	static final long SEED = 42;

	private final ClaudeRoots roots;

	private final TracerProperties properties;

	private final Path dataDir;

	/**
	 * Removes the demo's files from the database when the user's logs take its place, or
	 * {@code null} (a test without a database).
	 */
	private final DemoRemoval removal;

	DemoData(ClaudeRoots roots, TracerProperties properties, Environment env) {
		this(roots, properties, env, null);
	}

	@Autowired
	DemoData(ClaudeRoots roots, TracerProperties properties, Environment env, DemoRemoval removal) {
		this.roots = roots;
		this.properties = properties;
		this.dataDir = Path.of(env.getRequiredProperty("cctracer.data-dir"));
		this.removal = removal;
	}

	@Override
	public void afterPropertiesSet() {
		String mode = this.properties.demo();
		if (!this.properties.ingest().enabled()) {
			// a web-only process never writes data of its own into a shared database
			return;
		}
		boolean wanted = "on".equalsIgnoreCase(mode) || ("auto".equalsIgnoreCase(mode) && !this.roots.hasTranscripts());
		if (this.removal != null) {
			this.roots.onDemoEnded(this::remove);
		}
		if (wanted) {
			load();
		}
		else {
			// a demo shown by an earlier start, before there were logs: its totals would
			// count with the user's own
			remove();
		}
	}

	/** Removes the demo dataset's files from the database, if any are there. */
	private void remove() {
		if (this.removal == null) {
			return;
		}
		int removed = this.removal.remove(config().resolve("projects"));
		if (removed > 0) {
			log.info("The generated demo dataset is no longer shown: {} of its files removed from the database "
					+ "(Claude dirs: {})", removed, this.roots.candidates());
		}
	}

	/** The demo's Claude config dir: {@code <data-dir>/demo/claude}. */
	private Path config() {
		return this.dataDir.resolve("demo").resolve("claude");
	}

	/** Generates the demo dataset (once) and indexes it instead of the Claude dirs. */
	void load() {
		Path config = config();
		try {
			if (!Files.isDirectory(config.resolve("projects"))) {
				// sessions over the last 30 days, so today, this week and this month show
				// data
				new DemoDataset(SEED, Instant.now().truncatedTo(ChronoUnit.MINUTES)).generate(config);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot write the demo dataset under " + config, ex);
		}
		this.roots.useDemo(config.resolve("projects"));
		log.warn(
				"No Claude Code logs found in {}; showing a generated DEMO dataset from {} "
						+ "(set cctracer.claude-dirs or CLAUDE_CONFIG_DIR, or cctracer.demo=off)",
				this.roots.candidates(), config.resolve("projects"));
	}

}
