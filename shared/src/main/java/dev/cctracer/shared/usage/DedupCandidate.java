package dev.cctracer.shared.usage;

/**
 * One copy of a usage record as the dedup rule sees it.
 */
public interface DedupCandidate {

	/** {@code message.id}; {@code null} for a line without one (never deduplicated). */
	String messageId();

	/** {@code requestId}, or {@code null}. */
	String requestId();

	boolean sidechain();

	/** Total tokens of the copy. */
	long totalTokens();

	/**
	 * Whether the copy's file is gone from disk, its history kept (Claude Code's cleanup
	 * of old sessions, or a project dir moved or copied away): such a copy loses a tie to
	 * a copy in a file still there. False for a copy just read from disk.
	 */
	default boolean deleted() {
		return false;
	}

	/**
	 * Whether the line is Claude Code's copy of another session's line (a fork:
	 * {@code forkedFrom}): it loses a tie to a copy that is not one, so a forked
	 * session's copies of the original's responses count in the session that made them.
	 * False for a copy stored before the flag was read.
	 */
	default boolean forked() {
		return false;
	}

	/** The file's place in path order (its full path). */
	String pathOrder();

	/** The line's byte offset in its file (line order). */
	long lineOffset();

}
