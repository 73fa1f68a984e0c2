package dev.cctracer.db.support;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * A database as the app's messages name it (a storage fault, a start that fails on it):
 * where it is, never its credentials.
 */
public final class DatabaseNames {

	private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)password=[^&;#]*");

	private DatabaseNames() {
	}

	/**
	 * The database as a fault names it: an embedded H2's by the data dir it lives in (by
	 * its file when it lives elsewhere, one shared through {@code AUTO_SERVER}), a
	 * server's (PostgreSQL, H2 over {@code tcp:} or {@code ssl:}) by its host, port and
	 * name (no user, password or other parameter of the URL).
	 * @param url a JDBC URL, or null
	 */
	public static String describe(String url, Path dataDir) {
		if (url == null) {
			return "the database in " + dataDir;
		}
		String file = H2Urls.database(url);
		if (file != null) {
			// an embedded file: this data dir's, or one shared by several processes
			try {
				if (file.startsWith("mem:") || Path.of(file)
					.toAbsolutePath()
					.normalize()
					.startsWith(dataDir.toAbsolutePath().normalize())) {
					return "the database in " + dataDir;
				}
			}
			catch (InvalidPathException ex) {
				return "the database in " + dataDir;
			}
			return "the H2 database " + file;
		}
		String rest = url.startsWith("jdbc:") ? url.substring(5) : url;
		int colon = rest.indexOf(':');
		String kind = rest.startsWith("postgresql:") ? "PostgreSQL"
				: rest.startsWith("h2:") ? "H2" : (colon > 0) ? rest.substring(0, colon) : "";
		int slashes = rest.indexOf("//");
		// a password given as a parameter goes first: an '@' in it would read as the end
		// of user info ("?password=p@ss" named the database "at ss")
		String where = (slashes < 0) ? "" : PASSWORD_PARAMETER.matcher(rest.substring(slashes + 2)).replaceAll("");
		// whatever comes before the last '@' may be user info, a password holding '?',
		// ';' or '/' included: it goes first, then every parameter
		where = where.substring(where.lastIndexOf('@') + 1);
		for (char stop : new char[] { '?', ';', '#' }) {
			int cut = where.indexOf(stop);
			where = (cut < 0) ? where : where.substring(0, cut);
		}
		return "the " + (kind.isEmpty() ? "" : kind + " ") + "database" + (where.isEmpty() ? "" : " at " + where);
	}

}
