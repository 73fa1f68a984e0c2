package dev.cctracer.web.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;

import org.springframework.stereotype.Component;

import dev.cctracer.shared.transcript.MessageItem;
import dev.cctracer.shared.transcript.TranscriptIndex;
import dev.cctracer.shared.transcript.TranscriptText;
import dev.cctracer.web.session.AnalysisDtos.CodeChangesDto;
import dev.cctracer.web.session.AnalysisDtos.FileChangeDto;
import dev.cctracer.web.session.TranscriptCache.Open;
import dev.cctracer.web.usage.IndexedFiles.FileRef;

/**
 * The code changes of a session from its Edit, MultiEdit, Write and NotebookEdit calls
 * (subagents included, failed calls and calls without a result excluded): lines from
 * Claude Code's own patch ({@code toolUseResult.structuredPatch}) when logged, else a
 * line diff of the call's input; a file is created when its first change created it.
 */
@Component
class CodeChangeAnalysis {

	/** The tools whose calls change files. */
	static final Set<String> EDIT_TOOLS = Set.of("Edit", "MultiEdit", "Write", "NotebookEdit");

	private final TranscriptCache cache;

	CodeChangeAnalysis(TranscriptCache cache) {
		this.cache = cache;
	}

	/**
	 * Lines added and removed and edits per file path (sorted by path) over the given
	 * transcripts, with totals and how many files were created or modified.
	 * @throws UncheckedIOException when a transcript cannot be read
	 */
	CodeChangesDto codeChanges(List<FileRef> refs) {
		return codeChanges(refs, null);
	}

	/**
	 * {@link #codeChanges(List)} of a subagent's transcripts: the entries the session's
	 * main transcript also has (by uuid: a side question's transcript starts with a copy
	 * of the session) are the main conversation's edits, left out.
	 * @param session the session's main transcript, or {@code null}
	 */
	CodeChangesDto codeChanges(List<FileRef> refs, FileRef session) {
		Predicate<String> mains = this.cache.entriesOf(session);
		Map<String, FileAcc> byFile = new TreeMap<>();
		// an edit counts once per session: a subagent file may repeat the main
		// conversation's calls (a side question's transcript starts with a copy of it)
		Set<String> applied = new HashSet<>();
		for (FileRef ref : refs) {
			try (Open open = this.cache.open(ref)) {
				TranscriptIndex index = open.index();
				Set<String> failed = new HashSet<>();
				index.from(0).forEach((i) -> failed.addAll(i.errorToolUseIds()));
				for (MessageItem item : index.from(0)) {
					if (item.tools().stream().noneMatch((t) -> EDIT_TOOLS.contains(t.name()))
							|| mains.test(item.uuid())) {
						continue;
					}
					for (TranscriptText.ToolCall call : TranscriptText.read(open.channel(), item).toolCalls()) {
						if (!EDIT_TOOLS.contains(call.name()) || failed.contains(call.id()) || call.input() == null
								|| (call.id() != null && applied.contains(call.id()))) {
							continue;
						}
						MessageItem resultItem = index.resultItem(call.id());
						if (resultItem == null) {
							continue; // no result yet: not applied
						}
						JsonNode result = TranscriptText.read(open.channel(), resultItem).toolUseResult();
						applyChange(byFile, call, result);
						if (call.id() != null) {
							applied.add(call.id());
						}
					}
				}
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		List<FileChangeDto> changes = new ArrayList<>();
		long added = 0;
		long removed = 0;
		int created = 0;
		for (Map.Entry<String, FileAcc> e : byFile.entrySet()) {
			FileAcc a = e.getValue();
			changes.add(new FileChangeDto(e.getKey(), a.created ? "created" : "modified", a.added, a.removed, a.edits));
			added += a.added;
			removed += a.removed;
			created += a.created ? 1 : 0;
		}
		return new CodeChangesDto(created, byFile.size() - created, added, removed, added - removed, changes);
	}

	/**
	 * Claude Code's own patch of an edit, from its result line's {@code toolUseResult}:
	 * its {@code structuredPatch} hunks ({@code oldStart}, {@code oldLines},
	 * {@code newStart}, {@code newLines}, {@code lines} prefixed " ", "-" or "+"), or
	 * {@code null} when it logged none.
	 */
	static JsonNode structuredPatch(JsonNode toolUseResult) {
		JsonNode patch = (toolUseResult != null) ? toolUseResult.get("structuredPatch") : null;
		return (patch != null && patch.isArray() && !patch.isEmpty()) ? patch : null;
	}

	private static void applyChange(Map<String, FileAcc> byFile, TranscriptText.ToolCall call, JsonNode result) {
		JsonNode in = call.input();
		String path = in.hasNonNull("file_path") ? in.get("file_path").asText() : in.path("notebook_path").asText(null);
		if (path == null) {
			return;
		}
		FileAcc acc = byFile.computeIfAbsent(path, (k) -> new FileAcc());
		if (acc.edits == 0) {
			acc.created = "Write".equals(call.name()) && result != null
					&& "create".equals(result.path("type").asText());
		}
		acc.edits++;
		JsonNode patch = structuredPatch(result);
		if (patch != null) {
			for (JsonNode hunk : patch) {
				for (JsonNode line : hunk.path("lines")) {
					String l = line.asText();
					if (l.startsWith("+")) {
						acc.added++;
					}
					else if (l.startsWith("-")) {
						acc.removed++;
					}
				}
			}
			return;
		}
		switch (call.name()) {
			case "Write" -> acc.added += lines(in.path("content").asText(""));
			case "Edit" -> diff(acc, in.path("old_string").asText(""), in.path("new_string").asText(""));
			case "MultiEdit" -> in.path("edits")
				.forEach((e) -> diff(acc, e.path("old_string").asText(""), e.path("new_string").asText("")));
			case "NotebookEdit" -> {
				if ("delete".equals(in.path("edit_mode").asText())) {
					acc.removed += 1;
				}
				else {
					acc.added += lines(in.path("new_source").asText(""));
				}
			}
			default -> {
			}
		}
	}

	private static void diff(FileAcc acc, String before, String after) {
		long[] changed = changedLines(split(before), split(after));
		acc.removed += changed[0];
		acc.added += changed[1];
	}

	/**
	 * The most lines the two sides of an edit may differ in (what is left of them past
	 * their common first and last lines) to be diffed line by line: Myers' diff takes
	 * time of the lines times the differences, and a security trial's edit of 30,000
	 * changed lines took 50 s at every view of its page.
	 */
	static final int DIFF_MAX_LINES = 4_000;

	/**
	 * The lines an edit removed and added ({@code [removed, added]}): a line diff of what
	 * differs past the sides' common first and last lines (the same counts as a diff of
	 * the whole sides), or, when that part holds more than {@link #DIFF_MAX_LINES} lines,
	 * all of its lines as removed and added (an upper bound).
	 */
	static long[] changedLines(List<String> before, List<String> after) {
		int[] middle = middle(before, after);
		List<String> old = before.subList(middle[0], before.size() - middle[1]);
		List<String> now = after.subList(middle[0], after.size() - middle[1]);
		if (old.isEmpty() || now.isEmpty() || old.size() + now.size() > DIFF_MAX_LINES) {
			return new long[] { old.size(), now.size() };
		}
		long removed = 0;
		long added = 0;
		for (AbstractDelta<String> delta : DiffUtils.diff(old, now).getDeltas()) {
			removed += delta.getSource().size();
			added += delta.getTarget().size();
		}
		return new long[] { removed, added };
	}

	/**
	 * How many first lines and how many last lines the two sides share
	 * ({@code [common first, common last]}, never overlapping).
	 */
	static int[] middle(List<String> before, List<String> after) {
		int max = Math.min(before.size(), after.size());
		int first = 0;
		while (first < max && before.get(first).equals(after.get(first))) {
			first++;
		}
		int last = 0;
		while (last < max - first && before.get(before.size() - 1 - last).equals(after.get(after.size() - 1 - last))) {
			last++;
		}
		return new int[] { first, last };
	}

	private static List<String> split(String s) {
		return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n", -1));
	}

	private static long lines(String s) {
		if (s.isEmpty()) {
			return 0;
		}
		long n = s.chars().filter((c) -> c == '\n').count();
		return s.endsWith("\n") ? n : n + 1;
	}

	private static final class FileAcc {

		boolean created;

		long added;

		long removed;

		int edits;

	}

}
