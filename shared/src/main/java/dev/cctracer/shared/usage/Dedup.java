package dev.cctracer.shared.usage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The dedup rule, global across files and config dirs.
 * <ul>
 * <li>Key = ({@code message.id}, {@code requestId}); a copy without {@code message.id} is
 * never deduplicated.</li>
 * <li>If a {@code message.id} has a non-sidechain copy, its sidechain copies are
 * dropped.</li>
 * <li>Per key the copy with the most total tokens is kept; ties go to a line that is not
 * Claude Code's copy of another session's line ({@code forkedFrom}: {@code /branch},
 * {@code --fork-session}) before one that is, then to a file still on disk before a
 * deleted one whose history is kept, then to the first file in path order, then the first
 * line.</li>
 * </ul>
 * A forked session starts with copies of the original's lines, each marked with
 * {@code forkedFrom}; without the mark (a copy made by hand, or a resume of Claude Code
 * 1.0, which wrote the history again into a new session's file unmarked) the copies are
 * alike and the first path takes them, whichever session made them. A tie going to the
 * file still on disk keeps a moved or copied project's usage with the project as it is
 * now: its copies are equal to the deleted dir's, and path order alone left them on the
 * old dir (often first in path order) after the move.
 */
public final class Dedup {

	/**
	 * Better first: most tokens, then a line not forked from another session, then a file
	 * on disk, then first path, then first line.
	 */
	public static final Comparator<DedupCandidate> BEST_FIRST = Comparator.comparingLong(DedupCandidate::totalTokens)
		.reversed()
		.thenComparing(DedupCandidate::forked)
		.thenComparing(DedupCandidate::deleted)
		.thenComparing(DedupCandidate::pathOrder)
		.thenComparingLong(DedupCandidate::lineOffset);

	private Dedup() {
	}

	/**
	 * The copies that count, in no particular order. All copies of every
	 * {@code message.id} involved must be passed, or the answer is only valid for the
	 * ones passed.
	 */
	public static <T extends DedupCandidate> List<T> winners(Collection<T> copies) {
		List<T> result = new ArrayList<>();
		Map<String, List<T>> byMessage = new LinkedHashMap<>();
		for (T copy : copies) {
			if (copy.messageId() == null) {
				result.add(copy);
			}
			else {
				byMessage.computeIfAbsent(copy.messageId(), (k) -> new ArrayList<>(2)).add(copy);
			}
		}
		for (List<T> group : byMessage.values()) {
			if (group.size() == 1) {
				result.add(group.get(0));
				continue;
			}
			boolean hasMain = group.stream().anyMatch((c) -> !c.sidechain());
			Map<String, T> best = new HashMap<>();
			for (T copy : group) {
				if (hasMain && copy.sidechain()) {
					continue;
				}
				best.merge(Objects.requireNonNullElse(copy.requestId(), ""), copy,
						(a, b) -> (BEST_FIRST.compare(a, b) <= 0) ? a : b);
			}
			result.addAll(best.values());
		}
		return result;
	}

}
