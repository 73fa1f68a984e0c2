package dev.cctracer.shared.log;

import java.util.Arrays;

/**
 * Cuts a line that holds several JSON objects back to back ({@code {…}{…}}) into them.
 * <p>
 * Such a line is what a transcript holds when its last line lost its newline (an editor
 * that strips it, a copy cut short) and Claude Code appended the next one: the ingest
 * counts an unterminated last line once it has stayed unchanged (its quiet tail), then
 * reads the appended object from where that line ended, so a fresh read of the file (a
 * first index, a verify's recount) must read the two objects too, at the same offsets, or
 * the totals would depend on when the file was read (a fault trial). The ingest
 * ({@link JsonlReader}), the facts ({@link EntryFactReader}) and a session's timeline
 * ({@code TranscriptIndex}) read such a line alike.
 */
public final class GluedObjects {

	private GluedObjects() {
	}

	/**
	 * Where each object of a line of back-to-back objects starts, relative to
	 * {@code off}, with one more entry for the end of the last object (whitespace before
	 * the first, between them and after the last is allowed); {@code null} when the line
	 * is not at least two objects so glued (one object, something else between or around
	 * them, an object left open). Only the braces, brackets and strings are followed:
	 * each piece is for a parser to read.
	 */
	static int[] split(byte[] buf, int off, int len) {
		int end = off + len;
		int i = skipWhitespace(buf, off, end);
		if (i >= end || buf[i] != '{') {
			return null;
		}
		int[] starts = new int[4];
		int count = 0;
		while (i < end) {
			if (buf[i] != '{') {
				return null;
			}
			if (count + 1 >= starts.length) {
				starts = Arrays.copyOf(starts, starts.length * 2);
			}
			starts[count++] = i - off;
			int close = objectEnd(buf, i, end);
			if (close < 0) {
				return null;
			}
			i = skipWhitespace(buf, close, end);
			if (i >= end) {
				starts[count] = close - off;
			}
		}
		return (count >= 2) ? Arrays.copyOf(starts, count + 1) : null;
	}

	/** Receives one object of a glued line: its offset in the file and its bytes. */
	@FunctionalInterface
	public interface Piece {

		void read(long offset, byte[] buf, int off, int len);

	}

	/**
	 * Hands each object of a line of back-to-back objects ({@link #split}) to
	 * {@code piece}, at its own offset in the file.
	 * @param offset the line's offset in the file
	 * @return false (and nothing handed) when the line is not such objects
	 */
	public static boolean forEach(long offset, byte[] buf, int off, int len, Piece piece) {
		int[] starts = split(buf, off, len);
		if (starts == null) {
			return false;
		}
		for (int p = 0; p + 1 < starts.length; p++) {
			piece.read(offset + starts[p], buf, off + starts[p], starts[p + 1] - starts[p]);
		}
		return true;
	}

	/**
	 * Just past the {@code '}'} that closes the object opening at {@code at}, or -1 when
	 * the line ends first (or closes what it did not open).
	 */
	private static int objectEnd(byte[] buf, int at, int end) {
		int depth = 0;
		boolean inString = false;
		for (int i = at; i < end; i++) {
			byte b = buf[i];
			if (inString) {
				if (b == '\\') {
					i++;
				}
				else if (b == '"') {
					inString = false;
				}
				continue;
			}
			switch (b) {
				case '"' -> inString = true;
				case '{', '[' -> depth++;
				case '}', ']' -> {
					depth--;
					if (depth == 0) {
						return (b == '}') ? i + 1 : -1;
					}
					if (depth < 0) {
						return -1;
					}
				}
				default -> {
				}
			}
		}
		return -1;
	}

	private static int skipWhitespace(byte[] buf, int i, int end) {
		while (i < end && (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r')) {
			i++;
		}
		return i;
	}

}
