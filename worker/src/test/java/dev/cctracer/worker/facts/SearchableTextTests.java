package dev.cctracer.worker.facts;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import dev.cctracer.shared.log.EntryFactReader;
import dev.cctracer.shared.transcript.Redactor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link FactBatch#searchable}: the stored text equals what redacting the whole
 * text as a Java string, cutting it to {@link EntryFactReader#TEXT_MAX} chars and
 * encoding it gives, on both of its paths (bytes only, or through the expression).
 */
class SearchableTextTests {

	private static final int MAX = EntryFactReader.TEXT_MAX;

	@Test
	void shouldKeepShortTextWithoutASecretAsItIs() {
		byte[] text = "plain words — é and 😀".getBytes(StandardCharsets.UTF_8);
		assertThat(FactBatch.searchable(text)).isSameAs(text);
		assertThat(FactBatch.searchable(null)).isNull();
	}

	@Test
	void shouldCutLongTextAtTheCapInUtf16Chars() {
		assertStoredAsAStringWouldBe("é€😀a".repeat(MAX / 3));
		// the cap falls between the two halves of a pair: '?' as Java's encoder writes it
		String pairOnTheEdge = "a".repeat(MAX - 1) + "😀" + "tail";
		assertStoredAsAStringWouldBe(pairOnTheEdge);
		assertThat(new String(FactBatch.searchable(pairOnTheEdge.getBytes(StandardCharsets.UTF_8)),
				StandardCharsets.UTF_8))
			.endsWith("a?")
			.hasSize(MAX);
	}

	@Test
	void shouldRedactASecretInNonAsciiTextWholeBeforeTheCut() {
		String secret = "sk-ant-" + "abcdefgh12".repeat(3);
		assertStoredAsAStringWouldBe("é—😀 the key " + secret + " — done");
		// a secret that runs over the cap (within the margin) is masked whole, then cut
		String overTheCap = "é".repeat(MAX - 10) + " " + secret + " after";
		assertStoredAsAStringWouldBe(overTheCap);
		String stored = new String(FactBatch.searchable(overTheCap.getBytes(StandardCharsets.UTF_8)),
				StandardCharsets.UTF_8);
		assertThat(stored).doesNotContain("sk-ant").endsWith(" [REDACTED");
	}

	private static void assertStoredAsAStringWouldBe(String text) {
		String redacted = Redactor.redact(text);
		String cut = (redacted.length() <= MAX) ? redacted : redacted.substring(0, MAX);
		assertThat(FactBatch.searchable(text.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(cut.getBytes(StandardCharsets.UTF_8));
	}

}
