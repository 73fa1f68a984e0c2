package dev.cctracer.web.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CompactionAnalysis#count}: a compaction's token counts as Claude Code
 * logs them in {@code compactMetadata} ({@code shared/realdata}: {@code preTokens}
 * 142,431), and none for a value no context has.
 */
class CompactionCountTests {

	private final ObjectMapper mapper = new ObjectMapper();

	@Test
	void shouldReadAWholeNonNegativeCountAndNothingElse() throws Exception {
		JsonNode meta = this.mapper.readTree(
				"""
						{"trigger":"auto","preTokens":142431,"postTokens":-5,"a":1.5,"b":"12","c":0,"d":99999999999999999999}""");
		assertThat(CompactionAnalysis.count(meta, "preTokens")).isEqualTo(142_431L);
		assertThat(CompactionAnalysis.count(meta, "c")).isZero();
		assertThat(CompactionAnalysis.count(meta, "postTokens")).isNull();
		assertThat(CompactionAnalysis.count(meta, "a")).isNull();
		assertThat(CompactionAnalysis.count(meta, "b")).isNull();
		assertThat(CompactionAnalysis.count(meta, "d")).isNull();
		assertThat(CompactionAnalysis.count(meta, "missing")).isNull();
		assertThat(CompactionAnalysis.count(null, "preTokens")).isNull();
	}

}
