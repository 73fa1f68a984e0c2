package dev.cctracer.web.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The keyset cursor of a message list: {@code m1:<file id>:<generation>:<position>},
 * URL-safe Base64 without padding. Positions never change while a file only grows, so
 * walking page by page yields every message exactly once, also while lines are appended;
 * a rewritten file (new generation) makes old cursors fail clearly.
 */
final class MessageCursor {

	private MessageCursor() {
	}

	/** The cursor of the message at 0-based {@code ordinal} of the file's index. */
	static String encode(FileRef file, TranscriptIndex index, int ordinal) {
		String raw = "m1:" + file.id() + ":" + index.generation() + ":" + ordinal;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The 0-based position a cursor names.
	 * @throws IllegalArgumentException when the cursor is malformed or belongs to another
	 * transcript
	 * @throws TranscriptRewrittenException when the file was rewritten since
	 */
	static int decode(String cursor, FileRef file, TranscriptIndex index) {
		String[] parts;
		try {
			parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
		if (parts.length != 4 || !parts[0].equals("m1")) {
			throw new IllegalArgumentException("malformed cursor");
		}
		try {
			if (Long.parseLong(parts[1]) != file.id()) {
				throw new IllegalArgumentException("the cursor belongs to another transcript");
			}
			if (Integer.parseInt(parts[2]) != index.generation()) {
				throw new TranscriptRewrittenException();
			}
			return Integer.parseInt(parts[3]);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
	}

	/** A cursor from before the transcript was truncated or replaced (answered 409). */
	static final class TranscriptRewrittenException extends RuntimeException {

		private static final long serialVersionUID = 1L;

		TranscriptRewrittenException() {
			super("the transcript was rewritten since this cursor was issued; start again without a cursor");
		}

	}

}
