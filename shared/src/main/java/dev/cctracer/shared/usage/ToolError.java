package dev.cctracer.shared.usage;

/**
 * A failed tool call's result in a transcript: a {@code tool_result} block with
 * {@code is_error:true} that names its call. A side question's transcript replays the
 * session's lines, the result with them: the call's id tells the replay from a failure of
 * its own.
 *
 * @param lineOffset the line's byte offset in its file
 * @param timestamp epoch milliseconds, or {@code null} when the line has none
 * @param toolUseId the result's {@code tool_use_id} (at most 128 characters kept)
 * @param forked the line is Claude Code's copy of another session's line
 * ({@code forkedFrom}): the failure is the original session's, counted there
 */
public record ToolError(long lineOffset, Long timestamp, String toolUseId, boolean forked) {

	/** The longest id kept, in characters. */
	public static final int ID_MAX = 128;

	public ToolError {
		if (toolUseId.length() > ID_MAX) {
			toolUseId = toolUseId.substring(0, ID_MAX);
		}
	}

}
