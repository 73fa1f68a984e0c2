package dev.cctracer.shared.log;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The word-at-a-time newline and string-stop searches and the Horspool search give
 * exactly what a byte-by-byte search gives, at every alignment and on bytes above 0x7f
 * (UTF-8).
 */
class BytesTests {

	private static final byte[] MARKER = "[Request interrupted by user".getBytes(StandardCharsets.US_ASCII);

	@Test
	void newlineAtEveryPositionAndAlignment() {
		for (int size = 0; size <= 40; size++) {
			for (int at = 0; at < size; at++) {
				byte[] buf = new byte[size];
				Arrays.fill(buf, (byte) 0x8b);
				buf[at] = '\n';
				for (int from = 0; from <= size; from++) {
					for (int to = from; to <= size; to++) {
						assertThat(Bytes.indexOfNewline(buf, from, to)).as("size %d at %d [%d,%d)", size, at, from, to)
							.isEqualTo(naiveNewline(buf, from, to));
					}
				}
			}
		}
	}

	@Test
	void newlinesInRandomBytes() {
		Random random = new Random(7);
		for (int round = 0; round < 2000; round++) {
			byte[] buf = new byte[random.nextInt(300)];
			for (int i = 0; i < buf.length; i++) {
				// bytes just around '\n', 0x00, 0x0b, 0x8a and ordinary text
				int pick = random.nextInt(10);
				buf[i] = (byte) ((pick == 0) ? '\n' : (pick == 1) ? 0x0b
						: (pick == 2) ? 0x8a : (pick == 3) ? 0 : (pick == 4) ? 0x09 : random.nextInt(256));
			}
			int from = buf.length == 0 ? 0 : random.nextInt(buf.length + 1);
			int to = from + random.nextInt(buf.length - from + 1);
			int expected = naiveNewline(buf, from, to);
			assertThat(Bytes.indexOfNewline(buf, from, to)).isEqualTo(expected);
		}
	}

	@Test
	void sequenceLengthAgreesWithJavasStrictDecoder() {
		// every lead byte with every second byte, the rest continuation bytes, whole
		// or cut
		for (int lead = 0x80; lead <= 0xFF; lead++) {
			for (int second = 0; second <= 0xFF; second++) {
				for (int length = 2; length <= 4; length++) {
					byte[] bytes = new byte[length];
					bytes[0] = (byte) lead;
					bytes[1] = (byte) second;
					for (int k = 2; k < length; k++) {
						bytes[k] = (byte) 0x8F;
					}
					int n = Bytes.sequenceLength(bytes, 0, length);
					int expected = decodesWhole(bytes, length) ? length : -1;
					if (n == length || expected == length) {
						assertThat(n).as("%02x %02x, %d bytes", lead, second, length).isEqualTo(expected);
					}
					else {
						// a shorter or longer sequence: not this length's to judge
						assertThat(n).isNotEqualTo(length);
					}
				}
			}
		}
	}

	private static boolean decodesWhole(byte[] bytes, int length) {
		try {
			String s = StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
				.onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
				.decode(java.nio.ByteBuffer.wrap(bytes, 0, length))
				.toString();
			// one char, or one surrogate pair: a single sequence
			return s.codePointCount(0, s.length()) == 1;
		}
		catch (java.nio.charset.CharacterCodingException ex) {
			return false;
		}
	}

	@Test
	void firstMarkedByteOfEveryWord() {
		// every non-empty set of marked bytes: the lowest one's index
		for (int set = 1; set < 256; set++) {
			long highs = 0;
			for (int k = 0; k < 8; k++) {
				if ((set & (1 << k)) != 0) {
					highs |= 0x80L << (8 * k);
				}
			}
			assertThat(Bytes.firstMarked(highs)).as("bytes %s", Integer.toBinaryString(set))
				.isEqualTo(Integer.numberOfTrailingZeros(set));
		}
	}

	@Test
	void stringStopAtEveryPositionAndAlignment() {
		byte[] stops = { '"', '\\', 0, 0x1f, '\n', (byte) 0x80, (byte) 0xc3, (byte) 0xff };
		// the bytes right beside the stops: 0x20, '!', '#', '[', ']', 0x7f
		byte[] plain = { 0x20, '!', '#', '[', ']', 0x7f };
		for (byte stop : stops) {
			for (int size = 0; size <= 24; size++) {
				for (int at = 0; at < size; at++) {
					byte[] buf = new byte[size];
					for (int i = 0; i < size; i++) {
						buf[i] = plain[i % plain.length];
					}
					buf[at] = stop;
					for (int from = 0; from <= size; from++) {
						for (int to = from; to <= size; to++) {
							assertThat(Bytes.stringStop(buf, from, to))
								.as("stop %d, size %d at %d [%d,%d)", stop, size, at, from, to)
								.isEqualTo(naiveStringStop(buf, from, to));
						}
					}
				}
			}
		}
	}

	@Test
	void stringStopsInRandomBytes() {
		Random random = new Random(13);
		byte[] near = { '"', '\\', 0x1f, 0x20, 0x21, 0x22, 0x5b, 0x5c, 0x5d, 0x7f, (byte) 0x80, 0, 0x01, 0x41 };
		for (int round = 0; round < 5000; round++) {
			byte[] buf = new byte[random.nextInt(200)];
			int density = 1 + random.nextInt(40);
			for (int i = 0; i < buf.length; i++) {
				buf[i] = (byte) ((random.nextInt(density) == 0) ? near[random.nextInt(near.length)]
						: 0x20 + random.nextInt(0x60));
			}
			int from = buf.length == 0 ? 0 : random.nextInt(buf.length + 1);
			int to = from + random.nextInt(buf.length - from + 1);
			assertThat(Bytes.stringStop(buf, from, to)).isEqualTo(naiveStringStop(buf, from, to));
		}
	}

	@Test
	void markerFoundWhereANaiveSearchFindsIt() {
		Random random = new Random(11);
		int[] shifts = Bytes.shifts(MARKER);
		String[] pieces = { "[Request interrupted by user]", "[Request interrupted by use", "[Request", "user", "ü",
				"é", "\"text\":\"", "r", "[", "x" };
		int found = 0;
		for (int round = 0; round < 5000; round++) {
			StringBuilder text = new StringBuilder();
			int parts = random.nextInt(12);
			for (int p = 0; p < parts; p++) {
				text.append(pieces[random.nextInt(pieces.length)]);
			}
			byte[] buf = text.toString().getBytes(StandardCharsets.UTF_8);
			// windows that cut a few bytes off either end (a marker may be cut too)
			int off = random.nextInt(Math.min(4, buf.length + 1));
			int len = buf.length - off - random.nextInt(Math.min(4, buf.length - off + 1));
			int expected = naiveIndexOf(buf, off, len, MARKER);
			found += (expected >= 0) ? 1 : 0;
			assertThat(Bytes.indexOf(buf, off, len, MARKER, shifts)).as(text.toString()).isEqualTo(expected);
		}
		assertThat(found).as("rounds that contain the marker").isGreaterThan(500);
	}

	private static int naiveNewline(byte[] buf, int from, int to) {
		for (int i = from; i < to; i++) {
			if (buf[i] == '\n') {
				return i;
			}
		}
		return -1;
	}

	private static int naiveStringStop(byte[] buf, int from, int to) {
		for (int i = from; i < to; i++) {
			int b = buf[i] & 0xff;
			if (b < 0x20 || b == '"' || b == '\\' || b >= 0x80) {
				return i;
			}
		}
		return to;
	}

	private static int naiveIndexOf(byte[] buf, int off, int len, byte[] needle) {
		outer: for (int i = off; i + needle.length <= off + len; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (buf[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
