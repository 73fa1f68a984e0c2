package dev.cctracer.web.usage;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a subagent is called wherever it is listed: the name Claude Code gave it, else its
 * type and task, else its type and id.
 */
class AgentNamesTests {

	@Test
	void aSubagentIsCalledByItsNameElseTypeAndTaskElseTypeAndId() {
		assertThat(AgentNames.of("a1", "reviewer", "general-purpose", "Review the diff")).isEqualTo("reviewer");
		assertThat(AgentNames.of("a1", null, "Explore", "Find the config")).isEqualTo("Explore: Find the config");
		assertThat(AgentNames.of("a1", null, "fork", null)).isEqualTo("Fork a1");
		assertThat(AgentNames.of("acompact-946d2b", null, "compaction", null)).isEqualTo("compaction acompact-946d2b");
		assertThat(AgentNames.of("a1", null, null, null)).isEqualTo("a1");
	}

	@Test
	void aSideQuestionsTranscriptIsCalledSoThoughItLogsNoType() {
		// Claude Code 2.1's /btw: "aside_question-<hex>", no agent type in its lines
		assertThat(AgentNames.of("aside_question-ac9ee4804d56a951", null, null, null))
			.isEqualTo("side question aside_question-ac9ee4804d56a951");
		assertThat(AgentNames.of("aside_question-ac9e", "asked", null, null)).isEqualTo("asked");
		assertThat(AgentNames.of("acompact-946d2b", null, null, null)).isEqualTo("compaction acompact-946d2b");
	}

}
