package dev.cctracer.web.session;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.web.usage.ConflictException;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The keyset cursor of a message list: {@code m1:<file id>:<generation>:<position>},
 * URL-safe Base64 without padding. Positions never change while a file only grows, so
 * walking page by page yields every message exactly once, also while lines are appended;
 * a rewritten file (new generation) makes old cursors fail clearly. A timeline from the
 * facts has cursors of its own, {@code e1:<file id>:<generation>:<entries before>}: its
 * positions count lines, not messages.
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
		if (parts.length == 4 && parts[0].equals("e1")) {
			throw new IllegalArgumentException(
					"the cursor is of a timeline from the facts; the transcript is on this machine's disk now: "
							+ "start again without a cursor");
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

	/** Where a timeline from the facts goes on: 0-based {@code next} entry. */
	record EntryCursor(long fileId, int generation, int next) {

		/**
		 * Checks the cursor against the transcript read.
		 * @throws IllegalArgumentException when it belongs to another transcript
		 * @throws TranscriptRewrittenException when the file was rewritten since
		 */
		void check(long fileId, int generation) {
			if (this.fileId != fileId) {
				throw new IllegalArgumentException("the cursor belongs to another transcript");
			}
			if (this.generation != generation) {
				throw new TranscriptRewrittenException();
			}
		}

	}

	/** The cursor of a timeline from the facts, before its 0-based {@code next} entry. */
	static String encodeEntries(long fileId, int generation, int next) {
		String raw = "e1:" + fileId + ":" + generation + ":" + next;
		return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * A cursor of a timeline from the facts.
	 * @throws IllegalArgumentException when it is malformed or a transcript's cursor
	 */
	static EntryCursor decodeEntries(String cursor) {
		String[] parts;
		try {
			parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":");
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
		if (parts.length == 4 && parts[0].equals("m1")) {
			throw new IllegalArgumentException(
					"the cursor is of the transcript's messages; the transcript is not on this machine's disk now: "
							+ "start again without a cursor");
		}
		if (parts.length != 4 || !parts[0].equals("e1")) {
			throw new IllegalArgumentException("malformed cursor");
		}
		try {
			int next = Integer.parseInt(parts[3]);
			if (next < 0) {
				throw new IllegalArgumentException("malformed cursor");
			}
			return new EntryCursor(Long.parseLong(parts[1]), Integer.parseInt(parts[2]), next);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("malformed cursor");
		}
	}

	/**
	 * A cursor from before the transcript was truncated or replaced (answered 409 by the
	 * API and the pages).
	 */
	static final class TranscriptRewrittenException extends ConflictException {

		private static final long serialVersionUID = 1L;

		TranscriptRewrittenException() {
			super("Transcript rewritten",
					"the transcript was rewritten since this cursor was issued; start again without a cursor");
		}

	}

}
