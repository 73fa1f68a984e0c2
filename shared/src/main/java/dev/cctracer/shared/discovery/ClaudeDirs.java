package dev.cctracer.shared.discovery;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the {@code projects} directories to index.
 * <p>
 * Explicit directories (a property, else {@code CLAUDE_CONFIG_DIR}, a comma list) win;
 * each entry is a config dir or its {@code projects/}. Without them both
 * {@code ~/.config/claude} and {@code ~/.claude} are used. Only directories that exist
 * are returned, as real paths, without duplicates.
 */
public final class ClaudeDirs {

	private ClaudeDirs() {
	}

	/**
	 * A path as the answers that need no login name it: below {@code home} as {@code ~/…}
	 * (the home dir names the user), else as it is.
	 */
	public static String shown(Path path, Path home) {
		Path p = path.toAbsolutePath().normalize();
		Path h = home.toAbsolutePath().normalize();
		if (h.getNameCount() == 0) {
			return path.toString();
		}
		return p.equals(h) ? "~" : p.startsWith(h) ? "~/" + h.relativize(p) : path.toString();
	}

	/**
	 * The home directory {@code ~} stands for, as Claude Code finds it (Node's
	 * {@code os.homedir()}): the {@code HOME} environment variable when it is set to an
	 * absolute path, else the JVM's {@code user.home} (which Java takes from the password
	 * database, whatever {@code HOME} says).
	 * @param homeEnv the value of {@code HOME}, or {@code null}
	 */
	public static Path home(String homeEnv) {
		if (homeEnv != null && !homeEnv.isBlank()) {
			Path home = Path.of(homeEnv.strip());
			if (home.isAbsolute()) {
				return home.normalize();
			}
		}
		return Path.of(System.getProperty("user.home"));
	}

	/** The configured candidates, existing or not, as projects directories. */
	public static List<Path> candidates(String explicit, String claudeConfigDirEnv, Path home) {
		String list = (explicit != null && !explicit.isBlank()) ? explicit : claudeConfigDirEnv;
		List<Path> result = new ArrayList<>();
		if (list != null && !list.isBlank()) {
			for (String entry : list.split(",")) {
				String trimmed = entry.trim();
				if (trimmed.isEmpty()) {
					continue;
				}
				Path dir = expandHome(trimmed, home);
				result.add(dir.getFileName() != null && dir.getFileName().toString().equals("projects") ? dir
						: dir.resolve("projects"));
			}
			return result;
		}
		result.add(home.resolve(".config").resolve("claude").resolve("projects"));
		result.add(home.resolve(".claude").resolve("projects"));
		return result;
	}

	/**
	 * The existing projects directories among the candidates, as real paths,
	 * de-duplicated.
	 */
	public static List<Path> existing(List<Path> candidates) {
		Set<Path> found = new LinkedHashSet<>();
		for (Path candidate : candidates) {
			if (Files.isDirectory(candidate)) {
				try {
					found.add(candidate.toRealPath());
				}
				catch (IOException ex) {
					// unreadable: reported by the health check, skipped here
				}
			}
		}
		return List.copyOf(found);
	}

	/**
	 * Whether any of the directories holds a transcript ({@code *.jsonl}) at any depth.
	 * Stops at the first one; unreadable subtrees count as empty.
	 */
	public static boolean hasTranscripts(List<Path> dirs) {
		for (Path dir : dirs) {
			if (!Files.isDirectory(dir)) {
				continue;
			}
			try (Stream<Path> files = Files.find(dir, 8,
					(path, attrs) -> attrs.isRegularFile() && path.getFileName().toString().endsWith(".jsonl"))) {
				if (files.findAny().isPresent()) {
					return true;
				}
			}
			catch (IOException | UncheckedIOException ex) {
				// unreadable: reported by the health check, treated as holding nothing
				// here
			}
		}
		return false;
	}

	private static Path expandHome(String entry, Path home) {
		if (entry.equals("~")) {
			return home;
		}
		if (entry.startsWith("~/")) {
			return home.resolve(entry.substring(2));
		}
		return Path.of(entry).toAbsolutePath().normalize();
	}

}
