package dev.cctracer.worker.indexing;

import dev.cctracer.worker.IngestReport;

/**
 * The running tally of one {@link IngestService#ingest} call, summed over its batch
 * commits and turned into its {@link IngestReport} at the end. A commit counts into a
 * local tally first and adds it here only once its transaction is about to commit, so a
 * rolled-back batch counts nothing. Not thread-safe: owned by the calling thread.
 */
final class IngestStats {

	final int files;

	int read;

	int unchanged;

	long bytes;

	long lines;

	int resets;

	int deleted;

	int guardMisses;

	int failed;

	long parseNanos;

	long commitNanos;

	long invalid;

	long overlong;

	/** Files read, bytes, lines, invalid lines, over-long lines (for the metrics). */
	long[] counts() {
		return new long[] { this.read, this.bytes, this.lines, this.invalid, this.overlong };
	}

	IngestStats(int files) {
		this.files = files;
	}

	void add(IngestStats o) {
		this.read += o.read;
		this.unchanged += o.unchanged;
		this.bytes += o.bytes;
		this.lines += o.lines;
		this.resets += o.resets;
		this.deleted += o.deleted;
		this.guardMisses += o.guardMisses;
		this.failed += o.failed;
		this.invalid += o.invalid;
		this.overlong += o.overlong;
	}

	IngestReport report(long millis) {
		return new IngestReport(this.files, this.read, this.unchanged, this.bytes, this.lines, this.resets,
				this.deleted, this.guardMisses, this.failed, millis, this.parseNanos / 1_000_000,
				this.commitNanos / 1_000_000);
	}

}
