package dev.cctracer.worker;

/**
 * Outcome of one ingest call.
 *
 * @param files files asked for
 * @param read files that had new lines and were committed
 * @param unchanged files skipped without being opened
 * @param bytes bytes consumed
 * @param lines lines consumed
 * @param resets files found truncated or replaced and re-read from 0
 * @param deleted files found gone (history kept)
 * @param guardMisses deltas discarded because another ingest moved the offset first
 * @param failed files that could not be read (retried next time)
 * @param millis wall time
 * @param parseMillis time spent reading and parsing, summed over the parse threads
 * @param commitMillis time spent in commit transactions (database work)
 */
public record IngestReport(int files, int read, int unchanged, long bytes, long lines, int resets, int deleted,
		int guardMisses, int failed, long millis, long parseMillis, long commitMillis) {

}
