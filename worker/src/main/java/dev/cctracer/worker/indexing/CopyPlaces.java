package dev.cctracer.worker.indexing;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

/**
 * Where the copies of each message are stored, during a bulk first index: 64-bit message
 * hash → the ids of the files holding a copy. While {@code ix_usage_copy_msg_hash} is
 * dropped, this map stands in for it: a commit looks up the stored copies of a message
 * through the files listed here (the file index), not by a scan of the table.
 *
 * <p>
 * Complete by construction: it starts on an empty {@code usage_copy} at one data version
 * and records every copy its own commits insert, moving its version with theirs (the rule
 * of {@link KnownHashes}). When the data version read under the ingest lock differs
 * (another writer committed), or more than {@link #MAX_SIZE} messages have been recorded,
 * it is no longer trusted and the caller falls back to the look-up by hash. Removed
 * copies leave their file behind: that only costs a look-up. Commits apply under the
 * ingest lock, but {@link #committed} is called after each transaction, outside it, by
 * whichever run committed: every method holds the monitor, and calls out of order make
 * the map untrusted.
 */
final class CopyPlaces {

	/** At most this many distinct messages (two arrays of 2M longs: 32 MB). */
	static final int MAX_SIZE = 1_000_000;

	/** A slot's file when the message is in more than one file (see {@link #more}). */
	private static final long SEVERAL = -1;

	private long[] hashes = new long[1024];

	private long[] files = new long[1024];

	/** The files of messages stored in more than one file. */
	private final Map<Long, Set<Long>> more = new HashMap<>();

	/** The files of the message whose hash is 0 (0 marks an empty slot). */
	private final Set<Long> zeroFiles = new TreeSet<>();

	private int size;

	private final int maxSize;

	/** The data version the map is complete for; -1 once it cannot be trusted. */
	private long version;

	/**
	 * @param version the data version at which {@code usage_copy} was seen empty
	 */
	CopyPlaces(long version) {
		this(version, MAX_SIZE);
	}

	/** For tests: a smaller bound. */
	CopyPlaces(long version, int maxSize) {
		this.version = version;
		this.maxSize = maxSize;
	}

	/** Whether the map holds every stored copy as of this data version. */
	synchronized boolean trusted(long dataVersion) {
		return this.version >= 0 && this.version == dataVersion;
	}

	/**
	 * The files holding copies of a message with this hash (none: no stored copy, if
	 * {@link #trusted}).
	 */
	synchronized Set<Long> filesOf(long hash) {
		if (hash == 0) {
			return Set.copyOf(this.zeroFiles);
		}
		int i = find(hash);
		if (this.hashes[i] != hash) {
			return Set.of();
		}
		long f = this.files[i];
		return (f == SEVERAL) ? Set.copyOf(this.more.get(hash)) : Set.of(f);
	}

	/**
	 * After a commit that moved the data version from {@code from} to {@code to} and
	 * inserted copies of these hashes into these files (parallel arrays).
	 */
	synchronized void committed(long[] inserted, long[] inFiles, long from, long to) {
		if (this.version < 0) {
			return;
		}
		if (this.version != from) {
			this.version = -1;
			return;
		}
		for (int k = 0; k < inserted.length; k++) {
			if (!add(inserted[k], inFiles[k])) {
				this.version = -1;
				return;
			}
		}
		this.version = to;
	}

	/** The data version the map is complete for, or -1 when it is not trusted. */
	synchronized long version() {
		return this.version;
	}

	/** Feeds every recorded message hash to the consumer (at most {@code limit}). */
	synchronized void forEachHash(LongConsumer consumer, long limit) {
		long fed = 0;
		if (!this.zeroFiles.isEmpty() && fed++ < limit) {
			consumer.accept(0);
		}
		for (long h : this.hashes) {
			if (h != 0 && fed++ < limit) {
				consumer.accept(h);
			}
		}
	}

	/** Distinct messages recorded. */
	synchronized int size() {
		return this.size + (this.zeroFiles.isEmpty() ? 0 : 1);
	}

	private boolean add(long hash, long file) {
		if (hash == 0) {
			this.zeroFiles.add(file);
			return true;
		}
		int i = find(hash);
		if (this.hashes[i] == hash) {
			long f = this.files[i];
			if (f == file) {
				return true;
			}
			if (f == SEVERAL) {
				this.more.get(hash).add(file);
			}
			else {
				Set<Long> both = new TreeSet<>();
				both.add(f);
				both.add(file);
				this.more.put(hash, both);
				this.files[i] = SEVERAL;
			}
			return true;
		}
		if (this.size >= this.maxSize) {
			return false;
		}
		this.hashes[i] = hash;
		this.files[i] = file;
		this.size++;
		if (this.size * 2 > this.hashes.length) {
			grow();
		}
		return true;
	}

	/** The slot of this hash, or the empty slot where it would go. */
	private int find(long hash) {
		long[] h = this.hashes;
		int mask = h.length - 1;
		for (int i = mix(hash) & mask;; i = (i + 1) & mask) {
			if (h[i] == hash || h[i] == 0) {
				return i;
			}
		}
	}

	private void grow() {
		long[] oldHashes = this.hashes;
		long[] oldFiles = this.files;
		this.hashes = new long[oldHashes.length * 2];
		this.files = new long[oldHashes.length * 2];
		for (int k = 0; k < oldHashes.length; k++) {
			if (oldHashes[k] != 0) {
				int i = find(oldHashes[k]);
				this.hashes[i] = oldHashes[k];
				this.files[i] = oldFiles[k];
			}
		}
	}

	private static int mix(long hash) {
		long h = hash * 0x9E3779B97F4A7C15L;
		return (int) (h ^ (h >>> 32));
	}

}
