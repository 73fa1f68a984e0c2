package dev.cctracer.shared.log;

/**
 * Receives the outcome of every complete line of a chunk, in file order.
 */
public interface LineHandler {

	/**
	 * A line that parsed as a JSON object.
	 * @param offset byte offset of the line's first byte in the file
	 * @param entry what was read from it
	 */
	void entry(long offset, LogEntry entry);

	/**
	 * A complete line that is not a JSON object (malformed, truncated JSON, or another
	 * JSON value).
	 */
	void invalid(long offset);

	/** A line over the configured cap: skipped whole, never parsed. */
	void overlong(long offset, long length);

	/** A line with only white space: ignored, not counted as invalid. */
	default void blank(long offset) {
	}

}
