package dev.cctracer.web.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.difflib.DiffUtils;
import com.github.difflib.patch.AbstractDelta;
import org.junit.jupiter.api.Test;

import dev.cctracer.web.system.Formats;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bounds on diffing an edit: its removed and added lines are a diff of what differs
 * past the sides' common first and last lines — the same counts as a diff of the whole —
 * and a part of more than {@link CodeChangeAnalysis#DIFF_MAX_LINES} lines counts whole (a
 * security trial's edit of 30,000 changed lines took 50 s to diff); a call's input is cut
 * as the page cuts texts.
 */
class EditDiffBoundsTests {

	@Test
	void theCommonFirstAndLastLinesChangeNoCount() {
		Random r = new Random(20261207);
		for (int n = 0; n < 500; n++) {
			List<String> before = new ArrayList<>();
			for (int i = r.nextInt(60); i > 0; i--) {
				before.add("line " + r.nextInt(8));
			}
			List<String> after = new ArrayList<>(before);
			for (int k = r.nextInt(6); k > 0; k--) {
				int at = after.isEmpty() ? 0 : r.nextInt(after.size() + 1);
				switch (r.nextInt(3)) {
					case 0 -> after.add(at, "new " + r.nextInt(8));
					case 1 -> {
						if (at < after.size()) {
							after.remove(at);
						}
					}
					default -> {
						if (at < after.size()) {
							after.set(at, "changed " + r.nextInt(8));
						}
					}
				}
			}
			long removed = 0;
			long added = 0;
			for (AbstractDelta<String> d : DiffUtils.diff(before, after).getDeltas()) {
				removed += d.getSource().size();
				added += d.getTarget().size();
			}
			assertThat(CodeChangeAnalysis.changedLines(before, after)).as("%s → %s", before, after)
				.containsExactly(removed, added);
		}
	}

	@Test
	void aPartOfMoreThanTheBoundCountsWhole() {
		List<String> before = new ArrayList<>();
		List<String> after = new ArrayList<>();
		before.add("package a;");
		after.add("package a;");
		for (int i = 0; i < 30_000; i++) {
			before.add("old line " + i);
			after.add("new line " + i);
		}
		before.add("}");
		after.add("}");
		assertThat(CodeChangeAnalysis.changedLines(before, after)).containsExactly(30_000L, 30_000L);
		assertThat(CodeChangeAnalysis.middle(List.of("a", "b", "a"), List.of("a"))).containsExactly(1, 0);
		assertThat(CodeChangeAnalysis.middle(List.of("a", "a"), List.of("a", "a"))).containsExactly(2, 0);
		// a long context around a small change is still diffed on the page
		String context = "ctx\n".repeat(4_000);
		assertThat(SessionController.diff("f", context + "a\n" + context, context + "b\n" + context).lines())
			.extracting(SessionController.DiffLine::kind)
			.contains("del", "add");
	}

	@Test
	void aCallsInputIsCutAsThePageCutsTexts() throws Exception {
		ObjectMapper json = new ObjectMapper();
		String huge = "é".repeat(Formats.PAGE_TEXT_MAX + 5);
		JsonNode input = json.createObjectNode()
			.put("file_path", "/a")
			.set("edits", json.createArrayNode().add(json.createObjectNode().put("new_string", huge)));
		JsonNode clipped = SessionController.clipped(input);
		String cut = clipped.at("/edits/0/new_string").asText();
		// "/a" took two of the budget's characters
		assertThat(cut).startsWith("é".repeat(Formats.PAGE_TEXT_MAX - 2))
			.endsWith("\n… [7 more characters not shown here; the entry's JSON has it whole]");
		assertThat(clipped.get("file_path").asText()).isEqualTo("/a");
		// the entry itself is left whole
		assertThat(input.at("/edits/0/new_string").asText()).isEqualTo(huge);
		// the strings share one budget, in order, each keeping a little: a 9 MB Write's
		// count of what is not shown is its own (a trial read "119 more" once the printed
		// input was cut again)
		JsonNode two = json.createObjectNode()
			.put("content", "a".repeat(9_000_000))
			.put("file_path", "/b".repeat(300))
			.put("old", "c".repeat(50));
		JsonNode cutTwo = SessionController.clipped(two);
		assertThat(cutTwo.get("content").asText()).startsWith("a".repeat(Formats.PAGE_TEXT_MAX))
			.endsWith("8,900,000 more characters not shown here; the entry's JSON has it whole]");
		assertThat(cutTwo.get("file_path").asText()).startsWith("/b".repeat(SessionController.CLIP_MIN / 2))
			.contains("400 more characters");
		assertThat(cutTwo.get("old").asText()).isEqualTo("c".repeat(50));
		assertThat(new Formats().pageText("short")).isEqualTo("short");
		// never half of a surrogate pair
		assertThat(new Formats().pageText("a" + "😀".repeat(Formats.PAGE_TEXT_MAX)))
			.startsWith("a" + "😀".repeat(Formats.PAGE_TEXT_MAX / 2 - 1) + "\n…");
	}

}
