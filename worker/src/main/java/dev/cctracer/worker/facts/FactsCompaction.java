package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The Parquet conversion of the platform: this machine's small fact batches (each sync
 * writes one; after a first index they are few and large, while a growing history adds a
 * small one per sync) whose newest segment is older than the quiet period
 * ({@code cctracer.archive.quiet}) are merged by DuckDB into one batch — reading only the
 * batches' counted lines, never the JSONL — and their segments recorded in place of the
 * old ones in one transaction, a file's consecutive segments as one. Also removes this
 * machine's batch files no segment names (merged, stale, or never recorded after a crash)
 * once they are an hour old — a job may still be reading a batch it listed before — and
 * the raw-line Parquet archive of earlier versions.
 */
@Component
public class FactsCompaction {

	/** Batches whose entries file is smaller than this are merged. */
	static final long SMALL_BATCH_BYTES = 64L << 20;

	/** The most batch bytes one run merges. */
	static final long MAX_MERGE_BYTES = 512L << 20;

	/**
	 * Batches to merge, with their current segments.
	 *
	 * @param bytes the batches' size (bytes)
	 */
	public record Candidate(List<String> batches, List<Segment> segments, long bytes) {

	}

	/** A merged batch, not yet recorded, and the segments that replace the old ones. */
	public record Compacted(Candidate candidate, String entriesPath, List<Segment> merged, long bytes) {

	}

	/** Orphans younger than this may be a sync's files not yet recorded. */
	private static final long ORPHAN_AGE_MS = 60 * 60 * 1000;

	private final FactSegmentRepository segments;

	private final FactsStore facts;

	private final DuckDbEngine duckdb;

	private final TracerProperties.Archive settings;

	private final Path legacyArchive;

	public FactsCompaction(FactSegmentRepository segments, FactsStore facts, DuckDbEngine duckdb,
			TracerProperties properties, Environment env) {
		this.segments = segments;
		this.facts = facts;
		this.duckdb = duckdb;
		this.settings = properties.archive();
		this.legacyArchive = Path.of(env.getRequiredProperty("cctracer.data-dir")).resolve("parquet");
	}

	/**
	 * This machine's small batches past the quiet period, when there are two or more
	 * (database read and file sizes).
	 * @return none, or one candidate of at most {@value #MAX_MERGE_BYTES} bytes
	 */
	public List<Candidate> candidates(long nowMs) throws IOException {
		String mine = "origin=" + FactsStore.dirName(this.facts.origin()) + "/";
		Map<String, List<Segment>> byBatch = new TreeMap<>();
		for (Segment s : this.segments.currentSegments()) {
			if (s.entriesPath().startsWith(mine)) {
				byBatch.computeIfAbsent(s.entriesPath(), (k) -> new ArrayList<>()).add(s);
			}
		}
		List<String> batches = new ArrayList<>();
		List<Segment> chosen = new ArrayList<>();
		long bytes = 0;
		for (Map.Entry<String, List<Segment>> batch : byBatch.entrySet()) {
			Path entries = this.facts.resolve(batch.getKey());
			Path tools = this.facts.resolve(FactsStore.toolsPathOf(batch.getKey()));
			// one not framed as Parquet waits for the next analytic, which removes it and
			// writes its facts again: merged, it would fail every archive run
			if (FactParquet.batch(entries, tools) != FactParquet.State.INTACT) {
				continue;
			}
			long size = Files.size(entries) + Files.size(tools);
			long newest = batch.getValue().stream().mapToLong(Segment::createdAt).max().orElse(nowMs);
			if (Files.size(entries) < SMALL_BATCH_BYTES && nowMs - newest >= this.settings.quiet().toMillis()
					&& bytes + size <= MAX_MERGE_BYTES) {
				batches.add(batch.getKey());
				chosen.addAll(batch.getValue());
				bytes += size;
			}
		}
		return (batches.size() < 2) ? List.of() : List.of(new Candidate(batches, chosen, bytes));
	}

	/**
	 * Merges a candidate's batches into one (no database work: the caller records it with
	 * {@link #record}).
	 * @throws IOException when the merged files cannot be written
	 * @throws SQLException when DuckDB cannot read the batches
	 */
	public Compacted compact(Candidate c) throws IOException, SQLException {
		String name = c.batches().get(0).substring(0, c.batches().get(0).indexOf('/') + 1) + "b-" + System.nanoTime()
				+ "-c";
		Path entries = this.facts.resolve(name + ".entries.parquet");
		Path tools = this.facts.resolve(name + ".tools.parquet");
		String segs = "csegs_" + System.nanoTime();
		try (Connection conn = this.duckdb.connection(); Statement s = conn.createStatement()) {
			s.execute("CREATE TABLE " + segs + " (file_id BIGINT, gen INTEGER, from_offset BIGINT, to_offset BIGINT)");
			try {
				try (DuckDBAppender a = ((DuckDBConnection) conn).createAppender(DuckDBConnection.DEFAULT_SCHEMA,
						segs)) {
					for (Segment seg : c.segments()) {
						a.beginRow();
						a.append(seg.fileId());
						a.append(seg.generation());
						a.append(seg.fromOffset());
						a.append(seg.toOffset());
						a.endRow();
					}
				}
				for (boolean entriesKind : new boolean[] { true, false }) {
					Path target = entriesKind ? entries : tools;
					List<String> paths = c.batches()
						.stream()
						.map((b) -> this.facts.resolve(entriesKind ? b : FactsStore.toolsPathOf(b)))
						.map((p) -> DuckDbEngine.literal(p.toString()))
						.toList();
					FactParquet.copy(s,
							"SELECT x.* FROM read_parquet([" + String.join(", ", paths) + "]) x JOIN " + segs
									+ " g ON g.file_id = x.file_id AND g.gen = x.gen AND x.off >= g.from_offset"
									+ " AND x.off < g.to_offset ORDER BY x.file_id, x.off",
							target);
				}
			}
			finally {
				s.execute("DROP TABLE IF EXISTS " + segs);
			}
		}
		long size = Files.size(entries) + Files.size(tools);
		return new Compacted(c, name + ".entries.parquet", merged(c.segments(), name, size), size);
	}

	/** A file's consecutive segments as one, each pointing to the merged batch. */
	static List<Segment> merged(List<Segment> old, String name, long size) {
		long total = old.stream().mapToLong((s) -> s.toOffset() - s.fromOffset()).sum();
		List<Segment> sorted = new ArrayList<>(old);
		sorted.sort(Comparator.comparingLong(Segment::fileId).thenComparingLong(Segment::fromOffset));
		List<Segment> merged = new ArrayList<>();
		long now = System.currentTimeMillis();
		Segment run = null;
		for (Segment s : sorted) {
			if (run != null && run.fileId() == s.fileId() && run.generation() == s.generation()
					&& run.toOffset() == s.fromOffset()) {
				run = new Segment(run.fileId(), run.generation(), run.fromOffset(), s.toOffset(), run.entriesPath(),
						run.toolsPath(), run.entryRows() + s.entryRows(), 0, now);
				continue;
			}
			if (run != null) {
				merged.add(run);
			}
			run = new Segment(s.fileId(), s.generation(), s.fromOffset(), s.toOffset(), name + ".entries.parquet",
					name + ".tools.parquet", s.entryRows(), 0, now);
		}
		if (run != null) {
			merged.add(run);
		}
		List<Segment> shared = new ArrayList<>();
		for (Segment s : merged) {
			long share = (total == 0) ? 0 : size * (s.toOffset() - s.fromOffset()) / total;
			shared.add(new Segment(s.fileId(), s.generation(), s.fromOffset(), s.toOffset(), s.entriesPath(),
					s.toolsPath(), s.entryRows(), share, s.createdAt()));
		}
		return shared;
	}

	/**
	 * Records a merge in place of its segments (database write; call in a transaction and
	 * roll back on {@code false}).
	 * @return whether every segment was still there to replace
	 */
	public boolean record(Compacted done) {
		return this.segments.replace(done.candidate().segments(), done.merged());
	}

	/** After a merge that was not recorded: removes its files. */
	public void discard(Compacted done) {
		this.facts.deleteFiles(done.entriesPath());
	}

	/** Every recorded segment path (database read). */
	public List<String> recordedPaths() {
		return this.segments.allPaths();
	}

	/**
	 * Removes this origin's segment files no record names (older than an hour, so a
	 * sync's files about to be recorded stay), and the raw-line archive of earlier
	 * versions.
	 * @param recorded every recorded path (database read)
	 * @return the files removed
	 */
	public int removeOrphans(List<String> recorded) throws IOException {
		int removed = 0;
		Set<Path> known = new HashSet<>();
		recorded.forEach((p) -> known.add(this.facts.resolve(p).normalize()));
		Path mine = this.facts.dir().resolve("origin=" + FactsStore.dirName(this.facts.origin()));
		long now = System.currentTimeMillis();
		if (Files.isDirectory(mine)) {
			try (Stream<Path> files = Files.list(mine)) {
				for (Path p : files.toList()) {
					if (!known.contains(p.normalize())
							&& now - Files.getLastModifiedTime(p).toMillis() > ORPHAN_AGE_MS) {
						Files.deleteIfExists(p);
						removed++;
					}
				}
			}
		}
		if (Files.isDirectory(this.legacyArchive)) {
			try (Stream<Path> walk = Files.walk(this.legacyArchive)) {
				for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
					Files.deleteIfExists(p);
				}
			}
		}
		return removed;
	}

}
