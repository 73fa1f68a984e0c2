package dev.cctracer.shared.usage;

import java.util.List;
import java.util.TreeSet;

/**
 * The tool calls of one response's lines in one file: how many, and the {@code id}s they
 * have, so that a line Claude Code wrote again adds none. Claude Code writes an entry
 * again into the same transcript when VSCode reopens a session
 * (anthropics/claude-code#56196), up to four times in a row under concurrent sessions
 * (#66454), and re-appends the history with {@code --input-format stream-json} (#5034);
 * the usage of such a line is the response's already, and its {@code tool_use} blocks are
 * the response's calls again.
 * <p>
 * A call counts once per {@code id}; a call without an id, or with one that is not a
 * plain token of at most {@value #MAX_ID_CHARS} characters (letters, digits, {@code _},
 * {@code -}: Claude Code's are {@code toolu_} and 24 more), counts each time it is read,
 * as do calls past the first {@value #MAX_IDS} ids of a response.
 *
 * @param count the calls: distinct ids plus calls without one
 * @param ids the distinct ids, sorted and joined by spaces (the form stored in
 * {@code usage_copy.tool_use_ids}), or {@code null} when none
 */
public record ToolCalls(long count, String ids) {

	/** The longest id kept, in characters. */
	public static final int MAX_ID_CHARS = 64;

	/** The most ids kept for one response. */
	public static final int MAX_IDS = 256;

	/** No call. */
	public static final ToolCalls NONE = new ToolCalls(0, null);

	/**
	 * The calls of one line.
	 * @param blocks its {@code tool_use} blocks
	 * @param ids the ids of those that have one, in line order
	 */
	public static ToolCalls of(long blocks, List<String> ids) {
		if (ids.isEmpty()) {
			return (blocks == 0) ? NONE : new ToolCalls(blocks, null);
		}
		if (ids.size() == 1 && valid(ids.get(0))) {
			// Claude Code's lines: one tool_use block a line
			return new ToolCalls(blocks, ids.get(0));
		}
		TreeSet<String> kept = new TreeSet<>();
		long other = blocks;
		for (String id : ids) {
			if (valid(id) && kept.size() < MAX_IDS) {
				kept.add(id);
				other--;
			}
		}
		// an id twice in one line is one call; blocks without a kept id count each
		return new ToolCalls(kept.size() + Math.max(0, other), join(kept));
	}

	/**
	 * The calls of two sets of lines of the same response: each id once, calls without
	 * one added; {@code this} when {@code other} adds none.
	 */
	public ToolCalls plus(ToolCalls other) {
		if (other.count == 0) {
			return this;
		}
		if (this.count == 0) {
			return other;
		}
		if (other.ids == null && this.ids == null) {
			return new ToolCalls(this.count + other.count, null);
		}
		TreeSet<String> union = new TreeSet<>(split(this.ids));
		List<String> theirs = split(other.ids);
		long without = (this.count - union.size()) + (other.count - theirs.size());
		for (String id : theirs) {
			if (union.size() < MAX_IDS || union.contains(id)) {
				union.add(id);
			}
			else {
				without++;
			}
		}
		ToolCalls sum = new ToolCalls(union.size() + without, join(union));
		return sum.equals(this) ? this : sum;
	}

	private static List<String> split(String ids) {
		return (ids == null || ids.isEmpty()) ? List.of() : List.of(ids.split(" "));
	}

	private static String join(TreeSet<String> ids) {
		return ids.isEmpty() ? null : String.join(" ", ids);
	}

	private static boolean valid(String id) {
		if (id == null || id.isEmpty() || id.length() > MAX_ID_CHARS) {
			return false;
		}
		for (int i = 0; i < id.length(); i++) {
			char ch = id.charAt(i);
			if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'
					|| ch == '-')) {
				return false;
			}
		}
		return true;
	}

}
