package dev.cctracer.shared.log;

/**
 * Makes a value from a transcript safe to put in a log line: control characters (a
 * newline could forge a log line) are escaped and the length is capped.
 */
public final class LogText {

	/** Longest value logged, in characters. */
	static final int MAX = 200;

	private LogText() {
	}

	/**
	 * The value with {@code \n}, {@code \r}, {@code \t} and other control characters
	 * escaped as {@code \\n}, {@code \\r}, {@code \\t}, {@code \\uXXXX}, cut to 200
	 * characters (then ending in {@code …}); {@code "null"} for {@code null}.
	 * @param value any text
	 */
	public static String safe(String value) {
		if (value == null) {
			return "null";
		}
		StringBuilder out = new StringBuilder(Math.min(value.length(), MAX) + 8);
		for (int i = 0; i < value.length() && out.length() < MAX; i++) {
			char c = value.charAt(i);
			switch (c) {
				case '\n' -> out.append("\\n");
				case '\r' -> out.append("\\r");
				case '\t' -> out.append("\\t");
				default -> {
					if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
						out.append(String.format("\\u%04x", (int) c));
					}
					else {
						out.append(c);
					}
				}
			}
		}
		if (out.length() >= MAX && value.length() > MAX) {
			out.append('…');
		}
		return out.toString();
	}

	/**
	 * A failure in one safe log line: the type and message of its innermost cause (a
	 * database driver's "Connection refused" rather than the SQL text Spring's wrapper
	 * quotes over several lines), escaped and capped as {@link #safe(String)} does.
	 * @param failure any throwable, or {@code null} ({@code "null"})
	 */
	public static String failure(Throwable failure) {
		Throwable root = Causes.innermost(failure);
		return safe((root != null) ? root.toString() : null);
	}

}
