package dev.cctracer.web.usage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import dev.cctracer.db.support.RecordRowMapper;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.web.usage.IndexedFiles.FileRef;
import dev.cctracer.web.usage.IndexedFiles.FileRow;
import dev.cctracer.web.usage.IndexedFiles.SessionFiles;
import dev.cctracer.worker.TracerProperties;

/**
 * The web's every read of {@code source_file}: the indexed transcripts with their counted
 * per-file totals and labels. Rows are read by column name.
 */
@Repository
class FileQueries {

	private static final String FILE_REF_COLUMNS = "id, root, rel_path, kind, agent_id, generation, committed_offset";

	/** A session's files ({@code :p}, {@code :s}) as {@link FileRef} rows. */
	private static final String FILE_REF = "SELECT " + FILE_REF_COLUMNS
			+ " FROM source_file WHERE project_dir = :p AND session_id = :s";

	private final JdbcClient jdbc;

	/**
	 * {@code cctracer.ingest.follow-links}: whether a linked transcript is on this disk
	 * when its link leaves its root, as the transcript reader decides it.
	 */
	private final boolean followLinks;

	FileQueries(JdbcClient jdbc, TracerProperties properties) {
		this.jdbc = jdbc;
		this.followLinks = properties.ingest().followLinks();
	}

	/** One project's totals and activity (epoch milliseconds). */
	record ProjectRow(String projectDir, long sessions, Long firstTs, Long lastTs, Sums sums) {

	}

	/** One session's files folded together (instants in epoch milliseconds). */
	record SessionRow(String sessionId, Long firstTs, Long lastTs, long toolUses, long toolErrors, long subagentFiles,
			long lastSeenMtime, long summaries, boolean interrupted, long lines, Sums sums, String customTitle,
			String aiTitle, String agentName, String cwd, long apiErrors) {

		/**
		 * The session's title: its custom title, else its AI title, else {@code null}.
		 */
		String title() {
			return (this.customTitle != null) ? this.customTitle : this.aiTitle;
		}

	}

	/** What a subagent's transcript and meta file say of it. */
	record AgentLabels(String type, String description, String name) {

		static final AgentLabels NONE = new AgentLabels(null, null, null);

	}

	/** Per-origin totals (a machine of a team database). */
	record OriginRow(String origin, long files, long sessions, Long firstTs, Long lastTs, Sums sums) {

	}

	/** Labels per subagent id of a session (from its subagent files). */
	Map<String, AgentLabels> agentLabels(String projectDir, String sessionId) {
		Map<String, AgentLabels> labels = new HashMap<>();
		this.jdbc.sql("""
				SELECT agent_id, agent_type, agent_description, agent_name FROM source_file
				WHERE project_dir = :p AND session_id = :s AND kind <> 'MAIN' AND agent_id IS NOT NULL
				""").param("p", projectDir).param("s", sessionId).query((rs) -> {
			labels.put(rs.getString("agent_id"), new AgentLabels(rs.getString("agent_type"),
					rs.getString("agent_description"), rs.getString("agent_name")));
		});
		return labels;
	}

	/** The session a subagent file of a project belongs to (the first, by session id). */
	Optional<String> sessionOfAgent(String projectDir, String agentId) {
		return this.jdbc.sql("""
				SELECT MIN(session_id) FROM source_file
				WHERE project_dir = :p AND agent_id = :a AND kind <> 'MAIN' AND session_id IS NOT NULL
				""").param("p", projectDir).param("a", agentId).query(String.class).optional();
	}

	/**
	 * Every project dir with its totals, but one whose transcripts are all deleted and
	 * count nothing (a project dir renamed: its history counts under the new name, see
	 * {@link #LEFT_BEHIND}).
	 */
	List<ProjectRow> projects() {
		return this.jdbc
			.sql("SELECT t.project_dir, COUNT(DISTINCT CASE WHEN " + KEPT
					+ " THEN t.session_id END) AS sessions, MIN(t.first_ts) AS first_ts, MAX(t.last_ts) AS last_ts, "
					+ Sums.select("t") + "FROM source_file t GROUP BY t.project_dir" + LEFT_BEHIND)
			.query((rs, i) -> new ProjectRow(rs.getString("project_dir"), rs.getLong("sessions"),
					rs.getObject("first_ts", Long.class), rs.getObject("last_ts", Long.class), Sums.read(rs)))
			.list();
	}

	List<OriginRow> origins() {
		return this.jdbc.sql("""
				SELECT t.origin, SUM(CASE WHEN t.deleted THEN 0 ELSE 1 END) AS files,
				  COUNT(DISTINCT t.session_id) AS sessions, MIN(t.first_ts) AS first_ts, MAX(t.last_ts) AS last_ts,
				""" + Sums.select("t") + "FROM source_file t GROUP BY t.origin")
			.query((rs, i) -> new OriginRow(rs.getString("origin"), rs.getLong("files"), rs.getLong("sessions"),
					rs.getObject("first_ts", Long.class), rs.getObject("last_ts", Long.class), Sums.read(rs)))
			.list();
	}

	/** The config dirs each origin indexes (its files' roots). */
	Map<String, List<String>> rootsByOrigin() {
		Map<String, List<String>> roots = new TreeMap<>();
		this.jdbc.sql("SELECT DISTINCT origin, root FROM source_file WHERE deleted = FALSE ORDER BY origin, root")
			.query((rs) -> {
				roots.computeIfAbsent(rs.getString("origin"), (k) -> new ArrayList<>()).add(rs.getString("root"));
			});
		return roots;
	}

	/**
	 * The lines of a session's transcripts (its subagents' included) the ingest skipped.
	 */
	IndexedFiles.SkippedLines skippedLines(String projectDir, String sessionId) {
		return this.jdbc
			.sql("SELECT COALESCE(SUM(invalid_lines), 0) AS invalid, COALESCE(SUM(overlong_lines), 0) AS overlong "
					+ "FROM source_file WHERE project_dir = :p AND session_id = :s")
			.param("p", projectDir)
			.param("s", sessionId)
			.query(RecordRowMapper.of(IndexedFiles.SkippedLines.class))
			.single();
	}

	boolean sessionExists(String projectDir, String sessionId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE project_dir = :p AND session_id = :s")
			.param("p", projectDir)
			.param("s", sessionId)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * The project dir of a session known by its id alone (a status line knows no
	 * project): where its transcripts were last active, when two projects hold one (a
	 * session moved or resumed in another dir).
	 */
	Optional<String> projectOfSession(String sessionId) {
		return this.jdbc
			.sql("SELECT project_dir FROM source_file WHERE session_id = :s GROUP BY project_dir "
					+ "ORDER BY MAX(COALESCE(last_ts, 0)) DESC, MIN(CASE WHEN deleted THEN 1 ELSE 0 END), project_dir"
					+ " FETCH FIRST 1 ROW ONLY")
			.param("s", sessionId)
			.query(String.class)
			.optional();
	}

	/**
	 * Where a project dir's sessions are on disk now (a project dir renamed or moved):
	 * the other project dir with live transcripts of most of them, if any.
	 */
	Optional<String> projectMovedTo(String projectDir) {
		return this.jdbc
			.sql("""
					SELECT n.project_dir FROM source_file n WHERE NOT n.deleted AND n.project_dir <> :p AND n.session_id IN (
					  SELECT o.session_id FROM source_file o WHERE o.project_dir = :p AND o.session_id IS NOT NULL)
					GROUP BY n.project_dir ORDER BY COUNT(DISTINCT n.session_id) DESC, n.project_dir FETCH FIRST 1 ROW ONLY
					""")
			.param("p", projectDir)
			.query(String.class)
			.optional();
	}

	boolean projectExists(String projectDir) {
		return this.jdbc.sql("SELECT COUNT(*) FROM source_file WHERE project_dir = :p")
			.param("p", projectDir)
			.query(Long.class)
			.single() > 0;
	}

	/**
	 * Which of a project's files names its display path: main files first, then the
	 * earliest.
	 */
	private static final String PATH_ORDER = "ORDER BY CASE WHEN kind = 'MAIN' THEN 0 ELSE 1 END, COALESCE(first_ts, 0), id";

	/**
	 * Display path per project: the cwd of its earliest main file (else of any file),
	 * redacted like every transcript string.
	 */
	Map<String, String> projectPaths() {
		Map<String, String> paths = new HashMap<>();
		this.jdbc.sql("SELECT project_dir, cwd FROM source_file WHERE cwd IS NOT NULL " + PATH_ORDER).query((rs) -> {
			String cwd = rs.getString("cwd");
			paths.computeIfAbsent(rs.getString("project_dir"), (p) -> Redactor.redact(cwd));
		});
		return paths;
	}

	/**
	 * One project's display path, as {@link #projectPaths()} gives it, read from that
	 * project's files only (its index on {@code project_dir}): a session page read every
	 * project's files for it, half a page's time with 15,000 files (p50 30 to 15 ms).
	 * @return the redacted cwd, or empty when no file of the project names one
	 */
	Optional<String> projectPath(String projectDir) {
		return this.jdbc
			.sql("SELECT cwd FROM source_file WHERE project_dir = :p AND cwd IS NOT NULL " + PATH_ORDER
					+ " FETCH FIRST 1 ROW ONLY")
			.param("p", projectDir)
			.query(String.class)
			.optional()
			.map(Redactor::redact);
	}

	/**
	 * What tells one API error of a session ({@code api_error e} joined to its
	 * {@code source_file f}) from another: a side question's transcript replays a notice
	 * with the same time, kind and text.
	 */
	static final String API_ERROR_KEY = "f.project_dir, COALESCE(f.session_id, CAST(f.id AS VARCHAR)), e.ts, e.kind, e.text";

	/**
	 * Per session of project {@code :p}, the API errors another of its transcripts logged
	 * already: a side question's transcript replays the session's lines, its API error
	 * notices with them (the same time, kind and text); each counts once.
	 */
	private static final String REPLAYED_API_ERRORS = replayed("api_error", "e.ts, e.kind, e.text");

	/**
	 * Per session of project {@code :p}, the failed tool results another of its
	 * transcripts logged already: a side question's transcript replays the session's
	 * lines, failed results with them (the same call, {@code tool_use_id}); each counts
	 * once.
	 */
	private static final String REPLAYED_TOOL_ERRORS = replayed("tool_error", "e.tool_use_id");

	/**
	 * A failed tool result ({@code tool_error e} of file {@code f}) that another
	 * session's transcript holds and counts instead: the copy that comes first as the
	 * dedup's ties go ({@link dev.cctracer.shared.usage.Dedup#BEST_FIRST}: not a fork's
	 * copy ({@code forkedFrom}), then on disk before deleted, then path order), where the
	 * call's response and its tool calls count too. A fork's copy yields to the session
	 * it was forked from; a transcript copied into another project dir or restored under
	 * another name (nothing in it says which came first) to the first path (a trial's
	 * copy read "Tool calls 0, 2 errors", the sessions' errors summing to 61 where the
	 * tool statistics said 59). So each failed call counts in one session, and a
	 * project's sessions add up to its failures.
	 */
	private static final String FAILED_ELSEWHERE = """
			EXISTS (
			  SELECT 1 FROM tool_error o JOIN source_file g ON g.id = o.file_id
			  WHERE o.tool_use_id = e.tool_use_id AND g.session_id IS NOT NULL
			    AND (g.session_id <> f.session_id OR g.project_dir <> f.project_dir)
			    AND ((o.forked = FALSE AND e.forked = TRUE)
			      OR (o.forked = e.forked AND ((g.deleted = FALSE AND f.deleted = TRUE)
			        OR (g.deleted = f.deleted AND g.path_order < f.path_order)))))""";

	/**
	 * Per session of project {@code :p}, the failed tool results its transcripts hold
	 * that another session's transcript counts ({@link #FAILED_ELSEWHERE}): a fork's
	 * copies of the original session's failures, and a copied transcript's of the first
	 * copy's — counted where the call's tokens and cost count, each call once. Its
	 * {@code %s} takes a further condition on the file {@code f}, or nothing.
	 */
	private static final String COPIED_TOOL_ERRORS = """
			SELECT f.session_id, COUNT(DISTINCT e.tool_use_id) AS copied FROM tool_error e
			JOIN source_file f ON f.id = e.file_id
			WHERE f.project_dir = :p AND f.session_id IS NOT NULL%%s AND (%s)
			GROUP BY f.session_id""".formatted(FAILED_ELSEWHERE);

	/**
	 * The calls whose failure the transcripts of this session hold and another session
	 * counts ({@link #FAILED_ELSEWHERE}): a fork's copies, a copied transcript's.
	 */
	Set<String> failuresCountedElsewhere(String projectDir, String sessionId) {
		return new HashSet<>(this.jdbc.sql("""
				SELECT DISTINCT e.tool_use_id FROM tool_error e JOIN source_file f ON f.id = e.file_id
				WHERE f.project_dir = :p AND f.session_id = :s AND (%s)
				""".formatted(FAILED_ELSEWHERE))
			.param("p", projectDir)
			.param("s", sessionId)
			.query(String.class)
			.list());
	}

	/**
	 * Per session of project {@code :p}, how many rows of {@code table} repeat another of
	 * the same session that is the same by {@code sameBy} (columns of {@code e}); its
	 * {@code %s} takes a further condition on the file {@code f} (e.g. one session), or
	 * nothing.
	 */
	private static String replayed(String table, String sameBy) {
		return """
				SELECT d.session_id, SUM(d.n - 1) AS replayed FROM (
				  SELECT f.session_id, COUNT(*) AS n FROM %s e JOIN source_file f ON f.id = e.file_id
				  WHERE f.project_dir = :p AND f.session_id IS NOT NULL%%s
				  GROUP BY f.session_id, %s HAVING COUNT(*) > 1) d
				GROUP BY d.session_id""".formatted(table, sameBy);
	}

	/**
	 * A file ({@code t}) with malformed lines and nothing a transcript holds — no line
	 * with a time, no response, no summary, no entry of an unknown type: a binary or
	 * foreign file named as a transcript (a trial's 200 KB of random bytes was a
	 * "completed" session of 0 messages; its blank lines, which are no malformed lines,
	 * left a first test of "every line malformed" short). Its lines are counted malformed
	 * and it is named in the console's list of files with skipped lines; it lists no
	 * session.
	 */
	private static final String NOT_JSON = "(t.invalid_lines > 0 AND t.first_ts IS NULL AND t.messages = 0 AND t.summaries = 0"
			+ " AND t.usage_lines = 0 AND t.unknown_type_lines = 0)";

	/**
	 * A file ({@code t}) that keeps its group listed: on disk with a JSON line (or none
	 * yet), or counting a message.
	 */
	private static final String KEPT = "(t.messages > 0 OR (NOT t.deleted AND NOT " + NOT_JSON + "))";

	/**
	 * Keeps a group of files ({@code t}) unless all are deleted and none counts a
	 * message: what a renamed or moved project dir leaves behind (its deleted rows lose
	 * the dedup's ties to the same lines under the new name), and a deleted transcript
	 * that never counted anything.
	 */
	private static final String LEFT_BEHIND = " HAVING MAX(CASE WHEN " + KEPT + " THEN 1 ELSE 0 END) = 1";

	/**
	 * A project's sessions (but those {@link #LEFT_BEHIND}), or one of them
	 * ({@code sessionId} not {@code null}, whatever is left of it); an API error or a
	 * failed tool result a side question replays counts once
	 * ({@link #REPLAYED_API_ERRORS}, {@link #REPLAYED_TOOL_ERRORS}), and a copy of
	 * another session's failed result (a fork's, a copied transcript's) counts there only
	 * ({@link #COPIED_TOOL_ERRORS}).
	 */
	List<SessionRow> sessions(String projectDir, String sessionId) {
		String where = (sessionId != null) ? " AND t.session_id = :s" : "";
		// the corrections of one session are computed for it alone, not for the project
		String only = (sessionId != null) ? " AND f.session_id = :s" : "";
		var spec = this.jdbc
			.sql("""
					SELECT t.session_id, MIN(t.first_ts) AS first_ts, MAX(t.last_ts) AS last_ts, SUM(t.tool_uses) AS tool_uses,
					  SUM(t.tool_errors) - COALESCE(MAX(rt.replayed), 0) - COALESCE(MAX(fk.copied), 0) AS tool_errors,
					  COUNT(DISTINCT CASE WHEN t.kind <> 'MAIN' THEN t.rel_path END) AS subagent_files,
					  MAX(t.seen_mtime) AS seen_mtime, SUM(t.summaries) AS summaries,
					  MAX(CASE WHEN t.kind = 'MAIN' AND t.last_interrupted THEN 1 ELSE 0 END) AS interrupted,
					  SUM(t.lines) AS lines, MAX(CASE WHEN t.kind = 'MAIN' THEN t.custom_title END) AS custom_title,
					  MAX(CASE WHEN t.kind = 'MAIN' THEN t.ai_title END) AS ai_title,
					  MAX(CASE WHEN t.kind = 'MAIN' THEN t.agent_name END) AS agent_name,
					  COALESCE(MIN(CASE WHEN t.kind = 'MAIN' THEN t.cwd END), MIN(t.cwd)) AS cwd,
					  SUM(t.api_errors) - COALESCE(MAX(rp.replayed), 0) AS api_errors,
					"""
					+ Sums.select("t") + "FROM source_file t LEFT JOIN (" + REPLAYED_API_ERRORS.formatted(only)
					+ ") rp ON rp.session_id = t.session_id LEFT JOIN (" + REPLAYED_TOOL_ERRORS.formatted(only)
					+ ") rt ON rt.session_id = t.session_id LEFT JOIN (" + COPIED_TOOL_ERRORS.formatted(only)
					+ ") fk ON fk.session_id = t.session_id WHERE t.project_dir = :p AND t.session_id IS NOT NULL"
					+ where + " GROUP BY t.session_id" + ((sessionId != null) ? "" : LEFT_BEHIND))
			.param("p", projectDir);
		if (sessionId != null) {
			spec = spec.param("s", sessionId);
		}
		return spec.query((rs, i) -> new SessionRow(rs.getString("session_id"), rs.getObject("first_ts", Long.class),
				rs.getObject("last_ts", Long.class), rs.getLong("tool_uses"), rs.getLong("tool_errors"),
				rs.getLong("subagent_files"), rs.getLong("seen_mtime"), rs.getLong("summaries"),
				rs.getInt("interrupted") == 1, rs.getLong("lines"), Sums.read(rs), rs.getString("custom_title"),
				rs.getString("ai_title"), rs.getString("agent_name"), rs.getString("cwd"), rs.getLong("api_errors")))
			.list();
	}

	/** The main transcript of a session (a live one before a deleted one). */
	Optional<FileRef> mainFile(String projectDir, String sessionId) {
		return thisDiskFirst(this.jdbc.sql(FILE_REF + " AND kind = 'MAIN' ORDER BY deleted, path_order, id")
			.param("p", projectDir)
			.param("s", sessionId)
			.query(RecordRowMapper.of(FileRef.class))
			.list());
	}

	/**
	 * The main transcript of every session, by {@code project/session} (a live one before
	 * a deleted one).
	 */
	Map<String, FileRef> mainFiles() {
		Map<String, FileRef> files = new HashMap<>();
		this.jdbc.sql("""
				SELECT id, root, rel_path, kind, agent_id, generation, committed_offset, project_dir, session_id
				FROM source_file WHERE kind = 'MAIN' AND session_id IS NOT NULL ORDER BY deleted DESC, id DESC
				""").query((rs) -> {
			files.put(rs.getString("project_dir") + "/" + rs.getString("session_id"),
					new FileRef(rs.getLong("id"), rs.getString("root"), rs.getString("rel_path"), rs.getString("kind"),
							rs.getString("agent_id"), rs.getInt("generation"), rs.getLong("committed_offset")));
		});
		return files;
	}

	/** A subagent's transcript in a session (a live one before a deleted one). */
	Optional<FileRef> subagentFile(String projectDir, String sessionId, String agentId) {
		return thisDiskFirst(
				this.jdbc.sql(FILE_REF + " AND kind <> 'MAIN' AND agent_id = :a ORDER BY deleted, path_order, id")
					.param("p", projectDir)
					.param("s", sessionId)
					.param("a", agentId)
					.query(RecordRowMapper.of(FileRef.class))
					.list());
	}

	/**
	 * A session's indexed transcripts, main file first, in one read: those on this
	 * machine's disk, and those not: removed from it (Claude Code's cleanup), or live in
	 * the database but not here (a teammate's, logged on another machine).
	 */
	SessionFiles sessionFilesWithRemoved(String projectDir, String sessionId) {
		RowMapper<FileRef> ref = RecordRowMapper.of(FileRef.class);
		List<FileRef> live = new ArrayList<>();
		List<FileRef> removed = new ArrayList<>();
		this.jdbc
			.sql("SELECT deleted, " + FILE_REF_COLUMNS + " FROM source_file WHERE project_dir = :p AND session_id = :s"
					+ " ORDER BY CASE WHEN kind = 'MAIN' THEN 0 ELSE 1 END, rel_path, path_order, id")
			.param("p", projectDir)
			.param("s", sessionId)
			.query((rs, i) -> (rs.getBoolean("deleted") ? removed : live).add(ref.mapRow(rs, i)))
			.list();
		// one file per transcript path: this disk's copy first, then another machine's
		// (live), then a removed one
		List<FileRef> here = new ArrayList<>();
		List<FileRef> away = new ArrayList<>();
		for (FileRef f : live) {
			(onThisDisk(f) ? here : away).add(f);
		}
		Set<String> paths = new HashSet<>();
		here = firstPerPath(here, paths);
		List<FileRef> gone = new ArrayList<>(firstPerPath(away, paths));
		Set<Long> elsewhere = new HashSet<>();
		gone.forEach((f) -> elsewhere.add(f.id()));
		gone.addAll(firstPerPath(removed, paths));
		return new SessionFiles(here, gone, elsewhere);
	}

	/**
	 * One file per transcript, by its path below its Claude root, leaving out the paths
	 * already in {@code taken} (to which it adds its own): the same session in two config
	 * dirs (a synced or backed-up {@code ~/.claude} beside the live one; in a team
	 * database, the same transcripts on two machines) is read once. Its responses count
	 * once already (the dedup is global); its subagents, tool calls and prompts were
	 * listed once per copy. Of one path the first by path order is kept: the copy whose
	 * responses count where the copies are the same (the dedup's tie-break), so its
	 * counted tool calls are the session's.
	 * @param refs files in the order to keep (of one path: by path order)
	 */
	private static List<FileRef> firstPerPath(List<FileRef> refs, Set<String> taken) {
		List<FileRef> kept = new ArrayList<>();
		for (FileRef r : refs) {
			if (taken.add(r.relPath())) {
				kept.add(r);
			}
		}
		return kept;
	}

	/**
	 * The first of {@code refs} (a live one before a deleted one, then by path order)
	 * that is on this disk, else the first: a transcript in two config dirs or on two
	 * machines is read here when it can be.
	 */
	private Optional<FileRef> thisDiskFirst(List<FileRef> refs) {
		if (refs.size() > 1) {
			for (FileRef f : refs) {
				if (onThisDisk(f)) {
					return Optional.of(f);
				}
			}
		}
		return refs.stream().findFirst();
	}

	private boolean onThisDisk(FileRef f) {
		return f.onThisDisk(this.followLinks);
	}

	/**
	 * {@code tool_uses} of these files by id: the tool calls of their counted responses
	 * and of their lines without usage.
	 */
	Map<Long, Long> countedToolCalls(List<Long> ids) {
		Map<Long, Long> calls = new HashMap<>();
		if (!ids.isEmpty()) {
			this.jdbc.sql("SELECT id, tool_uses FROM source_file WHERE id IN (:ids)").param("ids", ids).query((rs) -> {
				calls.put(rs.getLong("id"), rs.getLong("tool_uses"));
			});
		}
		return calls;
	}

	/**
	 * The responses a file's counted usage copies stand for, as {@code message.id},
	 * {@code '\n'}, {@code requestId} ({@code ""} when it has none).
	 */
	Set<String> countedResponses(long fileId) {
		Set<String> keys = new HashSet<>();
		this.jdbc.sql("""
				SELECT msg_id, req_id, sidechain FROM usage_copy
				WHERE file_id = :id AND counted = TRUE AND msg_id IS NOT NULL
				""").param("id", fileId).query((rs) -> {
			keys.add(IndexedFiles.CountedResponses.key(rs.getString(1), rs.getString(2), rs.getBoolean(3)));
		});
		return keys;
	}

	/**
	 * A file the scan saw change since its last read: what the index status counts as
	 * pending and the admin console's files table says {@code pending}, one rule for
	 * both.
	 */
	private static final String CHANGED_SINCE_READ = "(seen_size <> size_at_scan OR seen_mtime <> mtime_at_scan)";

	/** One page of indexed files, most recently ingested first. */
	List<FileRow> filePage(int limit, long offset) {
		return this.jdbc.sql(FILE_ROWS + """
				ORDER BY deleted, CASE WHEN last_ingest_at IS NULL THEN 1 ELSE 0 END, last_ingest_at DESC, id
				LIMIT :limit OFFSET :offset
				""").param("limit", limit).param("offset", offset).query(RecordRowMapper.of(FileRow.class)).list();
	}

	/**
	 * The files with the most skipped lines (malformed or over-long), at most
	 * {@code limit}, most skipped first: those Claude Code removed too (status
	 * {@code deleted}), as the index counters' skipped lines count theirs (the overview's
	 * data-quality banner links this list; it had listed the files on disk only).
	 */
	List<FileRow> filesWithSkippedLines(int limit) {
		return this.jdbc.sql(FILE_ROWS + """
				WHERE (invalid_lines > 0 OR overlong_lines > 0)
				ORDER BY invalid_lines + overlong_lines DESC, id
				LIMIT :limit
				""").param("limit", limit).query(RecordRowMapper.of(FileRow.class)).list();
	}

	/** The columns of a {@link FileRow}, from {@code source_file}. */
	private static final String FILE_ROWS = """
			SELECT id, root, rel_path, kind, committed_offset, seen_size AS size,
			  CASE WHEN deleted THEN 'deleted'
			    WHEN %s THEN 'pending'
			    WHEN committed_offset < seen_size THEN 'partial line' ELSE 'ingested' END AS status,
			  lines, invalid_lines, overlong_lines, generation, last_ingest_at,
			  CASE WHEN %s THEN TRUE ELSE FALSE END AS not_json
			FROM source_file t
			""".formatted(CHANGED_SINCE_READ, NOT_JSON);

	/**
	 * The index counters: files known, deleted and pending, committed bytes, lines and
	 * skips (invalid, unknown type, over-long), resets, archived files and their bytes,
	 * API errors.
	 */
	Map<String, Long> indexStatus() {
		return this.jdbc
			.sql("""
					SELECT SUM(CASE WHEN deleted THEN 0 ELSE 1 END) AS n_known, SUM(CASE WHEN deleted THEN 1 ELSE 0 END) AS n_deleted,
					  SUM(CASE WHEN NOT deleted AND %s THEN 1 ELSE 0 END) AS n_pending,
					  COALESCE(SUM(committed_offset), 0) AS n_bytes, COALESCE(SUM(lines), 0) AS n_lines,
					  COALESCE(SUM(invalid_lines), 0) AS n_invalid, COALESCE(SUM(unknown_type_lines), 0) AS n_unknown,
					  COALESCE(SUM(overlong_lines), 0) AS n_overlong, COALESCE(SUM(resets), 0) AS n_resets,
					  (SELECT COUNT(*) FROM (SELECT s.file_id FROM fact_segment s JOIN source_file f ON f.id = s.file_id
					    WHERE s.generation = f.generation AND s.to_offset <= f.committed_offset GROUP BY s.file_id
					    HAVING COUNT(*) = 1 AND MIN(s.from_offset) = 0) a) AS n_archived,
					  (SELECT COALESCE(SUM(bytes), 0) FROM fact_segment) AS n_parquet_bytes,
					  COALESCE(SUM(api_errors), 0) - (SELECT COALESCE(SUM(d.n - 1), 0) FROM (
					    SELECT COUNT(*) AS n FROM api_error e JOIN source_file f ON f.id = e.file_id
					    GROUP BY %s HAVING COUNT(*) > 1) d) AS n_api_errors
					FROM source_file
					"""
				.formatted(CHANGED_SINCE_READ, API_ERROR_KEY))
			.query((rs, i) -> {
				Map<String, Long> counters = new LinkedHashMap<>();
				for (String name : new String[] { "known", "deleted", "pending", "bytes", "lines", "invalid", "unknown",
						"overlong", "resets", "archived", "parquet_bytes", "api_errors" }) {
					counters.put(name, rs.getLong("n_" + name));
				}
				return counters;
			})
			.single();
	}

}
