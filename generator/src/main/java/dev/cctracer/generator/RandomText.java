package dev.cctracer.generator;

import java.util.Random;

/**
 * Ids and filler text drawn from the generator's one seeded {@link Random}, so a dataset
 * stays deterministic by seed: every draw here advances the same sequence as the
 * session's other decisions.
 */
final class RandomText {

	private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final String[] WORDS = { "the", "build", "passes", "test", "file", "src/main/java", "error:",
			"function", "return", "value", "\"quoted\"", "line", "diff", "--- a/", "+++ b/", "ok", "{", "}", "é", "→" };

	private final Random random;

	RandomText(Random random) {
		this.random = random;
	}

	/** {@code n} lower-case hex digits (a subagent's id). */
	String hex(int n) {
		StringBuilder sb = new StringBuilder(n);
		for (int i = 0; i < n; i++) {
			sb.append(Character.forDigit(this.random.nextInt(16), 16));
		}
		return sb.toString();
	}

	/** {@code n} letters and digits (the tail of message, request and tool_use ids). */
	String alnum(int n) {
		StringBuilder sb = new StringBuilder(n);
		for (int i = 0; i < n; i++) {
			sb.append(ALPHANUMERIC.charAt(this.random.nextInt(ALPHANUMERIC.length())));
		}
		return sb.toString();
	}

	/**
	 * Transcript-like filler of exactly {@code length} chars: code words, quotes, diff
	 * markers and non-ASCII characters (so more bytes than chars), an occasional newline.
	 */
	String pad(int length) {
		StringBuilder sb = new StringBuilder(length);
		while (sb.length() < length) {
			sb.append(WORDS[this.random.nextInt(WORDS.length)]).append(this.random.nextInt(40) == 0 ? "\n" : " ");
		}
		sb.setLength(length);
		return sb.toString();
	}

}
