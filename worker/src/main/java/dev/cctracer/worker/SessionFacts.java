package dev.cctracer.worker;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A session's (or a subagent's) timeline read from the entry-level facts instead of its
 * transcript: for a transcript that is not on this machine's disk (a teammate's session
 * of a team database, or a file removed since it was indexed). One {@link Entry} per line
 * of the transcript that is a JSON object, in file order, as far as the current fact
 * segments of the file reach; text is the facts' already-redacted searchable text, cut to
 * a preview. Only reads: it never writes facts, nor forgets a lost segment (a later
 * segment is then not read either, so the entries stay contiguous from the first line).
 */
public interface SessionFacts {

	/** The most entries one call returns. */
	int MAX_LIMIT = 500;

	/** The most characters of an entry's preview. */
	int PREVIEW_CHARS = 300;

	/**
	 * A line's usage tokens (tokens).
	 *
	 * @param cacheWrite5m cache writes of 5-minute lifetime
	 * @param cacheWrite1h cache writes of 1-hour lifetime
	 */
	record Tokens(long input, long output, long cacheWrite5m, long cacheWrite1h, long cacheRead) {

		/** Every token of the line: the five counts added. */
		public long total() {
			return this.input + this.output + this.cacheWrite5m + this.cacheWrite1h + this.cacheRead;
		}

	}

	/** A {@code tool_use} block of a line: its id and tool name (redacted). */
	record ToolCall(String id, String name) {

	}

	/** A {@code tool_result} block of a line: the id of its call, whether it failed. */
	record ToolResult(String toolUseId, boolean error) {

	}

	/**
	 * One line of the transcript.
	 *
	 * @param index its 1-based position among the file's entries
	 * @param offset its byte offset in the file (bytes)
	 * @param time its timestamp (UTC); a usage line without one has the time it counts at
	 * (the last timestamped line's before it, the epoch when none), another line
	 * {@code null}
	 * @param type the line's own {@code type} ({@code user}, {@code assistant},
	 * {@code system}, ...), or {@code null}
	 * @param uuid the line's {@code uuid}, or {@code null}
	 * @param model its model id (redacted), or {@code null}
	 * @param sidechain whether it is a sidechain line
	 * @param agentId its {@code agentId}, or {@code null}
	 * @param tokens its usage, or {@code null} when it has none
	 * @param counted whether the totals count this line's usage (the copy its response is
	 * counted by: not a streamed or resumed copy of it, not Claude Code's own notice)
	 * @param toolCalls its {@code tool_use} blocks, in order
	 * @param toolResults its {@code tool_result} blocks, in order
	 * @param preview the start of its searchable text (redacted, stripped, at most
	 * {@value #PREVIEW_CHARS} characters, a cut one ending with {@code …}), or
	 * {@code null} when it has none
	 */
	record Entry(int index, long offset, Instant time, String type, String uuid, String model, boolean sidechain,
			String agentId, Tokens tokens, boolean counted, List<ToolCall> toolCalls, List<ToolResult> toolResults,
			String preview) {

	}

	/**
	 * A page of a transcript's entries.
	 *
	 * @param fileId the transcript's id
	 * @param generation its generation (bumped by every rewrite)
	 * @param origin the machine whose disk holds it (empty when none was recorded)
	 * @param thisMachine whether that is this machine
	 * @param total the entries its facts hold
	 * @param coveredBytes how far its facts reach (bytes)
	 * @param committedBytes how far it is indexed (bytes)
	 * @param offset the 0-based position of the first entry of the page
	 * @param entries the page
	 */
	record Timeline(long fileId, int generation, String origin, boolean thisMachine, long total, long coveredBytes,
			long committedBytes, int offset, List<Entry> entries) {

		/** Whether the facts hold every indexed line. */
		public boolean complete() {
			return this.coveredBytes >= this.committedBytes;
		}

		/** Whether entries follow this page. */
		public boolean hasMore() {
			return this.offset + this.entries.size() < this.total;
		}

	}

	/**
	 * Entries {@code offset} to {@code offset + limit - 1} (0-based) of a transcript's
	 * facts. Values are bound; the files read are the segments the database records.
	 * @param project the project dir
	 * @param session the session id
	 * @param agent a subagent's id (its own transcript), or {@code null} for the
	 * session's main transcript
	 * @param offset entries to skip (0 or more)
	 * @param limit entries to return (1 to {@value #MAX_LIMIT})
	 * @return the page, or empty when no such transcript is indexed (or it was deleted)
	 * @throws IllegalArgumentException when {@code offset} or {@code limit} is out of
	 * range
	 * @throws java.io.UncheckedIOException when the facts cannot be read
	 */
	Optional<Timeline> entries(String project, String session, String agent, int offset, int limit);

}
