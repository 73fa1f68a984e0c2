package dev.cctracer.worker;

import java.util.Locale;

/**
 * What an H2 JDBC URL ({@code spring.datasource.url}) says about the database: shared
 * with other processes, or this process's own. Read from the configured URL, as H2's
 * {@code getMetaData().getURL()} leaves the settings out.
 */
public final class H2Urls {

	private H2Urls() {
	}

	/**
	 * Whether the URL names an H2 file that other processes may open too
	 * ({@code AUTO_SERVER=TRUE}, docs/operations.md).
	 */
	public static boolean isShared(String url) {
		return url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
	}

	/**
	 * Whether the URL names an H2 database this process opens itself, alone: not an H2
	 * server ({@code tcp:}, {@code ssl:}) nor a file shared with other processes.
	 */
	public static boolean isEmbeddedAlone(String url) {
		String u = url.toLowerCase(Locale.ROOT);
		return u.startsWith("jdbc:h2:") && !u.startsWith("jdbc:h2:tcp:") && !u.startsWith("jdbc:h2:ssl:")
				&& !isShared(url);
	}

}
