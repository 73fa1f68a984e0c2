package dev.cctracer.db.facts;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.RecordRowMapper;

/**
 * The entry-level fact segments ({@code fact_segment} beside {@code source_file}): each a
 * pair of Parquet files holding the lines of one committed byte range
 * {@code [fromOffset, toOffset)} of one generation of a file. A file's current segments
 * are those of its generation ending at or before its committed offset; they are
 * contiguous from offset 0, which {@link #insert} enforces. Paths are relative to the
 * facts directory.
 */
@Repository
public class FactSegmentRepository {

	/**
	 * One segment.
	 *
	 * @param fromOffset first byte of its range
	 * @param toOffset the byte after its range (a line end the ingest committed)
	 * @param entriesPath its batch's entries file, relative to the facts directory
	 * @param toolsPath its batch's tool-blocks file, relative to the facts directory
	 * @param entryRows lines in it
	 * @param bytes its share of its batch's size (bytes, by the JSONL bytes it holds)
	 * @param createdAt when it was written (epoch ms)
	 */
	public record Segment(long fileId, int generation, long fromOffset, long toOffset, String entriesPath,
			String toolsPath, long entryRows, long bytes, long createdAt) {

	}

	/**
	 * An indexed file: its committed state, counted totals (tokens) and how far its
	 * current facts reach.
	 *
	 * @param origin the machine whose disk holds it
	 * @param kind the layout ({@code MAIN} for a session's own transcript)
	 * @param agentId the subagent id, or {@code null}
	 * @param covered the end of its current facts' run from offset 0 (bytes; 0 when none)
	 * @param gapEnd where its next current segment after that run starts (bytes), or
	 * {@code null} when none does: the facts of a lost segment are written into that gap
	 * @param segments how many current segments it has
	 * @param deleted whether it is marked deleted: its history (totals and facts) still
	 * counts, its path may hold another file now and is never read for it
	 */
	public record FactFile(long id, String root, String relPath, String origin, int generation, long committedOffset,
			String projectDir, String sessionId, String agentId, String kind, long messages, long inputTokens,
			long outputTokens, long cacheWrite5m, long cacheWrite1h, long cacheRead, long covered, Long gapEnd,
			int segments, boolean deleted) {

	}

	/**
	 * One session's compaction state, as the archive status shows it.
	 *
	 * @param files its transcripts with committed bytes
	 * @param archivedFiles those whose facts are one compacted segment covering their
	 * committed bytes
	 * @param parquetBytes the size of their current segments (bytes)
	 * @param lastConvertedMillis when a segment was last written (epoch milliseconds), or
	 * {@code null}
	 */
	public record SessionArchive(String project, String sessionId, long files, long archivedFiles, long parquetBytes,
			Long lastConvertedMillis) {

	}

	private static final String CURRENT = "s.generation = f.generation AND s.to_offset <= f.committed_offset";

	/**
	 * Every file with how far its facts reach: {@code covered}, the end of its current
	 * segments' run from offset 0 (0 when none starts there), and {@code gap_end}, where
	 * its next segment after that run starts ({@code null} when none does): a segment
	 * lost in the middle (its batch damaged) is written again into that gap alone.
	 */
	private static final String FACT_FILES = """
			SELECT f.id, f.root, f.rel_path, f.origin, f.generation, f.committed_offset, f.project_dir,
			  f.session_id, f.agent_id, f.kind, f.messages, f.input_tokens, f.output_tokens,
			  f.cache_write_5m AS cache_write5m, f.cache_write_1h AS cache_write1h, f.cache_read,
			  COALESCE(c.covered, 0) AS covered,
			  CASE WHEN COALESCE(c.covered, 0) < COALESCE(c.max_to, 0) THEN (
			    SELECT MIN(g.from_offset) FROM fact_segment g WHERE g.file_id = f.id AND g.generation = f.generation
			      AND g.to_offset <= f.committed_offset AND g.from_offset > COALESCE(c.covered, 0)) END AS gap_end,
			  COALESCE(c.segments, 0) AS segments, f.deleted
			FROM source_file f LEFT JOIN (
			  SELECT s.file_id, COUNT(*) AS segments, MAX(s.to_offset) AS max_to,
			    CASE WHEN MIN(s.from_offset) > 0 THEN 0 ELSE MIN(CASE WHEN nx.file_id IS NULL THEN s.to_offset END) END
			      AS covered
			  FROM fact_segment s JOIN source_file f ON f.id = s.file_id
			  LEFT JOIN fact_segment nx ON nx.file_id = s.file_id AND nx.generation = s.generation
			    AND nx.from_offset = s.to_offset AND nx.to_offset <= f.committed_offset
			  WHERE %s %%1$s GROUP BY s.file_id
			) c ON c.file_id = f.id
			WHERE TRUE %%1$s
			""".formatted(CURRENT);

	private static final String SEGMENTS = """
			SELECT s.file_id, s.generation, s.from_offset, s.to_offset, s.entries_path, s.tools_path, s.entry_rows,
			  s.bytes, s.created_at
			""";

	private final JdbcClient jdbc;

	public FactSegmentRepository(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Every indexed file, by id, with how far its current facts reach: deleted ones too,
	 * whose history counts as the totals count it.
	 */
	public List<FactFile> indexedFiles() {
		return this.jdbc.sql(FACT_FILES.formatted("") + " ORDER BY f.id")
			.query(RecordRowMapper.of(FactFile.class))
			.list();
	}

	/**
	 * The transcript of a session ({@code agentId} null: its main transcript) or of one
	 * of its subagents (a subagent file of that agent id): a live one before a deleted
	 * one, then the first by id; the values are bound.
	 */
	public Optional<FactFile> sessionFile(String projectDir, String sessionId, String agentId) {
		String which = "AND f.project_dir = :p AND f.session_id = :s"
				+ ((agentId == null) ? " AND f.kind = 'MAIN'" : " AND f.kind <> 'MAIN' AND f.agent_id = :a");
		JdbcClient.StatementSpec sql = this.jdbc.sql(FACT_FILES.formatted(which) + " ORDER BY f.deleted, f.id")
			.param("p", projectDir)
			.param("s", sessionId);
		if (agentId != null) {
			sql = sql.param("a", agentId);
		}
		return sql.query(RecordRowMapper.of(FactFile.class)).list().stream().findFirst();
	}

	/** The current segments of one file, deleted or not, by offset. */
	public List<Segment> currentSegments(long fileId) {
		return this.jdbc.sql(SEGMENTS + """
				FROM fact_segment s JOIN source_file f ON f.id = s.file_id
				WHERE s.file_id = :id AND %s ORDER BY s.from_offset
				""".formatted(CURRENT)).param("id", fileId).query(RecordRowMapper.of(Segment.class)).list();
	}

	/**
	 * The current segments of every indexed file (deleted ones too), by file and offset.
	 */
	public List<Segment> currentSegments() {
		return this.jdbc.sql(SEGMENTS + """
				FROM fact_segment s JOIN source_file f ON f.id = s.file_id
				WHERE %s ORDER BY s.file_id, s.from_offset
				""".formatted(CURRENT)).query(RecordRowMapper.of(Segment.class)).list();
	}

	/**
	 * Segments no file state holds any more: of an older generation (the file was reset),
	 * past the committed offset (it shrank), or of a file no longer indexed.
	 */
	public List<Segment> staleSegments() {
		return this.jdbc.sql(SEGMENTS + """
				FROM fact_segment s LEFT JOIN source_file f ON f.id = s.file_id
				WHERE f.id IS NULL OR NOT (%s) ORDER BY s.file_id, s.from_offset
				""".formatted(CURRENT)).query(RecordRowMapper.of(Segment.class)).list();
	}

	/** Every recorded path (entries and tools files), relative to the facts directory. */
	public List<String> allPaths() {
		return this.jdbc.sql("SELECT entries_path FROM fact_segment UNION ALL SELECT tools_path FROM fact_segment")
			.query(String.class)
			.list();
	}

	/**
	 * Records a new segment when it continues the file's current facts exactly (its
	 * {@code fromOffset} is 0 or where a current segment ends), overlaps none of them (it
	 * ends them, or fills the gap a lost segment left) and the file is still at its
	 * generation with at least {@code toOffset} committed bytes.
	 * @return whether it was recorded (else the caller removes its files)
	 */
	public boolean insert(Segment s) {
		// it continues a segment (or starts the file) and overlaps none: it ends the
		// facts, or fills a gap a lost segment left (one query, as the one it replaced)
		long[] around = this.jdbc.sql("""
				SELECT COALESCE(SUM(CASE WHEN s.from_offset < :to AND s.to_offset > :from THEN 1 ELSE 0 END), 0),
				  COALESCE(SUM(CASE WHEN s.to_offset = :from THEN 1 ELSE 0 END), 0)
				FROM fact_segment s JOIN source_file f ON f.id = s.file_id
				WHERE s.file_id = :id AND %s
				""".formatted(CURRENT))
			.param("id", s.fileId())
			.param("from", s.fromOffset())
			.param("to", s.toOffset())
			.query((rs, i) -> new long[] { rs.getLong(1), rs.getLong(2) })
			.single();
		long overlapping = around[0];
		boolean continues = s.fromOffset() == 0 || around[1] > 0;
		boolean current = this.jdbc
			.sql("SELECT COUNT(*) FROM source_file WHERE id = :id AND generation = :g AND committed_offset >= :to")
			.param("id", s.fileId())
			.param("g", s.generation())
			.param("to", s.toOffset())
			.query(Long.class)
			.single() == 1;
		if (!current || overlapping > 0 || !continues) {
			return false;
		}
		try {
			insertRow(s, "VALUES (:id, :g, :from, :to, :entries, :tools, :rows, :bytes, :now)");
			return true;
		}
		catch (DuplicateKeyException ex) {
			// another worker recorded the same range first
			return false;
		}
	}

	/**
	 * The files whose facts are to be written again ({@code facts_rewrite}, migration
	 * V20: the searchable text of facts written before it lacks hook and system lines):
	 * file id → the generation their facts were written for.
	 */
	public Map<Long, Integer> rewrites() {
		Map<Long, Integer> marks = new HashMap<>();
		this.jdbc.sql("SELECT file_id, generation FROM facts_rewrite").query((rs) -> {
			marks.put(rs.getLong(1), rs.getInt(2));
		});
		return marks;
	}

	/**
	 * Drops a file's rewrite mark without writing its facts again: a file read again from
	 * its start gets new ones anyway.
	 */
	public void dropRewrite(long fileId) {
		this.jdbc.sql("DELETE FROM facts_rewrite WHERE file_id = :id").param("id", fileId).update();
	}

	/**
	 * Swaps a file's facts written again for its old ones and drops its rewrite mark
	 * (call in a transaction; roll back on {@code false}): the new segments, sorted by
	 * offset, must run from offset 0 without a gap, all of the file's generation, and the
	 * file must still be at that generation, not deleted, with at least their end
	 * committed. Every segment of that generation is removed (their batches go with
	 * compaction, once no record names them).
	 * @return whether the segments were swapped
	 */
	public boolean swapRewritten(long fileId, int generation, List<Segment> fresh) {
		long end = 0;
		for (Segment s : fresh) {
			if (s.fileId() != fileId || s.generation() != generation || s.fromOffset() != end) {
				return false;
			}
			end = s.toOffset();
		}
		boolean current = !fresh.isEmpty() && this.jdbc.sql("""
				SELECT COUNT(*) FROM source_file
				WHERE id = :id AND generation = :g AND deleted = FALSE AND committed_offset >= :to
				""").param("id", fileId).param("g", generation).param("to", end).query(Long.class).single() == 1;
		if (!current) {
			return false;
		}
		this.jdbc.sql("DELETE FROM fact_segment WHERE file_id = :id AND generation = :g")
			.param("id", fileId)
			.param("g", generation)
			.update();
		for (Segment s : fresh) {
			insertRow(s, "VALUES (:id, :g, :from, :to, :entries, :tools, :rows, :bytes, :now)");
		}
		dropRewrite(fileId);
		return true;
	}

	/** Whether any segment record names this batch. */
	public boolean referenced(String entriesPath) {
		return this.jdbc.sql("SELECT COUNT(*) FROM fact_segment WHERE entries_path = :p")
			.param("p", entriesPath)
			.query(Long.class)
			.single() > 0;
	}

	/** Removes a segment's record. */
	public void delete(Segment s) {
		this.jdbc.sql("DELETE FROM fact_segment WHERE file_id = :id AND generation = :g AND from_offset = :from")
			.param("id", s.fileId())
			.param("g", s.generation())
			.param("from", s.fromOffset())
			.update();
	}

	/**
	 * Replaces segments by merged ones (call in a transaction; roll back on
	 * {@code false}): each old record must still be there unchanged and each merged one's
	 * file still at its generation.
	 * @return whether every record was replaced
	 */
	public boolean replace(List<Segment> old, List<Segment> merged) {
		for (Segment s : old) {
			int removed = this.jdbc.sql("""
					DELETE FROM fact_segment WHERE file_id = :id AND generation = :g AND from_offset = :from
					  AND to_offset = :to AND entries_path = :path
					""")
				.param("id", s.fileId())
				.param("g", s.generation())
				.param("from", s.fromOffset())
				.param("to", s.toOffset())
				.param("path", s.entriesPath())
				.update();
			if (removed != 1) {
				return false;
			}
		}
		for (Segment s : merged) {
			insertRow(s, """
					SELECT :id, :g, :from, :to, :entries, :tools, :rows, :bytes, :now FROM source_file
					WHERE id = :id AND generation = :g
					""");
		}
		return true;
	}

	/**
	 * Inserts a segment's record, its values taken from {@code source} (VALUES or
	 * SELECT).
	 */
	private int insertRow(Segment s, String source) {
		return this.jdbc.sql("""
				INSERT INTO fact_segment (file_id, generation, from_offset, to_offset, entries_path, tools_path,
				  entry_rows, bytes, created_at)
				""" + source)
			.param("id", s.fileId())
			.param("g", s.generation())
			.param("from", s.fromOffset())
			.param("to", s.toOffset())
			.param("entries", s.entriesPath())
			.param("tools", s.toolsPath())
			.param("rows", s.entryRows())
			.param("bytes", s.bytes())
			.param("now", s.createdAt())
			.update();
	}

	/** Every session's compaction state, in one project or all ({@code null}). */
	public List<SessionArchive> sessions(String project) {
		return this.jdbc.sql("""
				SELECT f.project_dir, f.session_id, COUNT(*) AS files,
				  SUM(CASE WHEN c.segments = 1 AND c.covered = f.committed_offset THEN 1 ELSE 0 END) AS archived,
				  COALESCE(SUM(c.bytes), 0) AS parquet_bytes, MAX(c.created_at) AS last_converted
				FROM source_file f LEFT JOIN (
				  SELECT s.file_id, COUNT(*) AS segments, MAX(s.to_offset) AS covered, SUM(s.bytes) AS bytes,
				    MAX(s.created_at) AS created_at
				  FROM fact_segment s JOIN source_file f ON f.id = s.file_id WHERE %s GROUP BY s.file_id
				) c ON c.file_id = f.id
				WHERE f.deleted = FALSE AND f.session_id IS NOT NULL AND f.committed_offset > 0
				  AND (CAST(:project AS VARCHAR) IS NULL OR f.project_dir = :project)
				GROUP BY f.project_dir, f.session_id ORDER BY f.project_dir, f.session_id
				""".formatted(CURRENT))
			.param("project", project)
			.query((rs, i) -> new SessionArchive(rs.getString("project_dir"), rs.getString("session_id"),
					rs.getLong("files"), rs.getLong("archived"), rs.getLong("parquet_bytes"),
					rs.getObject("last_converted", Long.class)))
			.list();
	}

}
