package dev.cctracer.shared.log;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GluedObjects}.
 */
class GluedObjectsTests {

	private static int[] split(String line) {
		byte[] bytes = ("xx" + line + "yy").getBytes(StandardCharsets.UTF_8);
		return GluedObjects.split(bytes, 2, bytes.length - 4);
	}

	@Test
	void shouldCutObjectsBackToBackAtTheirStarts() {
		String a = "{\"type\":\"user\",\"m\":{\"x\":[1,{\"y\":2}]}}";
		String b = "{\"type\":\"assistant\"}";
		assertThat(split(a + b)).containsExactly(0, a.length(), a.length() + b.length());
		// whitespace before, between and after
		assertThat(split(" " + a + " \t" + b + "\r")).containsExactly(1, a.length() + 3, a.length() + 3 + b.length());
		assertThat(split(a + b + a)).hasSize(4);
	}

	@Test
	void shouldFollowStringsAndTheirEscapes() {
		String a = "{\"t\":\"}{ \\\" }{\\\\\"}";
		String b = "{\"u\":\"]\"}";
		assertThat(split(a + b)).containsExactly(0, a.length(), a.length() + b.length());
	}

	@Test
	void shouldLeaveWhatIsNotObjectsGluedAlone() {
		assertThat(split("{\"a\":1}")).isNull();
		assertThat(split("{\"a\":1} x {\"b\":2}")).isNull();
		assertThat(split("{\"a\":1}{\"b\":")).isNull();
		assertThat(split("{\"a\":1}[2]")).isNull();
		assertThat(split("[1]{\"a\":1}")).isNull();
		assertThat(split("{\"a\":]}{\"b\":1}")).isNull();
		assertThat(split("")).isNull();
	}

}
