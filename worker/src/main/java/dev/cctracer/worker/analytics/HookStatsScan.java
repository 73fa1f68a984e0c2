package dev.cctracer.worker.analytics;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.FileChannel;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongConsumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.JsonlReader;
import dev.cctracer.shared.transcript.HookLine;
import dev.cctracer.shared.transcript.HookRuns;
import dev.cctracer.worker.TracerProperties;

/**
 * Hook statistics over the transcripts of a project, or of all projects: every committed
 * line of this machine's transcripts read for hook lines ({@link HookRuns#reader}), runs
 * grouped per event and command with the sessions that ran and failed them. Transcripts
 * are read from the disk (the facts keep no hook fields), so another machine's files in a
 * team database are counted as elsewhere, not read.
 */
@Component
public class HookStatsScan {

	private static final Logger log = LoggerFactory.getLogger(HookStatsScan.class);

	/**
	 * One event and command over the scope.
	 *
	 * @param sessions sessions that ran it
	 * @param failedSessions sessions where it failed or blocked
	 * @param lastErrorAt UTC instant of {@code lastError}, or {@code null}
	 * @param lastErrorProject the project dir of the latest failure's session
	 * @param lastErrorSession that session's id
	 * @see HookRuns.Row for the other fields (commands and messages here redacted and cut
	 * to {@value HookLine#COMMAND_CHARS} and {@value HookLine#MESSAGE_CHARS} characters)
	 */
	public record HookStat(String event, String command, List<String> names, long runs, long failures, long blocks,
			List<Integer> exitCodes, long durationMs, long timedRuns, long sessions, long failedSessions,
			String lastError, String lastErrorAt, String lastErrorProject, String lastErrorSession) {

	}

	/**
	 * The result.
	 *
	 * @param scope the project dir, or {@code all}
	 * @param origin the machine whose disk was read ({@code cctracer.origin})
	 * @param hooks per event and command, those with failures or blocks first
	 * @param runs the runs of every row, {@code failures} and {@code blocks} of them
	 * @param transcripts transcripts counted: read by this scan, or unchanged since an
	 * earlier one read them ({@code reused})
	 * @param reused transcripts not read again: their sessions' transcripts are those an
	 * earlier scan read whole
	 * @param elsewhere transcripts of the scope not read: another machine's, or gone from
	 * this disk
	 * @param bytes bytes read by this scan
	 * @param dataVersion the data version the transcripts' list was read at
	 */
	public record HookStats(String scope, String origin, List<HookStat> hooks, long runs, long failures, long blocks,
			long transcripts, long reused, long elsewhere, long bytes, long dataVersion) {

	}

	/**
	 * A transcript to read: which file and generation, where ({@code root} {@code null}
	 * for another machine's), how far (bytes), and whose ({@code session} {@code null}
	 * while unknown).
	 */
	public record Transcript(long id, int generation, String root, String relPath, long committedOffset, String project,
			String session) {

	}

	/**
	 * A session's hook runs folded when its transcripts were read, and what was read: the
	 * same transcripts, generations and committed offsets hold the same committed bytes
	 * (the ingest never changes a committed range: a file rewritten is a new generation).
	 */
	private record Folded(long[] transcripts, HookRuns runs) {

		/** The transcripts' ids, generations and committed offsets, in turn. */
		static long[] of(List<Transcript> session) {
			long[] key = new long[session.size() * 3];
			for (int i = 0; i < session.size(); i++) {
				Transcript t = session.get(i);
				key[3 * i] = t.id();
				key[3 * i + 1] = t.generation();
				key[3 * i + 2] = t.committedOffset();
			}
			return key;
		}

	}

	private final SourceFileRepository files;

	private final String origin;

	private final boolean followLinks;

	private final JsonlReader reader;

	/**
	 * Each session's runs as the last scan that read it folded them, by
	 * {@code project/session}: a few rows a session (its lines are dropped once folded)
	 * and three numbers a transcript.
	 */
	private final Map<String, Folded> folded = new ConcurrentHashMap<>();

	public HookStatsScan(SourceFileRepository files, TracerProperties properties) {
		this.files = files;
		this.origin = properties.effectiveOrigin();
		this.followLinks = properties.ingest().followLinks();
		this.reader = new JsonlReader(1 << 20, properties.ingest().maxLineBytes().toBytes());
	}

	/**
	 * The transcripts of the scope not marked deleted (those Claude Code removed are not
	 * read), session by session (a database read: on the ingest thread).
	 * @param project a project dir, or {@code null} for all
	 */
	public List<Transcript> transcripts(String project) {
		return this.files.findActive()
			.stream()
			.filter((f) -> project == null || project.equals(f.projectDir()))
			// a session's transcripts together: its runs are folded before the next's
			.sorted(Comparator.comparing(FileState::projectDir)
				.thenComparing(FileState::sessionId, Comparator.nullsFirst(Comparator.naturalOrder()))
				.thenComparing(FileState::pathOrder))
			.map((f) -> new Transcript(f.id(), f.generation(), this.origin.equals(f.origin()) ? f.root() : null,
					f.relPath(), f.committedOffset(), f.projectDir(), f.sessionId()))
			.toList();
	}

	/**
	 * Reads the transcripts' committed lines for hooks (off the ingest thread: only files
	 * are read). A session whose transcripts are those an earlier scan read whole (the
	 * same files, generations and committed offsets) is not read again: its runs as
	 * folded then are counted ({@code reused}), so a scan after an append reads the
	 * sessions that grew.
	 * @param scope the project dir, or {@code null} for all
	 * @param transcripts the scope's transcripts, session by session
	 * ({@link #transcripts})
	 * @param progress told the number of transcripts done after each session
	 * @throws CancellationException when the thread is interrupted
	 */
	public HookStats scan(String scope, List<Transcript> transcripts, long dataVersion, LongConsumer progress) {
		HookRuns runs = new HookRuns();
		Set<String> listed = new HashSet<>();
		long read = 0;
		long reused = 0;
		long elsewhere = 0;
		long bytes = 0;
		long done = 0;
		int from = 0;
		while (from < transcripts.size()) {
			String source = source(transcripts.get(from));
			int to = from + 1;
			while (to < transcripts.size() && source.equals(source(transcripts.get(to)))) {
				to++;
			}
			List<Transcript> session = transcripts.subList(from, to);
			long[] key = Folded.of(session);
			listed.add(source);
			Folded kept = this.folded.get(source);
			if (kept != null && Arrays.equals(kept.transcripts(), key)) {
				runs.merge(kept.runs());
				reused += session.size();
			}
			else {
				HookRuns fold = new HookRuns();
				long sessionBytes = 0;
				boolean whole = true;
				for (Transcript t : session) {
					long n = read(t, source, fold);
					if (n < 0) {
						elsewhere++;
						whole = false;
					}
					else {
						read++;
						sessionBytes += n;
					}
				}
				fold.flush();
				runs.merge(fold);
				bytes += sessionBytes;
				if (whole) {
					this.folded.put(source, new Folded(key, fold));
				}
				else {
					this.folded.remove(source);
				}
			}
			if (Thread.currentThread().isInterrupted()) {
				throw new CancellationException("hook statistics interrupted");
			}
			done += session.size();
			progress.accept(done);
			from = to;
		}
		// sessions of the scope no longer listed (removed, or their project gone) are not
		// kept
		String prefix = (scope != null) ? scope + "/" : "";
		this.folded.keySet().removeIf((k) -> k.startsWith(prefix) && !listed.contains(k));
		List<HookStat> hooks = new ArrayList<>();
		long total = 0;
		long failures = 0;
		long blocks = 0;
		for (HookRuns.Row row : runs.rows()) {
			String source = row.lastErrorSource();
			int slash = (source != null) ? source.indexOf('/') : -1;
			hooks.add(new HookStat(row.event(), HookLine.shown(row.command(), HookLine.COMMAND_CHARS), row.names(),
					row.runs(), row.failures(), row.blocks(), row.exitCodes(), row.durationMs(), row.timedRuns(),
					row.sources(), row.failedSources(), HookLine.shown(row.lastError(), HookLine.MESSAGE_CHARS),
					(row.lastErrorAt() != null) ? Instant.ofEpochMilli(row.lastErrorAt()).toString() : null,
					(slash > 0) ? source.substring(0, slash) : null,
					(slash > 0 && slash + 1 < source.length()) ? source.substring(slash + 1) : null));
			total += row.runs();
			failures += row.failures();
			blocks += row.blocks();
		}
		return new HookStats((scope != null) ? scope : "all", this.origin, hooks, total, failures, blocks,
				read + reused, reused, elsewhere, bytes, dataVersion);
	}

	/** A transcript's session as the rows name it: {@code project/session}. */
	private static String source(Transcript t) {
		return t.project() + "/" + ((t.session() != null) ? t.session() : "");
	}

	/**
	 * Reads a transcript's committed lines for hooks into {@code into}.
	 * @return the bytes read, or -1 when the transcript is not on this disk or could not
	 * be read whole (it then adds nothing)
	 * @throws CancellationException when the thread is interrupted while reading
	 */
	private long read(Transcript t, String source, HookRuns into) {
		Optional<Path> path = path(t);
		if (path.isEmpty()) {
			return -1;
		}
		// a transcript is read whole into its own instance: one that fails midway adds
		// nothing
		HookRuns file = new HookRuns();
		try (FileChannel channel = FileChannel.open(path.get(), StandardOpenOption.READ)) {
			long end = Math.min(t.committedOffset(), channel.size());
			this.reader.forEachLine(channel, 0, end, file.reader(source));
			into.addAll(file);
			return end;
		}
		catch (ClosedByInterruptException ex) {
			throw new CancellationException("hook statistics interrupted");
		}
		catch (IOException ex) {
			// removed or replaced since the list was read: the next scan says so
			log.debug("hook statistics: {} not read ({})", t.relPath(), ex.getClass().getSimpleName());
			return -1;
		}
	}

	/** The transcript's path on this disk, with the ingest's rule for links. */
	private Optional<Path> path(Transcript t) {
		if (t.root() == null) {
			return Optional.empty();
		}
		try {
			return SafePaths.registered(Path.of(t.root()), t.relPath(), this.followLinks);
		}
		catch (InvalidPathException ex) {
			return Optional.empty();
		}
	}

}
