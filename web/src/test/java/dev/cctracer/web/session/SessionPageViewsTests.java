package dev.cctracer.web.session;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.cctracer.web.usage.Dtos.SessionDto;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the session page calls a subagent (a side question by its question; the rule
 * itself: {@code AgentNamesTests}) and how its list panels page.
 */
class SessionPageViewsTests {

	/**
	 * A side question is named by its question (from its transcript's last prompt, as its
	 * card shows it), cut at 60 characters; a subagent with a description keeps it.
	 */
	@Test
	void shouldNameASideQuestionByItsQuestion() {
		SessionDto session = new SessionDto("s", null, null, null, null, 0, 0, 0, 2, null, 0, null, List.of(),
				"completed", 0, null, null, null, 0, 0, 0, "-p", null);
		AnalysisDtos.SubagentDto question = new AnalysisDtos.SubagentDto("aside_question-ac9ee4804d56a951", "nested",
				false, null, null, "[Image #1]", null, null, null, "completed", 2, 0, null, null);
		AnalysisDtos.SubagentDto longQuestion = new AnalysisDtos.SubagentDto("aside_question-0b1c", "nested", false,
				null, null, "why does the VM lose its network each time the laptop wakes up from sleep on wifi?", null,
				null, null, "completed", 1, 0, null, null);
		// an emoji across the cut is kept whole: 58 letters, the emoji, then "…"
		AnalysisDtos.SubagentDto emoji = new AnalysisDtos.SubagentDto("aside_question-0e0e", "nested", false, null,
				null, "x".repeat(58) + "\uD83D\uDE00 and the rest of a long question", null, null, null, "completed", 1,
				0, null, null);
		AnalysisDtos.SubagentDto explore = new AnalysisDtos.SubagentDto("a1", "nested", false, "Explore",
				"Find the config", "look for it", null, null, null, "completed", 3, 1, null, null);
		assertThat(SessionPageViews.agentNames(session, List.of(question, longQuestion, emoji, explore)))
			.containsEntry("aside_question-0e0e", "side question: " + "x".repeat(58) + "\uD83D\uDE00…")
			.containsEntry("aside_question-ac9ee4804d56a951", "side question: [Image #1]")
			.containsEntry("aside_question-0b1c",
					"side question: why does the VM lose its network each time the laptop wakes…")
			.containsEntry("a1", "Explore: Find the config");
	}

	@Test
	void aListPanelShowsAHundredRowsAtATimeAndNeverAnEmptyWindowOfAFullList() {
		List<Integer> rows = IntStream.range(0, 250).boxed().toList();
		SessionPageViews.Window<Integer> first = window(rows, 0);
		assertThat(first.rows()).hasSize(100).startsWith(0).endsWith(99);
		assertThat(first.to()).isEqualTo(100);
		assertThat(first.nextLink()).isEqualTo("/s?type=user&errorsFrom=100#errors-panel");
		assertThat(first.previousLink()).isNull();
		assertThat(first.paged()).isTrue();
		SessionPageViews.Window<Integer> last = window(rows, 200);
		assertThat(last.rows()).hasSize(50).startsWith(200).endsWith(249);
		assertThat(last.nextLink()).isNull();
		assertThat(last.previousLink()).isEqualTo("/s?type=user&errorsFrom=100#errors-panel");
		// a row past the end (the list shrank since the link was made) shows the last
		// window; a negative one the first
		assertThat(window(rows, 9_999).from()).isEqualTo(200);
		assertThat(window(rows, -5).from()).isZero();
		// a window not on a boundary goes back by a whole window, not below 0
		assertThat(window(rows, 150).previousLink()).contains("errorsFrom=50#");
		assertThat(window(rows, 30).previousLink()).contains("errorsFrom=0#");
		SessionPageViews.Window<Integer> small = window(rows.subList(0, 100), 0);
		assertThat(small.rows()).hasSize(100);
		assertThat(small.paged()).isFalse();
		SessionPageViews.Window<Integer> none = window(List.of(), 300);
		assertThat(none.rows()).isEmpty();
		assertThat(none.paged()).isFalse();
	}

	@Test
	void aPanelsLinkReplacesItsOwnParameterOnly() {
		assertThat(SessionPageViews.link("/p", null, "errorsFrom", 100, "a")).isEqualTo("/p?errorsFrom=100#a");
		assertThat(
				SessionPageViews.link("/p", "errorsFrom=5&errorsFromX=1&errorsFrom&search=a%26b", "errorsFrom", 0, "a"))
			.isEqualTo("/p?errorsFromX=1&search=a%26b&errorsFrom=0#a");
	}

	private static SessionPageViews.Window<Integer> window(List<Integer> rows, int from) {
		return SessionPageViews.window(rows, from, "/s", "type=user&errorsFrom=" + from, "errorsFrom", "errors-panel");
	}

}
