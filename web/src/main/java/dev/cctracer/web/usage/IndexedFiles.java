package dev.cctracer.web.usage;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.discovery.SafePaths;

/**
 * The indexed transcript files, as the other features ask for them: a session's or a
 * subagent's transcript, a project's existence, the admin console's file table.
 */
@Service
@Transactional(readOnly = true)
public class IndexedFiles {

	/** The admin console's page size (files). */
	public static final int PAGE = 100;

	private final FileQueries queries;

	IndexedFiles(FileQueries queries) {
		this.queries = queries;
	}

	/**
	 * An indexed transcript.
	 *
	 * @param id row id
	 * @param root projects dir
	 * @param relPath path below it
	 * @param kind layout ({@code MAIN} for a session's own transcript)
	 * @param agentId subagent id, or {@code null}
	 * @param generation bumped by every rewrite
	 * @param committedOffset how far the file is known to hold complete lines (bytes)
	 */
	public record FileRef(long id, String root, String relPath, String kind, String agentId, int generation,
			long committedOffset) {

		/** Whether this is a session's own transcript (not a subagent's). */
		public boolean main() {
			return "MAIN".equals(this.kind);
		}

		/** The session's own transcript among its files, or {@code null} for none. */
		public static FileRef mainOf(List<FileRef> files) {
			return files.stream().filter(FileRef::main).findFirst().orElse(null);
		}

		/**
		 * Whether the transcript can be read on this machine's disk: registered under its
		 * root ({@link SafePaths#registered}), with the ingest's rule for links.
		 * @param followLinks {@code cctracer.ingest.follow-links}
		 */
		public boolean onThisDisk(boolean followLinks) {
			try {
				return SafePaths.registered(Path.of(this.root), this.relPath, followLinks).isPresent();
			}
			catch (InvalidPathException ex) {
				return false;
			}
		}

	}

	/**
	 * One file's ingest state, for the admin console.
	 *
	 * @param committedOffset bytes known to hold complete lines
	 * @param size bytes seen at the last scan
	 * @param status {@code ingested}; {@code pending} (changed since its last read, as
	 * the index status counts it); {@code partial line} (read to its end, which is a line
	 * without its newline yet: Claude Code writing it, counted once it ends); or
	 * {@code deleted}
	 * @param lastIngestAt epoch milliseconds, or {@code null}
	 * @param notJson whether it holds malformed lines and nothing a transcript holds (a
	 * binary file named as one: it lists no session)
	 */
	public record FileRow(long id, String root, String relPath, String kind, long committedOffset, long size,
			String status, long lines, long invalidLines, long overlongLines, int generation, Long lastIngestAt,
			boolean notJson) {

	}

	/**
	 * The main transcript of a session.
	 * @throws Ids.InvalidIdException when the project dir or session id is malformed
	 */
	public Optional<FileRef> mainFile(String project, String session) {
		return this.queries.mainFile(Ids.requireProjectDir(project), Ids.requireSessionId(session));
	}

	/**
	 * The main transcript of every session, by {@code <project>/<session>}: one query for
	 * a list of sessions.
	 */
	public Map<String, FileRef> mainFiles() {
		return this.queries.mainFiles();
	}

	/**
	 * A subagent's transcript in a session.
	 * @throws Ids.InvalidIdException when an id is malformed
	 */
	public Optional<FileRef> subagentFile(String project, String session, String agent) {
		return this.queries.subagentFile(Ids.requireProjectDir(project), Ids.requireSessionId(session), agent);
	}

	/**
	 * A session's indexed transcripts: those on this machine's disk and those not (each
	 * list main file first): removed from it (Claude Code removes transcripts older than
	 * its {@code cleanupPeriodDays}; their totals stay) or logged on another machine (a
	 * teammate's, in a team database). What reads transcripts covers the first; the
	 * others are known by their totals and their facts.
	 *
	 * @param onDisk the transcripts on this machine's disk
	 * @param removed the others
	 * @param elsewhere ids of those of {@code removed} still live on another machine
	 */
	public record SessionFiles(List<FileRef> onDisk, List<FileRef> removed, Set<Long> elsewhere) {

		/** Whether it has transcripts and none of them is on the disk any more. */
		public boolean allRemoved() {
			return this.onDisk.isEmpty() && !this.removed.isEmpty();
		}

	}

	/**
	 * Lines of a session's transcripts the ingest skipped: what they hold is not counted.
	 *
	 * @param invalid not a JSON object (malformed, cut, binary)
	 * @param overlong over the line cap ({@code cctracer.ingest.max-line-bytes}, 64 MiB)
	 */
	public record SkippedLines(long invalid, long overlong) {

		/** Every skipped line. */
		public long total() {
			return this.invalid + this.overlong;
		}

	}

	/**
	 * The lines of a session's transcripts (its subagents' included) the ingest skipped.
	 * @throws Ids.InvalidIdException when an id is malformed
	 */
	public SkippedLines skippedLines(String project, String session) {
		return this.queries.skippedLines(Ids.requireProjectDir(project), Ids.requireSessionId(session));
	}

	/**
	 * A session's transcripts on the disk and removed from it, in one read.
	 * @throws Ids.InvalidIdException when an id is malformed
	 */
	public SessionFiles sessionFilesWithRemoved(String project, String session) {
		return this.queries.sessionFilesWithRemoved(Ids.requireProjectDir(project), Ids.requireSessionId(session));
	}

	/**
	 * The tool calls the totals count for each of these files, by file id: those of the
	 * responses counted in the file (a response copied into several files counts in one)
	 * and of its lines without usage.
	 */
	public Map<Long, Long> countedToolCalls(List<FileRef> files) {
		return this.queries.countedToolCalls(files.stream().map(FileRef::id).toList());
	}

	/**
	 * The responses whose usage the totals count in this file: its counted copies'
	 * {@code message.id} and {@code requestId} (a response copied into another file, a
	 * sidechain copy of a response that has a main one, counts once, elsewhere).
	 */
	public CountedResponses countedResponses(FileRef file) {
		return new CountedResponses(this.queries.countedResponses(file.id()));
	}

	/**
	 * What {@link #countedResponses} answers.
	 *
	 * @param keys the {@link #key} of each counted copy of a response in the file
	 */
	public record CountedResponses(Set<String> keys) {

		/**
		 * A copy's key: {@code message.id}, {@code requestId} ({@code ""} for none) and
		 * whether it is a sidechain's, joined by {@code '\n'} — a file's copies as the
		 * ingest keeps them (a sidechain's copy of a response and the main transcript's
		 * are two, and only the latter counts).
		 */
		static String key(String messageId, String requestId, boolean sidechain) {
			return messageId + "\n" + ((requestId != null) ? requestId : "") + "\n" + sidechain;
		}

		/**
		 * Whether the totals count this file's copy of the response (its sidechain's or
		 * its main transcript's); a line without {@code message.id} is never
		 * deduplicated, so it always counts.
		 */
		public boolean counts(String messageId, String requestId, boolean sidechain) {
			return messageId == null || this.keys.contains(key(messageId, requestId, sidechain));
		}

	}

	/**
	 * Whether any file of a project is indexed.
	 * @throws Ids.InvalidIdException when the project dir is malformed
	 */
	public boolean projectExists(String project) {
		return this.queries.projectExists(Ids.requireProjectDir(project));
	}

	/**
	 * Where a project dir's sessions are on disk now, when it was renamed or moved: the
	 * project dir with live transcripts of most of them.
	 * @throws Ids.InvalidIdException when the name is no project dir's
	 */
	public Optional<String> projectMovedTo(String project) {
		return this.queries.projectMovedTo(Ids.requireProjectDir(project));
	}

	/**
	 * Whether any file of a project's session is indexed.
	 * @throws Ids.InvalidIdException when the project dir or the session id is malformed
	 */
	public boolean sessionExists(String project, String session) {
		return this.queries.sessionExists(Ids.requireProjectDir(project), Ids.requireSessionId(session));
	}

	/**
	 * The {@code tool_use_id}s of failed calls this session's transcripts hold that
	 * another session counts (a fork's copies, a copied transcript's): not this session's
	 * errors; a new, modifiable set.
	 * @throws Ids.InvalidIdException when the project dir or session id is malformed
	 */
	public Set<String> failuresCountedElsewhere(String project, String session) {
		return this.queries.failuresCountedElsewhere(Ids.requireProjectDir(project), Ids.requireSessionId(session));
	}

	/**
	 * Whether any project has transcripts of this session.
	 * @throws Ids.InvalidIdException when the id is malformed
	 */
	public boolean sessionExistsAnywhere(String session) {
		return this.queries.projectOfSession(Ids.requireSessionId(session)).isPresent();
	}

	/**
	 * Page {@code page} (from 1) of {@link #PAGE} files, most recently ingested first.
	 */
	public List<FileRow> page(int page) {
		return this.queries.filePage(PAGE, (long) Math.max(0, page - 1) * PAGE);
	}

	/**
	 * The transcripts on disk with the most malformed or over-long lines (at most
	 * {@link #PAGE}), most first: where the overview's data-quality banner sends the user
	 * (the files table, most recently ingested first, did not name them).
	 */
	public List<FileRow> withSkippedLines() {
		return this.queries.filesWithSkippedLines(PAGE);
	}

}
