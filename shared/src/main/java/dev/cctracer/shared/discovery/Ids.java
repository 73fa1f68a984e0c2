package dev.cctracer.shared.discovery;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation of ids that come from URLs or file names: project directory names and
 * session UUIDs.
 */
public final class Ids {

	private static final Pattern PROJECT_DIR = Pattern.compile("^[A-Za-z0-9._-]{1,255}$");

	private static final Pattern SESSION_ID = Pattern
		.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

	private static final Pattern AGENT_ID = Pattern.compile("^[A-Za-z0-9_-]{1,128}$");

	private Ids() {
	}

	public static boolean isProjectDir(String name) {
		return name != null && PROJECT_DIR.matcher(name).matches() && !name.equals(".") && !name.equals("..");
	}

	public static boolean isSessionId(String id) {
		return id != null && SESSION_ID.matcher(id).matches();
	}

	public static boolean isAgentId(String id) {
		return id != null && AGENT_ID.matcher(id).matches();
	}

	/** The project dir name, or an {@link InvalidIdException}. */
	public static String requireProjectDir(String name) {
		if (!isProjectDir(name)) {
			throw new InvalidIdException("project", name);
		}
		return name;
	}

	/** The session id in canonical lower case, or an {@link InvalidIdException}. */
	public static String requireSessionId(String id) {
		if (!isSessionId(id)) {
			throw new InvalidIdException("session", id);
		}
		return id.toLowerCase(Locale.ROOT);
	}

	/**
	 * A malformed id; the message never echoes more than a short, sanitized prefix of the
	 * input.
	 */
	public static final class InvalidIdException extends IllegalArgumentException {

		private static final long serialVersionUID = 1L;

		private final String kind;

		public InvalidIdException(String kind, String value) {
			super("malformed " + kind + " id" + describe(value));
			this.kind = kind;
		}

		public String kind() {
			return this.kind;
		}

		private static String describe(String value) {
			if (value == null) {
				return "";
			}
			String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
			return ": '" + shown.replaceAll("[^A-Za-z0-9._%-]", "?") + "'";
		}

	}

}
