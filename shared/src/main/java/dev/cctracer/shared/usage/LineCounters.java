package dev.cctracer.shared.usage;

/**
 * Data-quality and activity counters of a range of lines.
 *
 * @param lines complete lines consumed (blank ones included)
 * @param invalidLines lines that are not a JSON object
 * @param unknownTypeLines objects whose {@code type} is missing or unknown
 * @param overlongLines lines over the cap, skipped whole
 * @param usageLines lines with a {@code message.usage} object (before dedup)
 * @param toolUses {@code tool_use} blocks of lines without usage (those of a usage line
 * go with its response's copy, {@link UsageCopy#toolUses})
 * @param toolErrors {@code tool_result} blocks with {@code is_error:true}
 * @param summaries {@code summary} entries
 * @param lastInterrupted whether the last user line of the range reported an interrupt
 * ({@code null} when the range has no user line)
 * @param apiErrors API errors Claude Code logged ({@link ApiError})
 */
public record LineCounters(long lines, long invalidLines, long unknownTypeLines, long overlongLines, long usageLines,
		long toolUses, long toolErrors, long summaries, Boolean lastInterrupted, long apiErrors) {

	public static final LineCounters ZERO = new LineCounters(0, 0, 0, 0, 0, 0, 0, 0, null, 0);

	/** Counters without API errors. */
	public LineCounters(long lines, long invalidLines, long unknownTypeLines, long overlongLines, long usageLines,
			long toolUses, long toolErrors, long summaries, Boolean lastInterrupted) {
		this(lines, invalidLines, unknownTypeLines, overlongLines, usageLines, toolUses, toolErrors, summaries,
				lastInterrupted, 0);
	}

	public LineCounters plus(LineCounters o) {
		return new LineCounters(this.lines + o.lines, this.invalidLines + o.invalidLines,
				this.unknownTypeLines + o.unknownTypeLines, this.overlongLines + o.overlongLines,
				this.usageLines + o.usageLines, this.toolUses + o.toolUses, this.toolErrors + o.toolErrors,
				this.summaries + o.summaries, (o.lastInterrupted != null) ? o.lastInterrupted : this.lastInterrupted,
				this.apiErrors + o.apiErrors);
	}

}
