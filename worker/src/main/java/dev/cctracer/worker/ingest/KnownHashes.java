package dev.cctracer.worker.ingest;

/**
 * The 64-bit message-id hashes of {@code usage_copy}, kept in memory so that a commit
 * asks the database only for ids it may already hold: on a first index every id is new,
 * and those look-ups were about an eighth of the commit work.
 *
 * <p>
 * The set is a superset of the table's hashes <em>as of one data version</em>. Every
 * insert into {@code usage_copy} happens in an ingest commit that holds the ingest lock
 * and bumps the data version, so when the version read under the lock equals the set's
 * version, no other thread or process has written since and "not in the set" means "not
 * in the table". Otherwise the set is not used (or is reloaded, under the lock, for a
 * large batch). Removed copies may leave their hash behind: that only costs a look-up.
 * Thread-safe; bounded by {@link #MAX_SIZE} (beyond it the set gives up and commits look
 * everything up, as without it).
 */
final class KnownHashes {

	static final int MAX_SIZE = 8_000_000;

	private long[] slots = new long[1024];

	private boolean hasZero;

	private int size;

	/** The data version the set is complete for; -1: not known. */
	private long version = -1;

	synchronized boolean completeAt(long dataVersion) {
		return this.version >= 0 && this.version == dataVersion;
	}

	synchronized boolean mightContain(long hash) {
		if (hash == 0) {
			return this.hasZero;
		}
		long[] s = this.slots;
		int mask = s.length - 1;
		for (int i = mix(hash) & mask;; i = (i + 1) & mask) {
			if (s[i] == hash) {
				return true;
			}
			if (s[i] == 0) {
				return false;
			}
		}
	}

	/**
	 * Replaces the content with every hash of the table, read under the ingest lock at
	 * {@code dataVersion}.
	 * @return whether the set holds them all (false: too many; the set is then unused)
	 */
	synchronized boolean load(long[] hashes, int count, long dataVersion) {
		clear();
		if (count > MAX_SIZE) {
			return false;
		}
		for (int i = 0; i < count; i++) {
			add(hashes[i]);
		}
		this.version = dataVersion;
		return true;
	}

	/**
	 * After a commit that moved the data version from {@code from} to {@code to} and
	 * inserted these hashes: the set stays complete only if it was complete at
	 * {@code from}.
	 */
	synchronized void committed(long[] hashes, int count, long from, long to) {
		if (this.version < 0) {
			return;
		}
		if (this.size + count > MAX_SIZE) {
			clear();
			return;
		}
		for (int i = 0; i < count; i++) {
			add(hashes[i]);
		}
		if (this.version == from) {
			this.version = to;
		}
	}

	synchronized int size() {
		return this.size + (this.hasZero ? 1 : 0);
	}

	private void clear() {
		this.slots = new long[1024];
		this.hasZero = false;
		this.size = 0;
		this.version = -1;
	}

	private void add(long hash) {
		if (hash == 0) {
			this.hasZero = true;
			return;
		}
		if ((this.size + 1) * 2 > this.slots.length) {
			long[] old = this.slots;
			this.slots = new long[old.length * 2];
			this.size = 0;
			for (long h : old) {
				if (h != 0) {
					insert(h);
				}
			}
		}
		insert(hash);
	}

	private void insert(long hash) {
		long[] s = this.slots;
		int mask = s.length - 1;
		for (int i = mix(hash) & mask;; i = (i + 1) & mask) {
			if (s[i] == hash) {
				return;
			}
			if (s[i] == 0) {
				s[i] = hash;
				this.size++;
				return;
			}
		}
	}

	private static int mix(long hash) {
		long h = hash * 0x9E3779B97F4A7C15L;
		return (int) (h ^ (h >>> 32));
	}

}
