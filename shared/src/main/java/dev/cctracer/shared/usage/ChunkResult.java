package dev.cctracer.shared.usage;

import java.util.List;
import java.util.Map;

/**
 * What one byte range of one file contributes.
 *
 * @param end offset after the last consumed line
 * @param copies usage copies, collapsed per (message.id, requestId, sidechain) within the
 * range
 * @param counters line counters
 * @param firstTimestamp earliest timestamp of any line (epoch ms) or {@code null}
 * @param lastTimestamp latest timestamp of any line (epoch ms) or {@code null}
 * @param sessionId the first {@code sessionId} seen, or {@code null}
 * @param cwd the first {@code cwd} seen, or {@code null}
 * @param apiErrors the API errors logged in the range, in line order
 * @param labels titles and agent name the range sets (each the last of its kind)
 * @param unknownTypes lines of entry types this version does not know, by their
 * {@code type} ({@code ""} when missing)
 * @param toolErrors the failed tool results that name their call, in line order (each
 * also counted in {@code counters}' {@code toolErrors})
 */
public record ChunkResult(long end, List<UsageCopy> copies, LineCounters counters, Long firstTimestamp,
		Long lastTimestamp, String sessionId, String cwd, List<ApiError> apiErrors, SessionLabels labels,
		Map<String, Long> unknownTypes, List<ToolError> toolErrors) {

	/** This result with other labels. */
	public ChunkResult withLabels(SessionLabels other) {
		return new ChunkResult(this.end, this.copies, this.counters, this.firstTimestamp, this.lastTimestamp,
				this.sessionId, this.cwd, this.apiErrors, other, this.unknownTypes, this.toolErrors);
	}

}
