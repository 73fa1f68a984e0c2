package dev.cctracer.worker.indexing;

import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.file.FileAdvance;
import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.usage.ChunkResult;
import dev.cctracer.worker.DataChanged;

/**
 * The commit phase of an ingest: one transaction per batch of file reads, under the
 * ingest lock. It marks vanished files deleted, moves each read file's offset guarded by
 * the offset and generation it was read from (a duplicated or concurrent job changes
 * nothing: a guard miss), has the {@link UsageWriter} store the usage of the files whose
 * guard held, and bumps the data version; offset and totals therefore commit together or
 * not at all. After the commit it feeds the metrics and the planner statistics and
 * publishes {@link DataChanged} when files changed.
 */
final class BatchCommitter {

	private static final String[] COUNTERS = { "cctracer.ingest.files", "cctracer.ingest.bytes",
			"cctracer.ingest.lines", "cctracer.ingest.invalid.lines", "cctracer.ingest.overlong.lines" };

	private final SourceFileRepository files;

	private final MetaRepository meta;

	private final TransactionTemplate tx;

	private final UsageWriter usage;

	/** PostgreSQL's planner statistics, refreshed as the tables grow (a no-op on H2). */
	private final PlannerStatistics statistics;

	private final ApplicationEventPublisher events;

	private final MeterRegistry meters;

	private final String lockHolder;

	private volatile Runnable beforeCommit = () -> {
	};

	BatchCommitter(SourceFileRepository files, MetaRepository meta, TransactionTemplate tx, UsageWriter usage,
			PlannerStatistics statistics, ApplicationEventPublisher events, MeterRegistry meters, String lockHolder) {
		this.files = files;
		this.meta = meta;
		this.tx = tx;
		this.usage = usage;
		this.statistics = statistics;
		this.events = events;
		this.meters = meters;
		this.lockHolder = lockHolder;
	}

	/**
	 * Test seam: runs inside the commit transaction, after all writes, before the commit.
	 */
	void beforeCommit(Runnable hook) {
		this.beforeCommit = hook;
	}

	/**
	 * Commits one batch and adds what it did to {@code stats} (only if it committed).
	 * @throws RuntimeException whatever the transaction threw (it rolled back, nothing
	 * counted)
	 */
	void commit(List<FileRead> batch, IngestStats stats) {
		commit(batch, stats, false);
	}

	/**
	 * {@link #commit(List, IngestStats)}, moving the data version even when the batch
	 * changed no data ({@code news}: a file newly refused, which the pages' not-read
	 * banner counts, and they refresh when the version moves).
	 */
	void commit(List<FileRead> batch, IngestStats stats, boolean news) {
		long started = System.nanoTime();
		int before = stats.read + stats.deleted;
		long[] counts = stats.counts();
		long linesBefore = stats.lines;
		try {
			commitInTransaction(batch, stats, news);
		}
		finally {
			stats.commitNanos += System.nanoTime() - started;
		}
		this.statistics.committed(stats.lines - linesBefore);
		int changed = stats.read + stats.deleted - before;
		long[] after = stats.counts();
		for (int i = 0; i < COUNTERS.length; i++) {
			if (after[i] > counts[i]) {
				this.meters.counter(COUNTERS[i]).increment(after[i] - counts[i]);
			}
		}
		if (changed > 0) {
			this.events.publishEvent(new DataChanged(changed));
		}
	}

	private void commitInTransaction(List<FileRead> batch, IngestStats stats, boolean news) {
		Committed done;
		try {
			done = commitLocked(batch, stats, news);
		}
		catch (RuntimeException | Error ex) {
			this.usage.rolledBack();
			throw ex;
		}
		this.usage.committed(done.inserted(), done.fromVersion(), done.toVersion());
	}

	/**
	 * Makes a deleted file row live again (a transcript put back at its path) and
	 * recomputes the dedup winners of its messages in the same transaction, under the
	 * ingest lock: while it was deleted its copies lost every tie to copies on disk, and
	 * now path order breaks those ties again.
	 * @return whether the row was revived (false when it is live already, or another row
	 * holds the path)
	 * @throws RuntimeException whatever the transaction threw (it rolled back)
	 */
	boolean revive(long id, String origin, String root, String relPath, long size, long mtime) {
		Committed done;
		try {
			done = this.tx.execute((status) -> {
				this.meta.lockIngest(this.lockHolder);
				long version = this.meta.dataVersion();
				if (!this.files.revive(id, origin, root, relPath, size, mtime)) {
					// on PostgreSQL a failed update (another row took the path) aborted
					// the
					// transaction: roll back rather than fail its commit
					status.setRollbackOnly();
					return null;
				}
				UsageWriter.Inserted inserted = this.usage.apply(List.of(), List.of(id), version);
				this.meta.bumpDataVersion();
				return new Committed(version, version + 1, inserted);
			});
		}
		catch (RuntimeException | Error ex) {
			this.usage.rolledBack();
			throw ex;
		}
		if (done == null) {
			return false;
		}
		this.usage.committed(done.inserted(), done.fromVersion(), done.toVersion());
		this.events.publishEvent(new DataChanged(1));
		return true;
	}

	/**
	 * What a commit did: the data version it started from, the one it left (one more, or
	 * the same when it changed no data) and the copies it inserted.
	 */
	private record Committed(long fromVersion, long toVersion, UsageWriter.Inserted inserted) {

	}

	/** The transaction of a commit, under the ingest lock. */
	private Committed commitLocked(List<FileRead> batch, IngestStats stats, boolean news) {
		return this.tx.execute((status) -> {
			this.meta.lockIngest(this.lockHolder);
			long version = this.meta.dataVersion();
			long now = System.currentTimeMillis();
			List<FileRead> applied = new ArrayList<>();
			IngestStats local = new IngestStats(0);
			List<FileRead> reads = new ArrayList<>();
			List<FileAdvance> advances = new ArrayList<>();
			List<Long> deleted = new ArrayList<>();
			for (FileRead r : batch) {
				FileState s = r.state();
				switch (r.outcome()) {
					case UNCHANGED -> local.unchanged++;
					case FAILED -> local.failed++;
					case GONE -> {
						if (!s.deleted() && this.files.markDeleted(s.id(), s.generation(), now)) {
							local.deleted++;
							deleted.add(s.id());
						}
					}
					case READ -> {
						ChunkResult c = r.chunk();
						reads.add(r);
						advances.add(new FileAdvance(s.id(), s.committedOffset(), s.generation(), r.reset(), r.end(),
								r.size(), r.mtime(), r.fileKey(), r.head(), r.headLength(), r.tail(), c.counters(),
								c.firstTimestamp(), c.lastTimestamp(), c.sessionId(), c.cwd(), now, c.labels()));
					}
				}
			}
			// one batch for every file's offset guard and counters
			boolean[] held = this.files.advanceAll(advances);
			for (int i = 0; i < reads.size(); i++) {
				FileRead r = reads.get(i);
				ChunkResult c = r.chunk();
				if (held[i]) {
					applied.add(r);
					local.read++;
					local.bytes += r.bytes();
					local.lines += c.counters().lines();
					local.invalid += c.counters().invalidLines();
					local.overlong += c.counters().overlongLines();
					local.resets += r.reset() ? 1 : 0;
				}
				else {
					local.guardMisses++;
				}
			}
			UsageWriter.Inserted inserted = this.usage.apply(applied, deleted, version);
			// a batch of unchanged files and failed reads changed no data: the answers
			// cached under the version stay right (a refused crafted file, tried at every
			// scan, emptied every cache each 30 s), unless it is news to show
			boolean changed = news || !advances.isEmpty() || !deleted.isEmpty();
			if (changed) {
				this.meta.bumpDataVersion();
			}
			this.beforeCommit.run();
			status.flush();
			// counted only once the transaction is about to commit; a rollback throws
			// past this
			stats.add(local);
			return new Committed(version, changed ? version + 1 : version, inserted);
		});
	}

}
