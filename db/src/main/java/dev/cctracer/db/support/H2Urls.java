package dev.cctracer.db.support;

import java.util.Locale;
import java.util.Set;

/**
 * What an H2 JDBC URL ({@code spring.datasource.url}) says about the database: shared
 * with other processes, or this process's own, and the file it names. Read from the
 * configured URL, as H2's {@code getMetaData().getURL()} leaves the settings out.
 */
public final class H2Urls {

	/** H2's spellings of true for a boolean setting. */
	private static final Set<String> TRUE = Set.of("TRUE", "1", "YES", "Y", "T");

	private H2Urls() {
	}

	/**
	 * Whether the URL names an H2 file that other processes may open too
	 * ({@code AUTO_SERVER} set to any of H2's true values: {@code TRUE}, {@code 1},
	 * {@code YES}, {@code Y}, {@code T}; docs/operations.md).
	 */
	public static boolean isShared(String url) {
		String[] parts = url.split(";");
		for (int i = 1; i < parts.length; i++) {
			int eq = parts[i].indexOf('=');
			if (eq > 0 && parts[i].substring(0, eq).strip().equalsIgnoreCase("AUTO_SERVER")) {
				return TRUE.contains(parts[i].substring(eq + 1).strip().toUpperCase(Locale.ROOT));
			}
		}
		return false;
	}

	/**
	 * Whether the URL names an embedded H2 database (a file or memory), not an H2 server
	 * ({@code tcp:}, {@code ssl:}) nor another database.
	 */
	public static boolean isEmbedded(String url) {
		String u = url.toLowerCase(Locale.ROOT);
		return u.startsWith("jdbc:h2:") && !u.startsWith("jdbc:h2:tcp:") && !u.startsWith("jdbc:h2:ssl:");
	}

	/**
	 * Whether the URL names an H2 database this process opens itself, alone: embedded and
	 * not shared with other processes.
	 */
	public static boolean isEmbeddedAlone(String url) {
		return isEmbedded(url) && !isShared(url);
	}

	/**
	 * The database an embedded H2 URL names, without its settings ({@code mem:name}, or
	 * the file's path without {@code .mv.db}), or {@code null} for any other URL.
	 */
	public static String database(String url) {
		if (url == null || !isEmbedded(url)) {
			return null;
		}
		String name = url.substring("jdbc:h2:".length());
		name = name.startsWith("file:") ? name.substring("file:".length()) : name;
		int semicolon = name.indexOf(';');
		return (semicolon < 0) ? name : name.substring(0, semicolon);
	}

}
