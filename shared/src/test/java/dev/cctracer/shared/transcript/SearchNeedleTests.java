package dev.cctracer.shared.transcript;

import java.util.Locale;
import java.util.Random;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A search text's spelling inside a tool input's JSON, held to what Jackson writes (the
 * tool inputs are written by Jackson), and the first match of either spelling.
 */
class SearchNeedleTests {

	private static final ObjectMapper JSON = new ObjectMapper();

	@Test
	void theEscapedSpellingIsWhatJacksonWritesInsideAString() throws JsonProcessingException {
		Random random = new Random(7);
		String alphabet = "ab\"\\/\n\r\t\b\f\u0000\u0001\u001f é€😀 {}:";
		for (int n = 0; n < 2_000; n++) {
			StringBuilder sb = new StringBuilder();
			int length = 1 + random.nextInt(12);
			while (sb.length() < length) {
				int at = random.nextInt(alphabet.length());
				if (Character.isHighSurrogate(alphabet.charAt(at))) {
					sb.append(alphabet, at, at + 2);
				}
				else if (!Character.isLowSurrogate(alphabet.charAt(at))) {
					sb.append(alphabet.charAt(at));
				}
			}
			String text = sb.toString();
			String jackson = JSON.writeValueAsString(text);
			String inside = jackson.substring(1, jackson.length() - 1).toLowerCase(Locale.ROOT);
			SearchNeedle needle = SearchNeedle.of(text);
			assertThat(needle.escaped()).as(text).isEqualTo(inside);
			assertThat(needle.hasEscapedForm()).isEqualTo(!inside.equals(needle.lower()));
		}
	}

	@Test
	void eitherSpellingIsFoundAndTheFirstMatchWins() {
		SearchNeedle needle = SearchNeedle.of("Grep \"TODO\"");
		assertThat(needle.lower()).isEqualTo("grep \"todo\"");
		assertThat(needle.escaped()).isEqualTo("grep \\\"todo\\\"");
		String text = "said grep \"todo\" then {\"command\":\"grep \\\"todo\\\" src\"}";
		SearchNeedle.Match first = needle.find(text, 0);
		assertThat(first).isEqualTo(new SearchNeedle.Match(5, 11));
		SearchNeedle.Match second = needle.find(text, first.at() + first.length());
		assertThat(text.substring(second.at(), second.at() + second.length())).isEqualTo("grep \\\"todo\\\"");
		assertThat(needle.find(text, second.at() + 1)).isNull();
		assertThat(needle.foundIn("{\"command\":\"grep \\\"todo\\\"\"}")).isTrue();
		assertThat(needle.foundIn("grep todo")).isFalse();
		assertThat(SearchNeedle.of("C:\\Users").foundIn("{\"path\":\"c:\\\\users\\\\me\"}")).isTrue();
		SearchNeedle plain = SearchNeedle.of("plain words");
		assertThat(plain.hasEscapedForm()).isFalse();
		assertThat(plain.find("no plain words here", 0)).isEqualTo(new SearchNeedle.Match(3, 11));
	}

}
