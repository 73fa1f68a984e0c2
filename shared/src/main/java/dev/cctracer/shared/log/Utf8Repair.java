package dev.cctracer.shared.log;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A line's bytes that are not well-formed UTF-8, decoded as Claude Code's runtime and
 * ccusage's decode them: every ill-formed sequence becomes U+FFFD (Node's UTF-8 decoder,
 * like Java's, replaces rather than refuses). JSON readers refuse such a line whole, so
 * one bad byte inside a tool result would lose the line's usage; the readers parse it
 * again through these when their first parse fails, and only then.
 */
public final class Utf8Repair {

	private Utf8Repair() {
	}

	/**
	 * The line re-encoded with every ill-formed sequence replaced by U+FFFD, or
	 * {@code null} when it is well-formed UTF-8 already (then it failed for another
	 * reason and a second parse would fail too).
	 */
	public static byte[] wellFormed(byte[] buf, int off, int len) {
		boolean ascii = true;
		for (int i = off; i < off + len; i++) {
			if (buf[i] < 0) {
				ascii = false;
				break;
			}
		}
		if (ascii) {
			return null;
		}
		try {
			StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(buf, off, len));
			return null;
		}
		catch (CharacterCodingException ex) {
			return new String(buf, off, len, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
		}
	}

	/**
	 * A reader of a line's bytes that replaces every ill-formed sequence with U+FFFD: for
	 * a line too long to hold in a buffer.
	 */
	public static Reader reader(InputStream in) {
		return new InputStreamReader(in, StandardCharsets.UTF_8);
	}

}
