package dev.cctracer.web.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the session page calls a subagent: the name Claude Code gave it, else its type and
 * task, else its type and id.
 */
class SessionPageViewsTests {

	@Test
	void aSubagentIsCalledByItsNameElseTypeAndTaskElseTypeAndId() {
		assertThat(SessionPageViews.name("a1", "reviewer", "general-purpose", "Review the diff")).isEqualTo("reviewer");
		assertThat(SessionPageViews.name("a1", null, "Explore", "Find the config"))
			.isEqualTo("Explore: Find the config");
		assertThat(SessionPageViews.name("a1", null, "fork", null)).isEqualTo("Fork a1");
		assertThat(SessionPageViews.name("acompact-946d2b", null, "compaction", null))
			.isEqualTo("compaction acompact-946d2b");
		assertThat(SessionPageViews.name("a1", null, null, null)).isEqualTo("a1");
	}

	@Test
	void aSideQuestionsTranscriptIsCalledSoThoughItLogsNoType() {
		// Claude Code 2.1's /btw: "aside_question-<hex>", no agent type in its lines
		assertThat(SessionPageViews.name("aside_question-ac9ee4804d56a951", null, null, null))
			.isEqualTo("side question aside_question-ac9ee4804d56a951");
		assertThat(SessionPageViews.name("aside_question-ac9e", "asked", null, null)).isEqualTo("asked");
		assertThat(SessionPageViews.name("acompact-946d2b", null, null, null)).isEqualTo("compaction acompact-946d2b");
	}

}
