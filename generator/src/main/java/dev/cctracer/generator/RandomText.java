package dev.cctracer.generator;

import java.util.ArrayList;
import java.util.List;
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

	/**
	 * The calibrated shape's filler words: the same words, the two non-ASCII ones drawn a
	 * sixth as often (1 word in 55 instead of 1 in 10), so the text holds ~6 bytes of
	 * UTF-8 sequences a KB as real transcripts do (1.0–10.8 a KB in the sets
	 * BENCHMARKS.md measures; the classic shape's filler holds ~33).
	 */
	private static final String[] CALIBRATED_WORDS = calibratedWords();

	private final Random random;

	private final String[] words;

	/** The classic shape's filler (and the demo's). */
	RandomText(Random random) {
		this(random, false);
	}

	/**
	 * @param calibrated whether the filler follows real transcripts' share of non-ASCII
	 * text ({@link #CALIBRATED_WORDS})
	 */
	RandomText(Random random, boolean calibrated) {
		this.random = random;
		this.words = calibrated ? CALIBRATED_WORDS : WORDS;
	}

	private static String[] calibratedWords() {
		List<String> words = new ArrayList<>();
		for (int copy = 0; copy < 6; copy++) {
			for (String w : WORDS) {
				if (w.chars().allMatch((c) -> c < 0x80)) {
					words.add(w);
				}
			}
		}
		words.add("é");
		words.add("→");
		return words.toArray(new String[0]);
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
			sb.append(this.words[this.random.nextInt(this.words.length)])
				.append(this.random.nextInt(40) == 0 ? "\n" : " ");
		}
		sb.setLength(length);
		return sb.toString();
	}

}
