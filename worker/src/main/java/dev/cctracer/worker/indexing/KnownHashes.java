package dev.cctracer.worker.indexing;

import java.util.HashSet;
import java.util.Set;
import java.util.function.LongConsumer;
import java.util.function.ObjLongConsumer;
import java.util.function.ToLongFunction;

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
 * in the table". Otherwise the set is not used, or reloaded under the lock for a large
 * batch. Removed copies may leave their hash behind: that only costs a look-up.
 *
 * <p>
 * Every method holds the set's monitor, so a filter never sees a set emptied half-way.
 * The caller must call {@link #invalidate} when a commit fails (a load inside a
 * rolled-back transaction saw that transaction's own deletes). Bounded: beyond
 * {@link #MAX_SIZE} hashes, or after {@link #MAX_STALE_RELOADS} reloads made stale by
 * other writers (a team database), the set switches itself off for good and every id is
 * looked up, as without it.
 */
final class KnownHashes {

	/** At most this many hashes (a 32 MB table). */
	static final int MAX_SIZE = 2_000_000;

	/** Reloads that another writer made stale before this process used them twice. */
	static final int MAX_STALE_RELOADS = 3;

	private long[] slots = new long[1024];

	private boolean hasZero;

	private int size;

	/** The data version the set is complete for; -1: not known. */
	private long version = -1;

	private boolean off;

	private int staleReloads;

	private boolean reloadedAndUnused;

	/**
	 * The ids among {@code ids} whose copies may be stored, as of {@code dataVersion}
	 * (read under the ingest lock): all of them when the set cannot tell.
	 * @param ids message ids
	 * @param dataVersion the data version read under the ingest lock
	 * @param reload whether a stale set may be reloaded (a large batch)
	 * @param loader feeds every stored hash (at most {@code limit}) to the consumer,
	 * under the ingest lock
	 * @param hash the hash of a message id
	 */
	synchronized Set<String> mayExist(Set<String> ids, long dataVersion, boolean reload,
			ObjLongConsumer<LongConsumer> loader, ToLongFunction<String> hash) {
		if (this.off) {
			return ids;
		}
		if (this.version < 0 || this.version != dataVersion) {
			if (!reload) {
				return ids;
			}
			if (this.reloadedAndUnused && ++this.staleReloads >= MAX_STALE_RELOADS) {
				switchOff();
				return ids;
			}
			if (!load(loader, dataVersion)) {
				return ids;
			}
			this.reloadedAndUnused = true;
		}
		else {
			this.reloadedAndUnused = false;
		}
		Set<String> maybe = new HashSet<>();
		for (String id : ids) {
			if (contains(hash.applyAsLong(id))) {
				maybe.add(id);
			}
		}
		return maybe;
	}

	/**
	 * After a commit that moved the data version from {@code from} to {@code to} and
	 * inserted these hashes: the set stays complete only if it was complete at
	 * {@code from}.
	 */
	synchronized void committed(long[] hashes, long from, long to) {
		if (this.off || this.version < 0) {
			return;
		}
		if (this.size + hashes.length > MAX_SIZE) {
			switchOff();
			return;
		}
		for (long h : hashes) {
			add(h);
		}
		if (this.version == from) {
			this.version = to;
		}
	}

	/**
	 * Loads the set from a source complete at this data version (the places of a bulk
	 * first index, which looked nothing up here), sparing a reload from the table.
	 * @param loader feeds every stored hash (at most {@code limit}) to the consumer
	 * @param dataVersion the data version the source is complete for
	 */
	synchronized void seed(ObjLongConsumer<LongConsumer> loader, long dataVersion) {
		if (this.off) {
			return;
		}
		if (load(loader, dataVersion)) {
			this.reloadedAndUnused = false;
		}
	}

	/** A commit failed or its outcome is unknown: nothing the set holds is trusted. */
	synchronized void invalidate() {
		this.version = -1;
	}

	private boolean load(ObjLongConsumer<LongConsumer> loader, long dataVersion) {
		clear();
		loader.accept(this::add, MAX_SIZE + 1L);
		if (this.size + (this.hasZero ? 1 : 0) > MAX_SIZE) {
			switchOff();
			return false;
		}
		this.version = dataVersion;
		return true;
	}

	private void switchOff() {
		clear();
		this.off = true;
	}

	private void clear() {
		this.slots = new long[1024];
		this.hasZero = false;
		this.size = 0;
		this.version = -1;
	}

	private boolean contains(long hash) {
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
