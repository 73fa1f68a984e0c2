package dev.cctracer.generator;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code structuredPatch} hunk Claude Code logs for an edit: the changed lines
 * ({@code -} removed, {@code +} added) with up to three lines of context ({@code " "})
 * around them, with 1-based line numbers.
 */
final class DemoPatch {

	private static final int CONTEXT = 3;

	private DemoPatch() {
	}

	/**
	 * The hunk turning {@code before} into {@code after} (which differ in one region of
	 * lines): a longest-common-subsequence line diff, as Claude Code's patch is.
	 * @param delta lines the earlier hunks of the same call added (negative: removed), so
	 * that {@code oldStart} counts in the file before the call
	 * @return {@code oldStart}, {@code oldLines}, {@code newStart}, {@code newLines} and
	 * {@code lines}
	 */
	static Map<String, Object> hunk(String before, String after, int delta) {
		List<String> a = lines(before);
		List<String> b = lines(after);
		// common[i][j]: the longest common subsequence of a[i..] and b[j..]
		int[][] common = new int[a.size() + 1][b.size() + 1];
		for (int i = a.size() - 1; i >= 0; i--) {
			for (int j = b.size() - 1; j >= 0; j--) {
				common[i][j] = a.get(i).equals(b.get(j)) ? common[i + 1][j + 1] + 1
						: Math.max(common[i + 1][j], common[i][j + 1]);
			}
		}
		List<String> script = new ArrayList<>();
		int i = 0;
		int j = 0;
		while (i < a.size() || j < b.size()) {
			if (i < a.size() && j < b.size() && a.get(i).equals(b.get(j))) {
				script.add(" " + a.get(i++));
				j++;
			}
			else if (j < b.size() && (i == a.size() || common[i][j + 1] >= common[i + 1][j])) {
				script.add("+" + b.get(j++));
			}
			else {
				script.add("-" + a.get(i++));
			}
		}
		int first = 0;
		while (first < script.size() && script.get(first).startsWith(" ")) {
			first++;
		}
		int last = script.size() - 1;
		while (last > first && script.get(last).startsWith(" ")) {
			last--;
		}
		int from = Math.max(0, first - CONTEXT);
		int to = Math.min(script.size() - 1, last + CONTEXT);
		List<String> out = script.subList(from, to + 1);
		long removed = out.stream().filter((l) -> l.startsWith("-")).count();
		long added = out.stream().filter((l) -> l.startsWith("+")).count();
		long context = out.size() - removed - added;
		List<String> above = script.subList(0, from);
		long oldAbove = above.stream().filter((l) -> !l.startsWith("+")).count();
		long newAbove = above.stream().filter((l) -> !l.startsWith("-")).count();
		Map<String, Object> hunk = new LinkedHashMap<>();
		hunk.put("oldStart", (int) oldAbove + 1 - delta);
		hunk.put("oldLines", (int) (context + removed));
		hunk.put("newStart", (int) newAbove + 1);
		hunk.put("newLines", (int) (context + added));
		hunk.put("lines", new ArrayList<>(out));
		return hunk;
	}

	/** The lines of a file's content (a final newline ends the last line). */
	static List<String> lines(String content) {
		if (content.isEmpty()) {
			return List.of();
		}
		String body = content.endsWith("\n") ? content.substring(0, content.length() - 1) : content;
		return Arrays.asList(body.split("\n", -1));
	}

}
