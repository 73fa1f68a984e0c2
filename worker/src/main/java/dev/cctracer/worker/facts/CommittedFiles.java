package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FactSegmentRepository.FactFile;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The indexed transcripts as DuckDB reads them: the current fact segments of every active
 * file (brought up to the committed offsets of this machine's files first), each file
 * with its project, session, agent and counted totals.
 */
public final class CommittedFiles {

	/**
	 * Where a file DuckDB reads belongs.
	 *
	 * @param totals its counted totals: messages, input, output, cache write 5m and 1h,
	 * cache read (tokens)
	 * @param current whether its facts cover its committed bytes
	 */
	public record FileMeta(long id, String realPath, String relPath, String project, String session, String agent,
			long[] totals, boolean current) {

	}

	private final List<FileMeta> all = new ArrayList<>();

	private final List<String> entryPaths = new ArrayList<>();

	private final List<String> toolPaths = new ArrayList<>();

	private int lagging;

	private int deleted;

	private CommittedFiles() {
	}

	/**
	 * Brings the facts of this machine's files up to their committed offsets, then lists
	 * every active file and its current segments. A segment whose files are gone (removed
	 * by hand, or shared storage lost them) is forgotten, so the next sync of its origin
	 * writes it again; its file counts as lagging meanwhile.
	 * @param progress receives the number of files looked at so far
	 * @throws IOException when a segment cannot be written
	 * @throws SQLException when DuckDB fails to write one
	 */
	static CommittedFiles prepare(FactSegmentRepository segments, FactsStore facts, LongConsumer progress)
			throws IOException, SQLException {
		facts.sync(progress);
		CommittedFiles files = new CommittedFiles();
		files.deleted = segments.deletedFiles();
		Map<Long, Long> readable = new HashMap<>();
		for (Segment s : segments.currentSegments()) {
			Path entries = facts.resolve(s.entriesPath());
			Path tools = facts.resolve(s.toolsPath());
			if (!Files.isRegularFile(entries) || !Files.isRegularFile(tools)) {
				segments.delete(s);
				readable.put(s.fileId(), -1L);
				continue;
			}
			if (readable.getOrDefault(s.fileId(), 0L) < 0) {
				continue;
			}
			files.entryPaths.add(entries.toString());
			files.toolPaths.add(tools.toString());
			readable.merge(s.fileId(), s.toOffset(), Math::max);
		}
		for (FactFile f : segments.activeFiles()) {
			String agent = "MAIN".equals(f.kind()) ? null : f.agentId();
			boolean current = readable.getOrDefault(f.id(), 0L) >= f.committedOffset();
			if (!current) {
				files.lagging++;
			}
			files.all.add(new FileMeta(f.id(), Path.of(f.root()).resolve(f.relPath()).toString(), f.relPath(),
					f.projectDir(), f.sessionId(), agent, new long[] { f.messages(), f.inputTokens(), f.outputTokens(),
							f.cacheWrite5m(), f.cacheWrite1h(), f.cacheRead() },
					current));
		}
		return files;
	}

	/** Whether there is nothing to read (no fact segment). */
	public boolean isEmpty() {
		return this.entryPaths.isEmpty();
	}

	/** Every active file, read or not. */
	public List<FileMeta> all() {
		return this.all;
	}

	/** The fact segments read. */
	public int segments() {
		return this.entryPaths.size();
	}

	public int deleted() {
		return this.deleted;
	}

	/**
	 * Indexed files whose facts do not reach their committed offset: another machine's
	 * files its worker has not written facts for yet (team mode), or segments lost.
	 */
	public int lagging() {
		return this.lagging;
	}

	/** The DuckDB list literal of the entries files (paths from the index only). */
	public String entriesLiteral() {
		return literal(this.entryPaths);
	}

	/** The DuckDB list literal of the tool-block files. */
	public String toolsLiteral() {
		return literal(this.toolPaths);
	}

	private static String literal(Iterable<String> paths) {
		StringBuilder list = new StringBuilder();
		for (String p : paths) {
			list.append((list.length() > 0) ? ", " : "").append(DuckDbEngine.literal(p));
		}
		return "[" + list + "]";
	}

}
