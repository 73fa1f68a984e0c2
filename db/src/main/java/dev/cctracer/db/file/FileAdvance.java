package dev.cctracer.db.file;

import dev.cctracer.shared.usage.LineCounters;
import dev.cctracer.shared.usage.SessionLabels;

/**
 * A guarded move of a file's committed offset, with the counters of the consumed lines.
 *
 * @param id the file
 * @param expectedOffset the offset the delta was read from (the guard)
 * @param expectedGeneration the generation the delta was read under (the guard)
 * @param reset whether the file was truncated or replaced: counters restart from this
 * delta
 * @param newOffset the new committed offset
 * @param size size at this ingest
 * @param mtime mtime at this ingest
 * @param fileKey OS file key
 * @param headFingerprint fingerprint of the head
 * @param headLength bytes the fingerprint covers
 * @param tailFingerprint hash of the bytes before {@code newOffset}
 * ({@link dev.cctracer.shared.discovery.FileIdentity#tailFingerprint}), {@code null} when
 * not taken
 * @param counters counters of the consumed lines
 * @param firstTs earliest timestamp in the delta
 * @param lastTs latest timestamp in the delta
 * @param sessionId first session id in the delta
 * @param cwd first cwd in the delta
 * @param now ingest time (ms)
 * @param labels titles and agent name the delta sets (each kept unless the delta has a
 * later one; a reset replaces them)
 */
public record FileAdvance(long id, long expectedOffset, int expectedGeneration, boolean reset, long newOffset,
		long size, long mtime, String fileKey, String headFingerprint, int headLength, String tailFingerprint,
		LineCounters counters, Long firstTs, Long lastTs, String sessionId, String cwd, long now,
		SessionLabels labels) {

	/** An advance that sets no label and keeps no tail fingerprint. */
	public FileAdvance(long id, long expectedOffset, int expectedGeneration, boolean reset, long newOffset, long size,
			long mtime, String fileKey, String headFingerprint, int headLength, LineCounters counters, Long firstTs,
			Long lastTs, String sessionId, String cwd, long now) {
		this(id, expectedOffset, expectedGeneration, reset, newOffset, size, mtime, fileKey, headFingerprint,
				headLength, null, counters, firstTs, lastTs, sessionId, cwd, now, SessionLabels.NONE);
	}

}
