package dev.cctracer.shared.usage;

import java.util.List;

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
 */
public record ChunkResult(long end, List<UsageCopy> copies, LineCounters counters, Long firstTimestamp,
		Long lastTimestamp, String sessionId, String cwd) {

}
