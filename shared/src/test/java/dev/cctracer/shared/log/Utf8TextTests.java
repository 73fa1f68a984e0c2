package dev.cctracer.shared.log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Utf8Text}: random JSON strings (escapes, 1–4 byte chars, surrogate
 * escapes, caps that cut anywhere) against Jackson's decoding, {@code substring} and
 * Java's UTF-8 encoder.
 */
class Utf8TextTests {

	private static final String[] PIECES = { "a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u0001", "\u007f", "é", "€",
			"—", "😀", "\ud800", "\udc00", "sk-", "\u2028" };

	private final JsonFactory json = new JsonFactory();

	@Test
	void shouldDecodeRandomJsonStringsAsJacksonAndJavaDo() throws IOException {
		Random random = new Random(42);
		for (int round = 0; round < 20_000; round++) {
			byte[] doc = encode(text(random, 12, false), random);
			String decoded = decode(doc);
			int limit = 1 + random.nextInt(16);
			Utf8Text text = new Utf8Text(limit);
			assertThat(text.addJsonString(doc, 0, doc.length)).as(new String(doc, StandardCharsets.UTF_8)).isTrue();
			String cut = (decoded.length() <= limit) ? decoded : decoded.substring(0, limit);
			assertThat(text.toBytes()).as(new String(doc, StandardCharsets.UTF_8) + " cut at " + limit)
				.isEqualTo(cut.getBytes(StandardCharsets.UTF_8));
			assertThat(text.chars()).isEqualTo(cut.length());
		}
	}

	@Test
	void shouldJoinPartsAndStopAtTheCap() {
		Utf8Text text = new Utf8Text(7);
		byte[] doc = "\"ab\\ncd\"".getBytes(StandardCharsets.UTF_8);
		text.separate();
		assertThat(text.addJsonString(doc, 0, doc.length)).isTrue();
		text.separate();
		text.add("xyz");
		assertThat(new String(text.toBytes(), StandardCharsets.UTF_8)).isEqualTo("ab\ncd\nx");
		assertThat(text.full()).isTrue();
		text.separate();
		text.add("more");
		assertThat(text.chars()).isEqualTo(7);
	}

	@Test
	void shouldRefuseWhatIsNotWellFormedAndAppendNothing() {
		String[] bad = { "\"a\u0001b\"", "\"bad \\q escape\"", "\"\\u12G4\"", "\"unterminated" };
		for (String s : bad) {
			assertRefused(s.getBytes(StandardCharsets.UTF_8));
		}
		// an overlong NUL, an encoded surrogate, a byte no UTF-8 has, a truncated
		// sequence
		assertRefused(new byte[] { '"', 'a', (byte) 0xC0, (byte) 0x80, '"' });
		assertRefused(new byte[] { '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"' });
		assertRefused(new byte[] { '"', (byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80, '"' });
		assertRefused(new byte[] { '"', (byte) 0xE2, (byte) 0x82, '"' });
	}

	@Test
	void shouldCutAtACountOfUtf16CharsAsSubstringDoes() {
		Random random = new Random(7);
		for (int round = 0; round < 5_000; round++) {
			// well-formed text only: what Utf8Text holds
			String s = text(random, 10, true);
			int max = random.nextInt(12);
			String cut = (s.length() <= max) ? s : s.substring(0, max);
			assertThat(Utf8Text.cut(s.getBytes(StandardCharsets.UTF_8), max)).as(s + " cut at " + max)
				.isEqualTo(cut.getBytes(StandardCharsets.UTF_8));
		}
	}

	@Test
	void shouldEncodeCharsAsJavasEncoderDoes() {
		Random random = new Random(9);
		for (int round = 0; round < 5_000; round++) {
			String s = text(random, 10, false);
			int limit = 1 + random.nextInt(12);
			Utf8Text text = new Utf8Text(limit);
			text.add(s);
			String cut = (s.length() <= limit) ? s : s.substring(0, limit);
			assertThat(text.toBytes()).as(s).isEqualTo(cut.getBytes(StandardCharsets.UTF_8));
		}
	}

	/** Up to {@code most} random pieces; without lone surrogates when well-formed. */
	private static String text(Random random, int most, boolean wellFormed) {
		StringBuilder value = new StringBuilder();
		for (int n = random.nextInt(most); n > 0; n--) {
			String piece = PIECES[random.nextInt(PIECES.length)];
			if (!(wellFormed && piece.length() == 1 && Character.isSurrogate(piece.charAt(0)))) {
				value.append(piece);
			}
		}
		return value.toString();
	}

	private static void assertRefused(byte[] doc) {
		Utf8Text text = new Utf8Text(100);
		text.add("kept");
		assertThat(text.addJsonString(doc, 0, doc.length)).as(new String(doc, StandardCharsets.ISO_8859_1)).isFalse();
		assertThat(new String(text.toBytes(), StandardCharsets.UTF_8)).isEqualTo("kept");
		assertThat(text.chars()).isEqualTo(4);
	}

	/**
	 * A JSON string of the value: Jackson's escapes, with some chars written as
	 * {@code \\u} escapes instead (a lone surrogate can only be written so).
	 */
	private static byte[] encode(String value, Random random) {
		StringBuilder out = new StringBuilder("\"");
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (Character.isSurrogate(c)
					&& !(Character.isHighSurrogate(c) && i + 1 < value.length()
							&& Character.isLowSurrogate(value.charAt(i + 1)) && random.nextBoolean())
					|| c < 0x20 || random.nextInt(8) == 0) {
				out.append(String.format("\\u%04x", (int) c));
			}
			else if (c == '"' || c == '\\') {
				out.append('\\').append(c);
			}
			else if (Character.isHighSurrogate(c)) {
				out.append(c).append(value.charAt(++i));
			}
			else {
				out.append(c);
			}
		}
		return out.append('"').toString().getBytes(StandardCharsets.UTF_8);
	}

	private String decode(byte[] doc) throws IOException {
		try (JsonParser p = this.json.createParser(doc)) {
			assertThat(p.nextToken()).isEqualTo(JsonToken.VALUE_STRING);
			return p.getText();
		}
	}

}
