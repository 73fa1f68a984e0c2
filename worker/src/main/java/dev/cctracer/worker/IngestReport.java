package dev.cctracer.worker;

/**
 * Outcome of one ingest call.
 *
 * @param files files asked for (after a scan: every file it found, {@link #withUnopened})
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

	/**
	 * This report of an ingest of the files a scan found changed, with the files the scan
	 * found unchanged (never asked for, never opened) counted among {@code files} and
	 * {@code unchanged}: what a scan and its ingest did together.
	 * @param notOpened files the scan found unchanged
	 */
	public IngestReport withUnopened(int notOpened) {
		return new IngestReport(this.files + notOpened, this.read, this.unchanged + notOpened, this.bytes, this.lines,
				this.resets, this.deleted, this.guardMisses, this.failed, this.millis, this.parseMillis,
				this.commitMillis);
	}

}
