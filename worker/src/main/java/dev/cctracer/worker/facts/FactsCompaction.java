package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The Parquet conversion of the platform: a file whose facts are several segments (one
 * per commit range) and whose last segment is older than the quiet period
 * ({@code cctracer.archive.quiet}) gets them merged by DuckDB into one segment from
 * offset 0 — reading only the segments, never the JSONL — written under temporary names,
 * renamed, and recorded in place of the old ones in one transaction. Also removes orphan
 * segment files (written but never recorded, e.g. by a crash) of this machine's origin,
 * and the raw-line Parquet archive of earlier versions.
 */
@Component
public class FactsCompaction {

	/** A file's segments to merge. */
	public record Candidate(long fileId, List<Segment> segments) {

	}

	/** A merged segment, not yet recorded, and what it replaces. */
	public record Compacted(Candidate candidate, Segment segment) {

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
	 * Files with several current segments, the newest older than the quiet period
	 * (database read).
	 */
	public List<Candidate> candidates(long nowMs) {
		Map<Long, List<Segment>> byFile = new LinkedHashMap<>();
		for (Segment s : this.segments.currentSegments()) {
			byFile.computeIfAbsent(s.fileId(), (k) -> new ArrayList<>()).add(s);
		}
		List<Candidate> candidates = new ArrayList<>();
		byFile.forEach((id, list) -> {
			long newest = list.stream().mapToLong(Segment::createdAt).max().orElse(nowMs);
			if (list.size() > 1 && list.get(0).fromOffset() == 0
					&& nowMs - newest >= this.settings.quiet().toMillis()) {
				candidates.add(new Candidate(id, list));
			}
		});
		return candidates;
	}

	/**
	 * Merges a candidate's segments into one (no database work: the caller records it
	 * with {@link #record}).
	 * @throws IOException when the merged files cannot be written
	 * @throws SQLException when DuckDB cannot read the segments
	 */
	public Compacted compact(Candidate c) throws IOException, SQLException {
		List<Segment> list = c.segments();
		Segment first = list.get(0);
		Segment last = list.get(list.size() - 1);
		String name = first.entriesPath().substring(0, first.entriesPath().indexOf('/') + 1) + c.fileId() + "-"
				+ first.generation() + "-0-" + last.toOffset() + "-c";
		Path entries = this.facts.resolve(name + ".entries.parquet");
		Path tools = this.facts.resolve(name + ".tools.parquet");
		long rows = 0;
		try (Connection conn = this.duckdb.connection(); Statement s = conn.createStatement()) {
			for (String kind : List.of("entries", "tools")) {
				Path target = kind.equals("entries") ? entries : tools;
				Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
				List<String> paths = list.stream()
					.map((seg) -> this.facts.resolve(kind.equals("entries") ? seg.entriesPath() : seg.toolsPath()))
					.map((p) -> DuckDbEngine.literal(p.toString()))
					.toList();
				try {
					s.execute("COPY (SELECT * FROM read_parquet([" + String.join(", ", paths) + "]) ORDER BY off) TO "
							+ DuckDbEngine.literal(tmp.toString()) + " (FORMAT parquet, COMPRESSION zstd)");
					SafePaths.ownerOnly(tmp);
					Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
				}
				finally {
					Files.deleteIfExists(tmp);
				}
			}
			rows = list.stream().mapToLong(Segment::entryRows).sum();
		}
		Segment merged = new Segment(c.fileId(), first.generation(), 0, last.toOffset(), name + ".entries.parquet",
				name + ".tools.parquet", rows, Files.size(entries) + Files.size(tools), last.lastTs(),
				System.currentTimeMillis());
		return new Compacted(c, merged);
	}

	/**
	 * Records a merge in place of its segments (database write, in a transaction) and
	 * removes the old files; when the segments changed meanwhile the merged files go.
	 * @return whether it was recorded
	 */
	public boolean record(Compacted done) {
		if (!this.segments.replace(done.candidate().segments(), done.segment())) {
			this.facts.deleteFiles(done.segment());
			return false;
		}
		done.candidate().segments().forEach(this.facts::deleteFiles);
		return true;
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
