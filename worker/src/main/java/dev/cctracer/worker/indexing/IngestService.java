package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import dev.cctracer.db.file.FileAdvance;
import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.db.usage.CopyRow;
import dev.cctracer.db.facts.FileFactsRepository;
import dev.cctracer.db.usage.RollupKey;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.db.usage.UsageSums;
import dev.cctracer.shared.discovery.FileIdentity;
import dev.cctracer.shared.discovery.FileKind;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.log.LineHandler;
import dev.cctracer.shared.log.LogEntry;
import dev.cctracer.shared.pricing.Cost;
import dev.cctracer.shared.discovery.AgentMeta;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.shared.usage.ChunkParser;
import dev.cctracer.shared.usage.ChunkResult;
import dev.cctracer.shared.usage.Dedup;
import dev.cctracer.shared.usage.UsageCopy;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.DataChanged;
import dev.cctracer.worker.IngestReport;

/**
 * Incremental, exact ingest of transcript files.
 * <p>
 * Read phase (parallel, no database writes): stat; skip an unchanged file without opening
 * it; check identity (file key, head fingerprint, {@code size >= offset}) and re-read
 * from 0 when the file was truncated or replaced; parse the complete lines after the
 * committed offset.
 * <p>
 * Commit phase (one transaction per batch of files, under the ingest lock): move each
 * file's offset guarded by the offset and generation it was read from (a duplicated or
 * concurrent job changes nothing), store the new usage copies, recompute the global dedup
 * winners of every message id involved, and apply the differences to the rollups and file
 * totals. Offset and totals therefore commit together or not at all.
 */
@Service
public class IngestService implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(IngestService.class);

	private static final int COPIES_PER_COMMIT = 20_000;

	/** This machine's origin: only its files are ingested here. */
	private final String origin;

	private final SourceFileRepository files;

	private final UsageCopyRepository copies;

	private final UsageRollupRepository rollups;

	private final MetaRepository meta;

	private final TransactionTemplate tx;

	private final PriceTable prices;

	private final TracerProperties.Ingest settings;

	private final ChunkParser parser;

	private final ExecutorService parsePool;

	private final String lockHolder;

	private final AtomicLong filesOpened = new AtomicLong();

	private final AtomicLong parseNanos = new AtomicLong();

	private volatile Runnable beforeCommit = () -> {
	};

	private final org.springframework.context.ApplicationEventPublisher events;

	private final io.micrometer.core.instrument.MeterRegistry meters;

	private final io.micrometer.core.instrument.Timer fileTimer;

	/** Every ingest that read or removed something: parse and commit, end to end. */
	private final io.micrometer.core.instrument.Timer runTimer;

	/** PostgreSQL's planner statistics, refreshed as the tables grow (a no-op on H2). */
	private final PlannerStatistics statistics;

	/** API errors and unknown entry types by name. */
	private final FileFactsRepository facts;

	public IngestService(SourceFileRepository files, UsageCopyRepository copies, UsageRollupRepository rollups,
			FileFactsRepository facts, MetaRepository meta, TransactionTemplate tx, PriceTable prices,
			TracerProperties properties, org.springframework.context.ApplicationEventPublisher events,
			io.micrometer.core.instrument.MeterRegistry meters, PlannerStatistics statistics) {
		this.facts = facts;
		this.statistics = statistics;
		this.events = events;
		this.meters = meters;
		this.runTimer = io.micrometer.core.instrument.Timer.builder("cctracer.ingest.run")
			.description("an ingest that read or removed files: parse and commit")
			.register(meters);
		this.fileTimer = io.micrometer.core.instrument.Timer.builder("cctracer.ingest.file")
			.description("reading and parsing the new lines of one file")
			.register(meters);
		this.files = files;
		this.copies = copies;
		this.rollups = rollups;
		this.meta = meta;
		this.tx = tx;
		this.prices = prices;
		this.settings = properties.ingest();
		this.parser = new ChunkParser(new JsonlReader(1 << 20, this.settings.maxLineBytes().toBytes()));
		AtomicInteger n = new AtomicInteger();
		this.parsePool = Executors.newFixedThreadPool(Math.max(1, this.settings.parseThreads()), (r) -> {
			Thread t = new Thread(r, "cctracer-parse-" + n.incrementAndGet());
			t.setDaemon(true);
			return t;
		});
		this.origin = properties.effectiveOrigin();
		this.lockHolder = ProcessHandle.current().pid() + "@" + this.origin;
	}

	/**
	 * How many files this process has opened for reading (unchanged files are never
	 * opened).
	 */
	public long filesOpened() {
		return this.filesOpened.get();
	}

	/**
	 * Test seam: runs inside the commit transaction, after all writes, before the commit.
	 */
	void beforeCommit(Runnable hook) {
		this.beforeCommit = hook;
	}

	/** Ingests the new complete lines of these files. */
	public IngestReport ingest(Collection<Long> fileIds) {
		long started = System.nanoTime();
		long parseBefore = this.parseNanos.get();
		List<FileState> states = new ArrayList<>(this.files.findByIds(new LinkedHashSet<>(fileIds)));
		// another machine's files are on its disk, not here: never opened (nor marked
		// deleted) by this one
		states.removeIf((s) -> !this.origin.equals(s.origin()) && !s.origin().isEmpty());
		Stats stats = new Stats(states.size());
		Deque<Future<FileRead>> inflight = new ArrayDeque<>();
		Iterator<FileState> pending = states.iterator();
		// parsing runs ahead by a whole batch, so the parse threads keep working while a
		// batch commits
		int window = Math.max(2, this.settings.batchFiles() + this.settings.parseThreads() * 2);
		List<FileRead> batch = new ArrayList<>();
		int batchCopies = 0;
		while (pending.hasNext() || !inflight.isEmpty()) {
			while (pending.hasNext() && inflight.size() < window) {
				FileState next = pending.next();
				inflight.add(this.parsePool.submit(() -> readSafely(next)));
			}
			FileRead read = await(inflight.poll());
			batch.add(read);
			batchCopies += read.copies();
			if (batch.size() >= this.settings.batchFiles() || batchCopies >= COPIES_PER_COMMIT) {
				commit(batch, stats);
				batch = new ArrayList<>();
				batchCopies = 0;
			}
		}
		if (!batch.isEmpty()) {
			commit(batch, stats);
		}
		stats.parseNanos = this.parseNanos.get() - parseBefore;
		long took = System.nanoTime() - started;
		if (stats.read + stats.deleted > 0) {
			this.runTimer.record(took, java.util.concurrent.TimeUnit.NANOSECONDS);
		}
		return stats.report(took / 1_000_000);
	}

	private static FileRead await(Future<FileRead> future) {
		boolean interrupted = false;
		try {
			while (true) {
				try {
					return future.get();
				}
				catch (InterruptedException ex) {
					// finish the batch: the commit below must not be torn by an interrupt
					interrupted = true;
				}
				catch (ExecutionException ex) {
					throw new IllegalStateException("parse task failed", ex.getCause());
				}
			}
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private FileRead readSafely(FileState state) {
		long started = System.nanoTime();
		try {
			return read(state);
		}
		catch (IOException | RuntimeException ex) {
			log.warn("cannot read file {} ({}): {}", state.id(), state.relPath(), ex.getClass().getSimpleName());
			return FileRead.failed(state, ex.getClass().getSimpleName());
		}
		finally {
			long took = System.nanoTime() - started;
			this.parseNanos.addAndGet(took);
			this.fileTimer.record(took, java.util.concurrent.TimeUnit.NANOSECONDS);
		}
	}

	FileRead read(FileState s) throws IOException {
		Path root = Path.of(s.root());
		Path path = root.resolve(s.relPath());
		BasicFileAttributes attrs;
		try {
			attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
			if (attrs.isSymbolicLink()) {
				Optional<Path> real = SafePaths.registered(root, s.relPath(), this.settings.followLinks());
				if (real.isEmpty()) {
					return FileRead.gone(s);
				}
				path = real.get();
				attrs = Files.readAttributes(path, BasicFileAttributes.class);
			}
		}
		catch (NoSuchFileException ex) {
			return FileRead.gone(s);
		}
		if (!attrs.isRegularFile()) {
			return FileRead.gone(s);
		}
		long size = attrs.size();
		long mtime = attrs.lastModifiedTime().toMillis();
		String key = FileIdentity.fileKey(attrs);
		if (size == s.sizeAtScan() && mtime == s.mtimeAtScan() && java.util.Objects.equals(key, s.fileKey())) {
			return FileRead.unchanged(s);
		}
		try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
			this.filesOpened.incrementAndGet();
			boolean reset = false;
			if (s.committedOffset() > 0 || s.headLength() > 0) {
				if (s.fileKey() != null && key != null && !s.fileKey().equals(key)) {
					reset = true;
				}
				else if (size < s.committedOffset() || size < s.headLength()) {
					reset = true;
				}
				else if (s.headLength() > 0
						&& !FileIdentity.headFingerprint(ch, s.headLength()).equals(s.headFingerprint())) {
					reset = true;
				}
			}
			long start = reset ? 0 : s.committedOffset();
			int headLength = (int) Math.min(size, FileIdentity.HEAD_BYTES);
			String head = (!reset && headLength == s.headLength()) ? s.headFingerprint()
					: FileIdentity.headFingerprint(ch, headLength);
			long end = JsonlReader.completeEnd(ch, start, size);
			if (end < size && isQuiet(mtime) && isOneJsonObject(ch, end, size)) {
				end = size;
			}
			ChunkResult chunk = this.parser.parse(ch, start, end, s.pathOrder(), reset ? null : s.lastTs());
			if (s.kind().isSubagent()) {
				AgentMeta meta = AgentMeta.read(path);
				chunk = chunk.withLabels(chunk.labels().withAgent(meta.agentType(), meta.description()));
			}
			return new FileRead(s, FileRead.Outcome.READ, reset, end, size, mtime, key, head, headLength, chunk, null);
		}
	}

	private boolean isQuiet(long mtime) {
		return System.currentTimeMillis() - mtime >= this.settings.quietTail().toMillis();
	}

	private boolean isOneJsonObject(FileChannel ch, long start, long end) throws IOException {
		if (end - start > this.settings.maxLineBytes().toBytes()) {
			return false;
		}
		int[] seen = new int[2];
		new JsonlReader().read(ch, start, end, new LineHandler() {
			@Override
			public void entry(long offset, LogEntry entry) {
				seen[0]++;
			}

			@Override
			public void invalid(long offset) {
				seen[1]++;
			}

			@Override
			public void overlong(long offset, long length) {
				seen[1]++;
			}
		});
		return seen[0] == 1 && seen[1] == 0;
	}

	private void commit(List<FileRead> batch, Stats stats) {
		long started = System.nanoTime();
		int before = stats.read + stats.deleted;
		long[] counts = stats.counts();
		long linesBefore = stats.lines;
		try {
			commitInTransaction(batch, stats);
		}
		finally {
			stats.commitNanos += System.nanoTime() - started;
		}
		this.statistics.committed(stats.lines - linesBefore);
		int changed = stats.read + stats.deleted - before;
		long[] after = stats.counts();
		String[] names = { "cctracer.ingest.files", "cctracer.ingest.bytes", "cctracer.ingest.lines",
				"cctracer.ingest.invalid.lines", "cctracer.ingest.overlong.lines" };
		for (int i = 0; i < names.length; i++) {
			if (after[i] > counts[i]) {
				this.meters.counter(names[i]).increment(after[i] - counts[i]);
			}
		}
		if (changed > 0) {
			this.events.publishEvent(new DataChanged(changed));
		}
	}

	private void commitInTransaction(List<FileRead> batch, Stats stats) {
		Committed done;
		try {
			done = commitLocked(batch, stats);
		}
		catch (RuntimeException | Error ex) {
			// rolled back, or its outcome unknown: the known hashes may have been loaded
			// inside it (seeing its own deletes) and are not trusted any more
			this.known.invalidate();
			throw ex;
		}
		// committed: the known hashes follow (they stay complete only if they were at the
		// version this commit started from)
		this.known.committed(done.inserted(), done.fromVersion(), done.fromVersion() + 1);
	}

	/**
	 * What a commit did: the data version it started from (it bumps it by one) and the
	 * message hashes of the copies it inserted.
	 */
	private record Committed(long fromVersion, long[] inserted) {

	}

	/** The transaction of a commit, under the ingest lock. */
	private Committed commitLocked(List<FileRead> batch, Stats stats) {
		return this.tx.execute((status) -> {
			this.meta.lockIngest(this.lockHolder);
			long version = this.meta.dataVersion();
			long now = System.currentTimeMillis();
			List<FileRead> applied = new ArrayList<>();
			Stats local = new Stats(0);
			List<FileRead> reads = new ArrayList<>();
			List<FileAdvance> advances = new ArrayList<>();
			for (FileRead r : batch) {
				FileState s = r.state();
				switch (r.outcome()) {
					case UNCHANGED -> local.unchanged++;
					case FAILED -> local.failed++;
					case GONE -> {
						if (!s.deleted() && this.files.markDeleted(s.id(), s.generation(), now)) {
							local.deleted++;
						}
					}
					case READ -> {
						ChunkResult c = r.chunk();
						reads.add(r);
						advances.add(new FileAdvance(s.id(), s.committedOffset(), s.generation(), r.reset(), r.end(),
								r.size(), r.mtime(), r.fileKey(), r.head(), r.headLength(), c.counters(),
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
			long[] inserted = applyUsage(applied, version);
			this.meta.bumpDataVersion();
			this.beforeCommit.run();
			status.flush();
			// counted only once the transaction is about to commit; a rollback throws
			// past this
			stats.add(local);
			return new Committed(version, inserted);
		});
	}

	/**
	 * Stores the batch's usage copies and moves the counted flags and totals.
	 * @return the message hashes of the inserted copies
	 */
	private long[] applyUsage(List<FileRead> applied, long dataVersion) {
		Set<String> affected = new HashSet<>();
		for (FileRead r : applied) {
			if (r.reset()) {
				for (CopyRow c : this.copies.findByFile(r.state().id())) {
					if (c.messageId() != null) {
						affected.add(c.messageId());
					}
				}
				this.copies.deleteByFile(r.state().id());
				this.rollups.deleteByFile(r.state().id());
				this.facts.deleteByFile(r.state().id());
			}
		}
		for (FileRead r : applied) {
			this.facts.insertApiErrors(r.state().id(), r.chunk().apiErrors());
			this.facts.addUnknownTypes(r.state().id(), r.chunk().unknownTypes());
		}
		List<CopyRow> incoming = new ArrayList<>();
		for (FileRead r : applied) {
			for (UsageCopy u : r.chunk().copies()) {
				CopyRow row = toRow(r.state(), u);
				incoming.add(row);
				if (row.messageId() != null) {
					affected.add(row.messageId());
				}
			}
		}
		if (incoming.isEmpty() && affected.isEmpty()) {
			return new long[0];
		}
		List<CopyRow> existing = affected.isEmpty() ? List.of()
				: this.copies.findByMessageIds(mayExist(affected, dataVersion));
		Map<Slot, CopyRow> slots = new HashMap<>();
		for (CopyRow e : existing) {
			slots.put(Slot.of(e), e);
		}
		Set<CopyRow> toDelete = Collections.newSetFromMap(new IdentityHashMap<>());
		List<CopyRow> toInsert = new ArrayList<>();
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
				slots.put(slot, in);
				toInsert.add(in);
				if (old.id() != null) {
					toDelete.add(old);
				}
				else {
					toInsert.remove(old);
				}
			}
		}
		Set<CopyRow> winners = Collections.newSetFromMap(new IdentityHashMap<>());
		winners.addAll(Dedup.winners(slots.values()));
		Deltas deltas = new Deltas();
		List<CopyRow> flagChanges = new ArrayList<>();
		for (CopyRow e : existing) {
			if (toDelete.contains(e)) {
				continue;
			}
			boolean counted = winners.contains(e);
			if (e.counted() != counted) {
				deltas.add(e, counted ? 1 : -1);
				e.counted(counted);
				flagChanges.add(e);
			}
		}
		for (CopyRow d : toDelete) {
			if (d.counted()) {
				deltas.add(d, -1);
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
		this.copies.insert(toInsert);
		this.rollups.add(deltas.byRollup);
		this.files.addTotals(deltas.byFile);
		return toInsert.stream()
			.filter((c) -> c.messageId() != null)
			.mapToLong((c) -> UsageCopyRepository.hash(c.messageId()))
			.toArray();
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

	private final KnownHashes known = new KnownHashes();

	/** Batches with at least this many message ids load the known hashes. */
	private volatile int knownHashesThreshold = 500;

	/** For tests: 0 makes every commit use (and load) the known hashes. */
	void knownHashesThreshold(int threshold) {
		this.knownHashesThreshold = threshold;
	}

	private final Set<String> unpricedModels = java.util.concurrent.ConcurrentHashMap.newKeySet();

	private CopyRow toRow(FileState file, UsageCopy u) {
		Cost cost = this.prices.cost(u.model(), u.timestamp(), u.usage());
		if ((!cost.priced() || cost.estimated()) && this.unpricedModels.size() < 1000
				&& this.unpricedModels.add(String.valueOf(u.model()))) {
			if (cost.estimated()) {
				log.warn(
						"model '{}' is not in the price table: priced as {} (the newest of its family) and "
								+ "marked estimated (add it to cctracer.prices-file or the admin console)",
						LogText.safe(Redactor.redact(u.model())), this.prices.find(u.model()).id());
			}
			else {
				log.warn(
						"no price for model '{}': its tokens are counted, its cost is 0 and reported as unpriced "
								+ "(add it to cctracer.prices-file or the admin console)",
						LogText.safe(Redactor.redact(u.model())));
			}
		}
		String agent;
		if (file.kind() != FileKind.MAIN) {
			agent = (file.agentId() != null) ? file.agentId() : "subagent";
		}
		else if (u.sidechain()) {
			agent = (u.agentId() != null && !u.agentId().isBlank()) ? truncate(u.agentId(), 128) : "sidechain";
		}
		else {
			agent = "";
		}
		Long logged = (u.costUsd() != null) ? Cost.pico(u.costUsd()) : null;
		return new CopyRow(null, (u.messageId() != null) ? truncate(u.messageId(), 200) : null,
				(u.requestId() != null) ? truncate(u.requestId(), 200) : "", file.id(), u.lineOffset(), u.sidechain(),
				agent, u.timestamp(), (u.model() != null) ? truncate(u.model(), 200) : "", u.usage().input(),
				u.usage().output(), u.usage().cacheWrite5m(), u.usage().cacheWrite1h(), u.usage().cacheRead(),
				u.usage().fast(), cost.input(), cost.output(), cost.cacheWrite(), cost.cacheRead(), logged,
				cost.priced(), false, file.pathOrder())
			.withServerTools(u.usage().webSearches(), cost.webSearch(), cost.estimated())
			.withGeo(u.usage().inferenceGeo());
	}

	private static String truncate(String s, int max) {
		return (s.length() <= max) ? s : s.substring(0, max);
	}

	@Override
	public void destroy() {
		this.parsePool.shutdownNow();
	}

	/** A copy's place: one per (message, request, file, sidechain). */
	private record Slot(String msg, String req, long file, boolean sidechain) {

		static Slot of(CopyRow c) {
			return new Slot(c.messageId(), c.requestId(), c.fileId(), c.sidechain());
		}

	}

	private static final class Deltas {

		final Map<RollupKey, UsageSums> byRollup = new HashMap<>();

		final Map<Long, UsageSums> byFile = new HashMap<>();

		void add(CopyRow c, int sign) {
			this.byRollup.computeIfAbsent(RollupKey.of(c), (k) -> new UsageSums()).add(c, sign);
			this.byFile.computeIfAbsent(c.fileId(), (k) -> new UsageSums()).add(c, sign);
		}

	}

	private static final class Stats {

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

		Stats(int files) {
			this.files = files;
		}

		void add(Stats o) {
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

}
