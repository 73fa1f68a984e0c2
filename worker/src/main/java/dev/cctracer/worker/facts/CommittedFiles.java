package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongConsumer;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.facts.FactSegmentRepository.FactFile;
import dev.cctracer.db.facts.FactSegmentRepository.Segment;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * The indexed transcripts as DuckDB reads them: the batches holding the current fact
 * segments of every indexed file, deleted ones too (brought up to the committed offsets
 * of this machine's files first), the segments themselves (which lines of the batches
 * count), and each file with its project, session, agent and counted totals.
 */
public final class CommittedFiles {

	/**
	 * Where a file DuckDB reads belongs.
	 *
	 * @param totals its counted totals: messages, input, output, cache write 5m and 1h,
	 * cache read (tokens)
	 * @param current whether its facts cover its committed bytes
	 * @param deleted whether the file is gone from disk, its history kept (it loses the
	 * dedup rule's ties to a file on disk)
	 */
	public record FileMeta(long id, String realPath, String relPath, String project, String session, String agent,
			long[] totals, boolean current, boolean deleted) {

	}

	private final List<FileMeta> all = new ArrayList<>();

	private final List<String> entryPaths = new ArrayList<>();

	private final List<String> toolPaths = new ArrayList<>();

	private final List<Segment> segments = new ArrayList<>();

	private int lagging;

	private int incomplete;

	private CommittedFiles() {
	}

	/**
	 * Brings the facts of this machine's files up to their committed offsets, then lists
	 * every indexed file (a deleted one's history counts, as in the totals), its current
	 * segments and their batches. A batch whose files are gone (removed by hand, or
	 * shared storage lost them) has its segments forgotten, so the next sync of their
	 * origin writes them again; their files count as lagging meanwhile (as incomplete for
	 * good if they are marked deleted: nothing can write their facts again).
	 * @param progress receives the number of files looked at so far
	 * @throws IOException when a batch cannot be written
	 * @throws SQLException when DuckDB fails to write one
	 */
	static CommittedFiles prepare(FactSegmentRepository segments, FactsStore facts, LongConsumer progress)
			throws IOException, SQLException {
		// the files the sync read: their ids, kinds and totals do not change with facts
		List<FactFile> active = facts.sync(progress).files();
		List<Segment> recorded = segments.currentSegments();
		Map<String, Boolean> batches = new HashMap<>();
		if (forgetUnreadable(segments, facts, recorded, batches) > 0) {
			// written again from the logs now, for this answer
			// the batches looked at stay known: the forgotten ones are named no more
			active = facts.sync(progress).files();
			recorded = segments.currentSegments();
		}
		CommittedFiles files = new CommittedFiles();
		Map<Long, Long> reach = new HashMap<>();
		for (Segment s : recorded) {
			boolean present = batches.computeIfAbsent(s.entriesPath(), (p) -> FactParquet.batch(facts.resolve(p),
					facts.resolve(s.toolsPath())) == FactParquet.State.INTACT);
			if (!present) {
				// damaged since the look above: read from the transcript this time
				continue;
			}
			files.segments.add(s);
			// segments are contiguous from 0 (FactSegmentRepository#insert): the reach of
			// a file's readable facts is where its first gap or its last segment ends
			long before = reach.getOrDefault(s.fileId(), 0L);
			if (before == s.fromOffset()) {
				reach.put(s.fileId(), s.toOffset());
			}
		}
		batches.forEach((path, present) -> {
			if (present) {
				files.entryPaths.add(facts.resolve(path).toString());
				files.toolPaths.add(facts.resolve(FactsStore.toolsPathOf(path)).toString());
			}
		});
		for (FactFile f : active) {
			String agent = "MAIN".equals(f.kind()) ? null : f.agentId();
			boolean current = reach.getOrDefault(f.id(), 0L) >= f.committedOffset();
			if (!current && f.deleted()) {
				files.incomplete++;
			}
			else if (!current) {
				files.lagging++;
			}
			files.all
				.add(new FileMeta(f.id(), Path.of(f.root()).resolve(f.relPath()).toString(), f.relPath(),
						f.projectDir(), f.sessionId(), agent, new long[] { f.messages(), f.inputTokens(),
								f.outputTokens(), f.cacheWrite5m(), f.cacheWrite1h(), f.cacheRead() },
						current, f.deleted()));
		}
		return files;
	}

	/**
	 * Forgets the segments whose batch is gone or damaged ({@link FactParquet#state}: cut
	 * short, overwritten, removed by hand or lost by shared storage) and removes a
	 * damaged batch's files (a DuckDB read of one failed every analytic until it was put
	 * back by hand). The origin's next sync writes each lost segment again from the
	 * transcript, into its gap alone when later segments follow it
	 * ({@code FactFile#gapEnd}): writing the file again from the gap instead would count
	 * the later lines twice through the batches other files share. A batch whose frame
	 * cannot be read for another reason (permissions, too many open files) is left as it
	 * is.
	 * @param current the current segments, by file and offset
	 * @param intact receives whether each batch (by its entries path) is intact
	 * @return the segments forgotten
	 * @throws FactsNotSharedException when this facts dir holds nothing of another
	 * machine whose segments the database records (no {@code origin=<origin>} directory):
	 * this process does not share the team's facts dir, or its mount is away; forgetting
	 * there erased every other machine's facts for all, and an answer without them was
	 * cached as right (a team trial). Nothing is forgotten then.
	 */
	static int forgetUnreadable(FactSegmentRepository segments, FactsStore facts, List<Segment> current,
			Map<String, Boolean> intact) {
		String mine = "origin=" + FactsStore.dirName(facts.origin());
		Set<String> absent = new TreeSet<>();
		Set<String> looked = new HashSet<>();
		for (Segment s : current) {
			int slash = s.entriesPath().indexOf('/');
			String machine = (slash > 0) ? s.entriesPath().substring(0, slash) : "";
			if (!machine.isEmpty() && !machine.equals(mine) && looked.add(machine)
					&& !Files.isDirectory(facts.resolve(machine))) {
				absent.add(machine);
			}
		}
		if (!absent.isEmpty()) {
			throw new FactsNotSharedException(absent);
		}
		Map<String, FactParquet.State> states = new HashMap<>();
		int forgotten = 0;
		for (Segment s : current) {
			FactParquet.State state = states.computeIfAbsent(s.entriesPath(),
					(p) -> FactParquet.batch(facts.resolve(p), facts.resolve(s.toolsPath())));
			intact.put(s.entriesPath(), state == FactParquet.State.INTACT);
			if (state == FactParquet.State.DAMAGED || state == FactParquet.State.MISSING) {
				segments.delete(s);
				forgotten++;
			}
		}
		// a damaged one is removed (said once); one already gone is just forgotten
		states.forEach((path, state) -> {
			if (state == FactParquet.State.DAMAGED) {
				facts.setAsideDamaged(path);
			}
		});
		return forgotten;
	}

	/** The current segments read: which lines of each batch count. */
	public List<Segment> segments() {
		return this.segments;
	}

	/** Whether there is nothing to read (no fact segment). */
	public boolean isEmpty() {
		return this.entryPaths.isEmpty();
	}

	/** Every indexed file, read or not, deleted ones too. */
	public List<FileMeta> all() {
		return this.all;
	}

	/** The batches read. */
	public int batches() {
		return this.entryPaths.size();
	}

	/**
	 * Indexed files, not deleted, whose facts do not reach their committed offset:
	 * another machine's files its worker has not written facts for yet (team mode), or
	 * segments lost (written again by their origin's next sync).
	 */
	public int lagging() {
		return this.lagging;
	}

	/**
	 * Files marked deleted before their facts reached their committed offset: their facts
	 * cannot be completed any more (the transcript is gone), while their totals keep
	 * counting.
	 */
	public int incomplete() {
		return this.incomplete;
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
