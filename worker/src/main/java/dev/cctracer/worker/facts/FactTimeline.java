package dev.cctracer.worker.facts;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FactSegmentRepository.FactFile;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.worker.SessionFacts;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * {@link SessionFacts} with DuckDB over one transcript's current fact segments: the file
 * is found in {@code source_file} by its project, session and agent (bound values), its
 * segments in {@code fact_segment} (paths the database recorded, relative to the facts
 * directory); whether a line's usage is counted comes from {@code usage_copy}. Reads
 * only, from any origin's segments: a segment whose files are missing ends what is read
 * (the writer's next sync restores it).
 */
@Component
public class FactTimeline implements SessionFacts {

	/**
	 * Characters of text read per line: the preview's, with room for leading white space.
	 */
	private static final int READ_CHARS = 4 * PREVIEW_CHARS;

	private final FactSegmentRepository segments;

	private final UsageCopyRepository copies;

	private final FactsStore facts;

	private final DuckDbEngine duckdb;

	public FactTimeline(FactSegmentRepository segments, UsageCopyRepository copies, FactsStore facts,
			DuckDbEngine duckdb) {
		this.segments = segments;
		this.copies = copies;
		this.facts = facts;
		this.duckdb = duckdb;
	}

	@Override
	public Optional<Timeline> entries(String project, String session, String agent, int offset, int limit) {
		if (offset < 0) {
			throw new IllegalArgumentException("offset must be 0 or more");
		}
		if (limit < 1 || limit > MAX_LIMIT) {
			throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
		}
		Optional<FactFile> found = this.segments.sessionFile(project, session, agent);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		FactFile file = found.get();
		List<String> entryPaths = new ArrayList<>();
		List<String> toolPaths = new ArrayList<>();
		List<Segment> read = new ArrayList<>();
		long covered = 0;
		long total = 0;
		for (Segment s : this.segments.currentSegments(file.id())) {
			Path entries = this.facts.resolve(s.entriesPath());
			Path tools = this.facts.resolve(s.toolsPath());
			if (s.fromOffset() != covered || !Files.isRegularFile(entries) || !Files.isRegularFile(tools)) {
				break;
			}
			entryPaths.add(entries.toString());
			toolPaths.add(tools.toString());
			read.add(s);
			covered = s.toOffset();
			total += s.entryRows();
		}
		List<Entry> page = (entryPaths.isEmpty() || offset >= total) ? List.of()
				: read(file.id(), rows(read, entryPaths), rows(read, toolPaths), offset, limit);
		return Optional.of(new Timeline(file.id(), file.generation(), file.origin(), this.facts.writes(file), total,
				covered, file.committedOffset(), offset, page));
	}

	/** A line read from the entries files, its tool blocks still to come. */
	private record Line(long offset, String type, String uuid, Long ts, String model, boolean sidechain, String agentId,
			Tokens tokens, String preview) {

	}

	/**
	 * The rows of the file's segments, each read from its batch within its own file,
	 * generation and range (a batch holds other files' lines, and may hold lines of this
	 * file that no segment counts); values from the database, paths as literals.
	 */
	private static String rows(List<Segment> segments, List<String> paths) {
		List<String> parts = new ArrayList<>();
		for (int i = 0; i < segments.size(); i++) {
			Segment s = segments.get(i);
			parts.add("SELECT * FROM read_parquet(" + DuckDbEngine.literal(paths.get(i)) + ", file_row_number = true)"
					+ " WHERE file_id = " + s.fileId() + " AND gen = " + s.generation() + " AND off >= "
					+ s.fromOffset() + " AND off < " + s.toOffset());
		}
		return "(" + String.join(" UNION ALL ", parts) + ")";
	}

	private List<Entry> read(long fileId, String entryRows, String toolRows, int offset, int limit) {
		List<Line> lines = new ArrayList<>(limit);
		Map<Long, List<ToolCall>> calls = new HashMap<>();
		Map<Long, List<ToolResult>> results = new HashMap<>();
		try (Connection c = this.duckdb.connection()) {
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT off, type, uuid, ts, model, side, line_agent, inp, outp, w5m, w1h, rd,
					  substr(text, 1, %1$d) AS text, length(text) > %1$d AS more
					FROM %2$s WHERE file_id = ? ORDER BY off LIMIT ? OFFSET ?
					""".formatted(READ_CHARS, entryRows))) {
				ps.setLong(1, fileId);
				ps.setInt(2, limit);
				ps.setInt(3, offset);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						lines.add(line(rs));
					}
				}
			}
			if (lines.isEmpty()) {
				return List.of();
			}
			long first = lines.get(0).offset();
			long last = lines.get(lines.size() - 1).offset();
			// a line's blocks in their order within it: each segment holds whole lines
			try (PreparedStatement ps = c.prepareStatement("""
					SELECT off, use, id, name, error FROM %s
					WHERE file_id = ? AND off BETWEEN ? AND ? ORDER BY off, file_row_number
					""".formatted(toolRows))) {
				ps.setLong(1, fileId);
				ps.setLong(2, first);
				ps.setLong(3, last);
				try (ResultSet rs = ps.executeQuery()) {
					while (rs.next()) {
						long off = rs.getLong(1);
						if (rs.getBoolean(2)) {
							calls.computeIfAbsent(off, (k) -> new ArrayList<>())
								.add(new ToolCall(rs.getString(3), rs.getString(4)));
						}
						else {
							results.computeIfAbsent(off, (k) -> new ArrayList<>())
								.add(new ToolResult(rs.getString(3), rs.getBoolean(5)));
						}
					}
				}
			}
			Set<Long> counted = new HashSet<>(this.copies.countedOffsets(fileId, first, last));
			List<Entry> entries = new ArrayList<>(lines.size());
			int index = offset;
			for (Line l : lines) {
				entries.add(new Entry(++index, l.offset(), (l.ts() != null) ? Instant.ofEpochMilli(l.ts()) : null,
						l.type(), l.uuid(), l.model(), l.sidechain(), l.agentId(), l.tokens(),
						l.tokens() != null && counted.contains(l.offset()), calls.getOrDefault(l.offset(), List.of()),
						results.getOrDefault(l.offset(), List.of()), l.preview()));
			}
			return entries;
		}
		catch (SQLException ex) {
			throw new UncheckedIOException(new IOException("cannot read the facts of file " + fileId, ex));
		}
	}

	private static Line line(ResultSet rs) throws SQLException {
		Long input = rs.getObject(8, Long.class);
		Tokens tokens = (input == null) ? null
				: new Tokens(input, number(rs, 9), number(rs, 10), number(rs, 11), number(rs, 12));
		return new Line(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getObject(4, Long.class), rs.getString(5),
				rs.getBoolean(6), rs.getString(7), tokens, preview(rs.getString(13), rs.getBoolean(14)));
	}

	private static long number(ResultSet rs, int column) throws SQLException {
		Long value = rs.getObject(column, Long.class);
		return (value != null) ? value : 0L;
	}

	/**
	 * Text stripped and cut to {@value SessionFacts#PREVIEW_CHARS} characters (a cut one
	 * ends with {@code …}); {@code null} for none.
	 * @param more whether the line's text goes on past what was read
	 */
	static String preview(String text, boolean more) {
		if (text == null) {
			return null;
		}
		String t = text.strip();
		if (!more && t.length() <= PREVIEW_CHARS) {
			return t;
		}
		int end = Math.min(t.length(), PREVIEW_CHARS - 1);
		// never half a surrogate pair
		if (end > 0 && end < t.length() && Character.isHighSurrogate(t.charAt(end - 1))) {
			end--;
		}
		return t.substring(0, end) + "…";
	}

	/** The DuckDB list literal of files the database recorded. */

}
