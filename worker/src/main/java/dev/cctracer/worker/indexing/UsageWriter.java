package dev.cctracer.worker.indexing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import dev.cctracer.db.facts.FileFactsRepository;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.db.usage.RollupKey;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.db.usage.UsageSums;
import dev.cctracer.shared.usage.Dedup;
import dev.cctracer.shared.usage.UsageCopy;

/**
 * The usage writes of one batch commit, inside its transaction: clears what a truncated
 * or replaced file had stored, stores the files' API errors and unknown entry types,
 * stores the new usage copies, recomputes the global dedup winners of every message id
 * involved (one copy per message is counted, across files and sessions), and applies the
 * resulting differences in tokens and cost to the rollups and the file totals. A copy
 * carries the tool uses of its response's lines in its file (a response read over two
 * commits adds to its stored copy), and they count in the file totals where the copy is
 * counted.
 * <p>
 * Keeps the {@link KnownHashes} that spare look-ups of new message ids; the caller tells
 * it how each transaction ended ({@link #committed}, {@link #rolledBack}).
 */
final class UsageWriter {

	private final SourceFileRepository files;

	private final UsageCopyRepository copies;

	private final UsageRollupRepository rollups;

	/** API errors and unknown entry types by name. */
	private final FileFactsRepository facts;

	private final UsageCopyMapper mapper;

	private final KnownHashes known = new KnownHashes();

	/** Batches with at least this many message ids load the known hashes. */
	private volatile int knownHashesThreshold = 500;

	/**
	 * During a bulk first index (the message-hash index dropped): where each message's
	 * copies are; null otherwise.
	 */
	private volatile CopyPlaces places;

	/** Look-ups of stored copies served through the places (for tests). */
	private final AtomicLong placeLookups = new AtomicLong();

	UsageWriter(SourceFileRepository files, UsageCopyRepository copies, UsageRollupRepository rollups,
			FileFactsRepository facts, UsageCopyMapper mapper) {
		this.files = files;
		this.copies = copies;
		this.rollups = rollups;
		this.facts = facts;
		this.mapper = mapper;
	}

	/** For tests: 0 makes every commit use (and load) the known hashes. */
	void knownHashesThreshold(int threshold) {
		this.knownHashesThreshold = threshold;
	}

	/**
	 * Starts a bulk first index: {@code usage_copy} is empty at this data version and its
	 * message-hash index is dropped; until {@link #endBulk}, stored copies are looked up
	 * through the files {@link CopyPlaces} records for them.
	 */
	CopyPlaces beginBulk(long dataVersion) {
		CopyPlaces p = new CopyPlaces(dataVersion);
		this.places = p;
		return p;
	}

	/**
	 * Ends the bulk first index that {@link #beginBulk} returned these places for (the
	 * message-hash index exists again); another bulk's places stay. The places hold every
	 * stored hash: they seed the known hashes, so the next large commit does not read
	 * them back from the table (0.5 s on the large benchmark set, in the first append
	 * after its first index).
	 */
	synchronized void endBulk(CopyPlaces mine) {
		if (this.places != mine) {
			return;
		}
		if (mine.version() >= 0) {
			this.known.seed(mine::forEachHash, mine.version());
		}
		this.places = null;
	}

	/**
	 * Whether a bulk first index can go on without the message-hash index: false when
	 * another writer committed or the map of places is full.
	 */
	boolean bulkTrusted(long dataVersion) {
		CopyPlaces p = this.places;
		return p != null && p.trusted(dataVersion);
	}

	/** Look-ups of stored copies served through the places of a bulk first index. */
	long placeLookups() {
		return this.placeLookups.get();
	}

	/** Whether these places are the current bulk's. */
	boolean isBulk(CopyPlaces places) {
		return this.places == places;
	}

	/** Whether a bulk first index is on. */
	boolean inBulk() {
		return this.places != null;
	}

	/**
	 * Stores the batch's usage copies and moves the counted flags and totals.
	 * @param applied the reads whose offset guard held (outcome {@code READ})
	 * @param reordered files deleted or revived in this transaction: a tie of the dedup
	 * rule goes to a file on disk before a deleted one, so the winners of every message
	 * they hold are recomputed
	 * @param dataVersion the data version read under the ingest lock
	 * @return the message hashes of the inserted copies and their files
	 */
	Inserted apply(List<FileRead> applied, Collection<Long> reordered, long dataVersion) {
		// the files whose stored copies leave (a reset) or change their place in the
		// dedup order (deleted, revived): the winners of their messages are recomputed
		List<Long> recounted = new ArrayList<>(reordered);
		applied.stream().filter(FileRead::reset).forEach((r) -> recounted.add(r.state().id()));
		Set<String> affected = recounted.isEmpty() ? new HashSet<>() : this.copies.messageIdsOfFiles(recounted);
		for (FileRead r : applied) {
			if (r.reset()) {
				this.copies.deleteByFile(r.state().id());
				this.rollups.deleteByFile(r.state().id());
				this.facts.deleteByFile(r.state().id());
			}
		}
		for (FileRead r : applied) {
			this.facts.insertApiErrors(r.state().id(), r.chunk().apiErrors());
			this.facts.insertToolErrors(r.state().id(), r.chunk().toolErrors());
			this.facts.addUnknownTypes(r.state().id(), r.chunk().unknownTypes());
		}
		List<CopyRow> incoming = new ArrayList<>();
		for (FileRead r : applied) {
			for (UsageCopy u : r.chunk().copies()) {
				CopyRow row = this.mapper.toRow(r.state(), u);
				incoming.add(row);
				if (row.messageId() != null) {
					affected.add(row.messageId());
				}
			}
		}
		if (incoming.isEmpty() && affected.isEmpty()) {
			return Inserted.NONE;
		}
		List<CopyRow> existing = affected.isEmpty() ? List.of() : findExisting(affected, dataVersion);
		Map<Slot, CopyRow> slots = new HashMap<>();
		for (CopyRow e : existing) {
			slots.put(Slot.of(e), e);
		}
		Set<CopyRow> toDelete = Collections.newSetFromMap(new IdentityHashMap<>());
		List<CopyRow> toInsert = new ArrayList<>();
		// stored copies whose response got more tool uses from this batch's lines: by how
		// many (their stored rows still count the tool uses they had)
		Map<CopyRow, Long> grown = new IdentityHashMap<>();
		for (CopyRow in : incoming) {
			if (in.messageId() == null) {
				toInsert.add(in);
				continue;
			}
			Slot slot = Slot.of(in);
			CopyRow old = slots.get(slot);
			if (old == null) {
				slots.put(slot, in);
				toInsert.add(in);
			}
			else if (Dedup.BEST_FIRST.compare(in, old) < 0) {
				// the better line stands for the response from now on, with the tool uses
				// of every line of it in this file
				in.addToolCalls(old.toolCalls());
				slots.put(slot, in);
				toInsert.add(in);
				if (old.id() != null) {
					toDelete.add(old);
				}
				else {
					toInsert.remove(old);
				}
			}
			else if (in.toolUses() != 0) {
				// each call id once: a line written again into its transcript adds none
				long added = old.addToolCalls(in.toolCalls());
				if (old.id() != null && added != 0) {
					grown.merge(old, added, Long::sum);
				}
			}
		}
		Set<CopyRow> winners = Collections.newSetFromMap(new IdentityHashMap<>());
		winners.addAll(Dedup.winners(slots.values()));
		Deltas deltas = new Deltas();
		List<CopyRow> flagChanges = new ArrayList<>();
		List<CopyRow> toolUseChanges = new ArrayList<>();
		for (CopyRow e : existing) {
			if (toDelete.contains(e)) {
				continue;
			}
			boolean counted = winners.contains(e);
			long growth = grown.getOrDefault(e, 0L);
			if (e.counted() != counted) {
				if (e.counted()) {
					deltas.remove(e, growth);
				}
				else {
					deltas.add(e, 1);
				}
				e.counted(counted);
				flagChanges.add(e);
			}
			else if (counted && growth != 0) {
				deltas.byFile.computeIfAbsent(e.fileId(), (k) -> new UsageSums()).addToolUses(growth);
			}
			if (growth != 0) {
				toolUseChanges.add(e);
			}
		}
		for (CopyRow d : toDelete) {
			if (d.counted()) {
				deltas.remove(d, grown.getOrDefault(d, 0L));
			}
		}
		for (CopyRow in : toInsert) {
			boolean counted = in.messageId() == null || winners.contains(in);
			in.counted(counted);
			if (counted) {
				deltas.add(in, 1);
			}
		}
		this.copies.delete(new ArrayList<>(toDelete));
		this.copies.setCounted(flagChanges);
		this.copies.updateToolUses(toolUseChanges);
		this.copies.insert(toInsert);
		this.rollups.add(deltas.byRollup);
		this.files.addTotals(deltas.byFile);
		List<CopyRow> withIds = toInsert.stream().filter((c) -> c.messageId() != null).toList();
		return new Inserted(withIds.stream().mapToLong((c) -> UsageCopyRepository.hash(c.messageId())).toArray(),
				withIds.stream().mapToLong(CopyRow::fileId).toArray());
	}

	/**
	 * The stored copies of these message ids: during a trusted bulk first index through
	 * the files that hold them, otherwise by message hash (only the ids the known hashes
	 * cannot rule out).
	 */
	private List<CopyRow> findExisting(Set<String> affected, long dataVersion) {
		CopyPlaces p = this.places;
		if (p != null && p.trusted(dataVersion)) {
			this.placeLookups.incrementAndGet();
			Set<Long> inFiles = new HashSet<>();
			for (String id : affected) {
				inFiles.addAll(p.filesOf(UsageCopyRepository.hash(id)));
			}
			return inFiles.isEmpty() ? List.of() : this.copies.findByMessageIdsInFiles(affected, inFiles);
		}
		return this.copies.findByMessageIds(mayExist(affected, dataVersion));
	}

	/**
	 * The transaction that ran {@link #apply} committed: the known hashes follow (they
	 * stay complete only if they were at the version this commit started from).
	 * @param inserted what {@link #apply} returned
	 * @param fromVersion the data version the commit started from
	 * @param toVersion the data version it left: one more, or the same when it changed no
	 * data (unchanged files and failed reads only)
	 */
	void committed(Inserted inserted, long fromVersion, long toVersion) {
		this.known.committed(inserted.hashes(), fromVersion, toVersion);
		CopyPlaces p = this.places;
		if (p != null) {
			p.committed(inserted.hashes(), inserted.files(), fromVersion, toVersion);
		}
	}

	/**
	 * The transaction rolled back, or its outcome is unknown: the known hashes may have
	 * been loaded inside it (seeing its own deletes) and are not trusted any more.
	 */
	void rolledBack() {
		this.known.invalidate();
	}

	/**
	 * The ids among {@code affected} that may have stored copies: all of them, unless the
	 * known hashes are complete at this data version (read under the ingest lock) — then
	 * only those whose hash is known. A large batch (re)loads the known hashes first.
	 */
	private Set<String> mayExist(Set<String> affected, long dataVersion) {
		return this.known.mayExist(affected, dataVersion, affected.size() >= this.knownHashesThreshold,
				(consumer, limit) -> this.copies.forEachHash(limit, consumer), UsageCopyRepository::hash);
	}

	/**
	 * The copies a commit inserted that have a message id: their message hashes and file
	 * ids (parallel arrays).
	 */
	record Inserted(long[] hashes, long[] files) {

		static final Inserted NONE = new Inserted(new long[0], new long[0]);

	}

	/** A copy's place: one per (message, request, file, sidechain). */
	private record Slot(String msg, String req, long file, boolean sidechain) {

		static Slot of(CopyRow c) {
			return new Slot(c.messageId(), c.requestId(), c.fileId(), c.sidechain());
		}

	}

	/** Signed sums of tokens and cost to add, by rollup key and by file id. */
	private static final class Deltas {

		final Map<RollupKey, UsageSums> byRollup = new HashMap<>();

		final Map<Long, UsageSums> byFile = new HashMap<>();

		void add(CopyRow c, int sign) {
			this.byRollup.computeIfAbsent(RollupKey.of(c), (k) -> new UsageSums()).add(c, sign);
			this.byFile.computeIfAbsent(c.fileId(), (k) -> new UsageSums()).add(c, sign);
		}

		/**
		 * Removes a stored counted copy whose tool uses grew by {@code growth} in this
		 * batch: its totals as they were counted (before the growth).
		 */
		void remove(CopyRow c, long growth) {
			add(c, -1);
			this.byFile.get(c.fileId()).addToolUses(growth);
		}

	}

}
