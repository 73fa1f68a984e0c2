package dev.cctracer.shared.transcript;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import dev.cctracer.shared.log.JsonlReader;

/**
 * The hook runs of transcripts, from their {@link HookLine}s added in file order, folded
 * session by session into totals per event and command ({@link #rows}).
 * <p>
 * A <b>run</b> is one command run for one event: the lines of a session that share a
 * {@code toolUseID}, an event and a command are one run, whichever of the three shapes
 * logged it (Claude Code 2.1.39 writes a {@code hook_progress} line and a stop summary
 * for the same stop hook; 2.1.145 a stop summary and, on failure, an attachment), so no
 * run is counted twice. An outcome attachment that names no command
 * ({@code hook_success}, {@code hook_error_during_execution}, {@code hook_cancelled})
 * belongs to the run of the one command started for its {@code toolUseID} and event; with
 * several, a failure or block is put on the first of them (in the commands' alphabetical
 * order) without an outcome yet, as which one failed is not logged, and a success adds
 * nothing (its run was counted when it started); with none, it is a run of its own with
 * no command. A stop summary's errors count as far as the failure attachments of its
 * {@code toolUseID} do not say them (older versions logged only the summary), on its
 * commands in the summary's order, each with its own text, as blocks when the summary
 * says its hooks prevented the stop: no run is counted twice, and no row has more
 * failures and blocks than runs.
 * <p>
 * Memory: lines are kept until {@link #flush} (a caller adds whole sessions, then
 * flushes), then only the totals; a side question's replay of a session's lines in its
 * subagent file is one session with them. A run copied into another session's transcript
 * (none in {@code ../shared/realdata}) would count in each.
 */
public final class HookRuns {

	private final ArrayList<HookLine> lines = new ArrayList<>();

	/** The source of each line (a session's name, or {@code null}). */
	private final ArrayList<String> sources = new ArrayList<>();

	/** Totals per event and command of the flushed lines. */
	private final Map<List<String>, Totals> totals = new LinkedHashMap<>();

	/** Lines flushed before the pending ones: their order across flushes. */
	private long flushed;

	/**
	 * One event and command: how often it ran and how it ended.
	 *
	 * @param event the hook event ({@code PreToolUse}, {@code Stop}…); {@code Stop} for a
	 * stop summary whose runs no other line names
	 * @param command the command as logged ({@link HookLine#commands}), or {@code null}
	 * when not logged
	 * @param names the hook names seen (event and matcher, e.g.
	 * {@code PostToolUse:Read}), sorted
	 * @param runs distinct runs
	 * @param failures runs that failed (non-blocking error, error during execution,
	 * cancelled, or a stop summary's error)
	 * @param blocks runs that blocked what they ran for ({@code hook_blocking_error}, a
	 * stop summary that prevented the stop)
	 * @param exitCodes the exit codes logged with failures and blocks, sorted
	 * @param durationMs the summed durations of the runs that logged one, milliseconds
	 * @param timedRuns how many runs logged a duration
	 * @param lastError the message of the latest failure or block
	 * ({@link HookLine#message}), or {@code null}
	 * @param lastErrorAt its time, epoch milliseconds UTC, or {@code null}
	 * @param sources how many sources (as {@link #add(HookLine, String)} names them, e.g.
	 * sessions) ran it
	 * @param failedSources how many of them saw a failure or block of it
	 * @param lastErrorSource the source of the latest failure or block, or {@code null}
	 */
	public record Row(String event, String command, List<String> names, long runs, long failures, long blocks,
			List<Integer> exitCodes, long durationMs, long timedRuns, String lastError, Long lastErrorAt, long sources,
			long failedSources, String lastErrorSource) {

	}

	/** Adds a transcript's hook line (in file order). */
	public void add(HookLine line) {
		add(line, null);
	}

	/**
	 * Adds a transcript's hook line (in file order) with its source, e.g. the session
	 * that ran it: a run's source is that of its first line.
	 */
	public void add(HookLine line, String source) {
		this.lines.add(Objects.requireNonNull(line));
		this.sources.add(source);
	}

	/**
	 * Adds the lines another instance holds and has not flushed (a transcript read whole
	 * into it), in their order.
	 */
	public void addAll(HookRuns other) {
		this.lines.addAll(other.lines);
		this.sources.addAll(other.sources);
	}

	/**
	 * A handler for {@link JsonlReader#forEachLine} that adds a transcript's hook lines
	 * with their source: lines in the buffer that may be hook lines
	 * ({@link HookLine#mayBeHook}), and streamed ones up to
	 * {@link TranscriptText#MAX_LINE_FOR_TEXT} (a hook line that long holds a huge
	 * output, whose strings are read whole before they are cut); an over-long line is
	 * skipped, as the ingest skips and counts it.
	 */
	public JsonlReader.RawLineHandler reader(String source) {
		return new JsonlReader.RawLineHandler() {
			@Override
			public void buffered(long offset, byte[] buf, int off, int len) {
				if (HookLine.mayBeHook(buf, off, len)) {
					addIfHook(HookLine.parse(buf, off, len), source);
				}
			}

			@Override
			public void streamed(long offset, long length, InputStream in) {
				if (length <= TranscriptText.MAX_LINE_FOR_TEXT) {
					addIfHook(HookLine.parse(in), source);
				}
			}

			@Override
			public void overlong(long offset, long length) {
			}
		};
	}

	private void addIfHook(HookLine line, String source) {
		if (line != null) {
			add(line, source);
		}
	}

	/** Whether no hook line was added. */
	public boolean isEmpty() {
		return this.lines.isEmpty() && this.totals.isEmpty();
	}

	/**
	 * Folds the lines added since the last flush into the totals and drops them: call it
	 * when they are whole sessions (every transcript of each), as a run's lines are never
	 * split across sessions.
	 */
	public void flush() {
		for (Run run : runs()) {
			this.totals
				.computeIfAbsent(Arrays.asList(run.event, run.command), (k) -> new Totals(run.event, run.command))
				.add(run);
		}
		this.flushed += this.lines.size();
		this.lines.clear();
		this.sources.clear();
		// a folded instance may be kept (a session's, for the next scan): no room for the
		// lines it had
		this.lines.trimToSize();
		this.sources.trimToSize();
	}

	/**
	 * Adds the totals of another instance, folded whole ({@link #flush}), e.g. a
	 * session's kept from an earlier scan: the same rows as if its lines had been added
	 * and flushed here after those before (a latest error at the same time, or untimed,
	 * is the one merged). {@code other} is only read, so it may be merged into several
	 * instances.
	 * @throws IllegalStateException when {@code other} holds lines not flushed
	 */
	public void merge(HookRuns other) {
		if (!other.lines.isEmpty()) {
			throw new IllegalStateException("merge a folded instance: " + other.lines.size() + " lines not flushed");
		}
		flush();
		// lines added after it come after its runs
		this.flushed += other.flushed;
		other.totals
			.forEach((key, theirs) -> this.totals.computeIfAbsent(key, (k) -> new Totals(theirs.event, theirs.command))
				.merge(theirs));
	}

	/**
	 * The runs grouped by event and command (the pending lines flushed first): those with
	 * failures or blocks first, then by runs, event and command.
	 */
	public List<Row> rows() {
		flush();
		List<Row> rows = new ArrayList<>();
		for (Totals t : this.totals.values()) {
			rows.add(t.row());
		}
		rows.sort(Comparator.comparingLong((Row r) -> -(r.failures() + r.blocks()))
			.thenComparingLong((Row r) -> -r.runs())
			.thenComparing(Row::event)
			.thenComparing(Row::command, Comparator.nullsLast(Comparator.naturalOrder())));
		return rows;
	}

	/** The runs of the pending lines. */
	private Iterable<Run> runs() {
		// pass 1: the events and commands each toolUseID's lines name
		Map<String, String> eventOf = new HashMap<>();
		Map<String, Set<String>> commandsOf = new HashMap<>();
		for (int i = 0; i < this.lines.size(); i++) {
			HookLine line = this.lines.get(i);
			if (line.event() != null) {
				eventOf.merge(group(line, i), line.event(), (a, b) -> a.endsWith("Stop") ? a : b);
			}
		}
		for (int i = 0; i < this.lines.size(); i++) {
			HookLine line = this.lines.get(i);
			String group = group(line, i);
			String event = event(line, group, eventOf);
			for (HookLine.Command command : line.commands()) {
				if (command.command() != null) {
					commandsOf.computeIfAbsent(group + '\u0000' + event, (k) -> new TreeSet<>()).add(command.command());
				}
			}
		}
		// pass 2: the runs
		Map<List<String>, Run> runs = new LinkedHashMap<>();
		// outcomes that name no command, of a toolUseID and event that started several
		List<Integer> unnamed = new ArrayList<>();
		List<Integer> summaries = new ArrayList<>();
		for (int i = 0; i < this.lines.size(); i++) {
			HookLine line = this.lines.get(i);
			String group = group(line, i);
			String event = event(line, group, eventOf);
			if (line.kind() == HookLine.Kind.STOP_SUMMARY) {
				for (HookLine.Command command : line.commands()) {
					run(runs, group, event, command.command(), this.sources.get(i)).timed(command.durationMs());
				}
				if (!line.errors().isEmpty()) {
					summaries.add(i);
				}
				continue;
			}
			String command = line.commands().isEmpty() ? null : line.commands().get(0).command();
			Long duration = line.commands().isEmpty() ? null : line.commands().get(0).durationMs();
			if (command == null) {
				Set<String> known = commandsOf.getOrDefault(group + '\u0000' + event, Set.of());
				if (known.size() == 1) {
					command = known.iterator().next();
				}
				else if (known.size() > 1) {
					// its run was counted when it started: a failure is put on one of
					// them
					if (line.kind().failureOrBlock()) {
						unnamed.add(i);
					}
					continue;
				}
			}
			Run run = run(runs, group, event, command, this.sources.get(i));
			run.timed(duration);
			if (line.name() != null) {
				run.names.add(line.name());
			}
			if (line.kind().failureOrBlock()) {
				run.outcome(line.kind() == HookLine.Kind.BLOCKING_ERROR, line.message(), line.exitCode(),
						line.timestamp(), this.flushed + i);
			}
		}
		for (int i : unnamed) {
			HookLine line = this.lines.get(i);
			String group = group(line, i);
			String event = event(line, group, eventOf);
			List<Run> candidates = commandsOf.get(group + '\u0000' + event)
				.stream()
				.map((c) -> runs.get(Arrays.asList(group, event, c)))
				.filter(Objects::nonNull)
				.toList();
			for (Run run : pick(candidates, 1)) {
				run.outcome(line.kind() == HookLine.Kind.BLOCKING_ERROR, line.message(), line.exitCode(),
						line.timestamp(), this.flushed + i);
			}
		}
		// a stop summary's errors, as far as its failure attachments do not say them
		Map<String, Integer> said = new HashMap<>();
		for (Run run : runs.values()) {
			if (run.failures > 0 || run.blocked) {
				said.merge(run.group, 1, Integer::sum);
			}
		}
		for (int at : summaries) {
			HookLine line = this.lines.get(at);
			String group = group(line, at);
			String event = event(line, group, eventOf);
			int already = said.getOrDefault(group, 0);
			int missing = line.errors().size() - already;
			if (missing <= 0) {
				continue;
			}
			List<Run> candidates = line.commands()
				.stream()
				.map((c) -> runs.get(Arrays.asList(group, event, c.command())))
				.filter(Objects::nonNull)
				.distinct()
				.toList();
			List<Run> picked = pick(candidates, missing);
			for (int k = 0; k < picked.size(); k++) {
				String text = line.errors().get(already + k);
				picked.get(k)
					.outcome(line.preventedContinuation(), text.isEmpty() ? null : text, null, line.timestamp(),
							this.flushed + at);
			}
			said.merge(group, picked.size(), Integer::sum);
		}
		return runs.values();
	}

	/**
	 * The runs a failure that names no command is put on ({@code count} of them, at most
	 * all): those without an outcome yet first, in order. Which one failed is not logged;
	 * this keeps every run counted once and never more failures than runs.
	 */
	private static List<Run> pick(List<Run> candidates, int count) {
		List<Run> order = new ArrayList<>(candidates.stream().filter((r) -> r.failures == 0 && !r.blocked).toList());
		candidates.stream().filter((r) -> r.failures > 0 || r.blocked).forEach(order::add);
		return order.subList(0, Math.min(count, order.size()));
	}

	/** A run's group: its {@code toolUseID}, else the line alone. */
	private static String group(HookLine line, int index) {
		if (line.toolUseId() != null) {
			return line.toolUseId();
		}
		return "\u0000line " + ((line.uuid() != null) ? line.uuid() : Integer.toString(index));
	}

	private static String event(HookLine line, String group, Map<String, String> eventOf) {
		if (line.event() != null) {
			return line.event();
		}
		String known = eventOf.get(group);
		return (known != null) ? known : "Stop";
	}

	private static Run run(Map<List<String>, Run> runs, String group, String event, String command, String source) {
		return runs.computeIfAbsent(Arrays.asList(group, event, command),
				(k) -> new Run(group, event, command, source));
	}

	/** One run as its lines say it. */
	private static final class Run {

		final String group;

		final String event;

		final String command;

		final String source;

		final Set<String> names = new TreeSet<>();

		final Set<Integer> exitCodes = new TreeSet<>();

		Long durationMs;

		long failures;

		boolean blocked;

		String message;

		Long messageAt;

		long messageOrder;

		Run(String group, String event, String command, String source) {
			this.source = source;
			this.group = group;
			this.event = event;
			this.command = command;
		}

		void timed(Long duration) {
			if (duration != null) {
				this.durationMs = (this.durationMs == null) ? duration : Math.max(this.durationMs, duration);
			}
		}

		/** A failure, or a block, with what it said and when. */
		void outcome(boolean block, String text, Integer exitCode, Long at, long order) {
			if (block) {
				this.blocked = true;
			}
			else {
				this.failures = 1;
			}
			if (exitCode != null) {
				this.exitCodes.add(exitCode);
			}
			if (text != null) {
				this.message = text;
				this.messageAt = at;
				this.messageOrder = order;
			}
		}

	}

	/** The runs of one event and command, summed. */
	private static final class Totals {

		final String event;

		final String command;

		final Set<String> names = new TreeSet<>();

		final Set<Integer> exitCodes = new TreeSet<>();

		final Set<String> sources = new HashSet<>();

		final Set<String> failedSources = new HashSet<>();

		long runs;

		long failures;

		long blocks;

		long durationMs;

		long timedRuns;

		Run last;

		Totals(String event, String command) {
			this.event = event;
			this.command = command;
		}

		void add(Run run) {
			this.runs++;
			this.names.addAll(run.names);
			this.exitCodes.addAll(run.exitCodes);
			this.failures += run.failures;
			this.blocks += run.blocked ? 1 : 0;
			if (run.source != null) {
				this.sources.add(run.source);
				if (run.failures > 0 || run.blocked) {
					this.failedSources.add(run.source);
				}
			}
			if (run.durationMs != null) {
				this.durationMs += run.durationMs;
				this.timedRuns++;
			}
			if (run.message != null && (this.last == null || later(run, this.last))) {
				this.last = run;
			}
		}

		/** Adds another instance's totals (its runs after these). */
		void merge(Totals other) {
			this.runs += other.runs;
			this.names.addAll(other.names);
			this.exitCodes.addAll(other.exitCodes);
			this.failures += other.failures;
			this.blocks += other.blocks;
			this.sources.addAll(other.sources);
			this.failedSources.addAll(other.failedSources);
			this.durationMs += other.durationMs;
			this.timedRuns += other.timedRuns;
			if (other.last != null && (this.last == null || this.last.messageAt == null || other.last.messageAt == null
					|| other.last.messageAt >= this.last.messageAt)) {
				this.last = other.last;
			}
		}

		Row row() {
			return new Row(this.event, this.command, List.copyOf(this.names), this.runs, this.failures, this.blocks,
					List.copyOf(this.exitCodes), this.durationMs, this.timedRuns,
					(this.last != null) ? this.last.message : null, (this.last != null) ? this.last.messageAt : null,
					this.sources.size(), this.failedSources.size(), (this.last != null) ? this.last.source : null);
		}

		/**
		 * Whether {@code a}'s message is later than {@code b}'s (untimed ones by order).
		 */
		private static boolean later(Run a, Run b) {
			if (a.messageAt == null || b.messageAt == null) {
				return a.messageOrder > b.messageOrder;
			}
			return a.messageAt > b.messageAt || (a.messageAt.equals(b.messageAt) && a.messageOrder > b.messageOrder);
		}

	}

}
