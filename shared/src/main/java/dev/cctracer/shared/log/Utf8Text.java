package dev.cctracer.shared.log;

import java.util.Arrays;

/**
 * Text gathered as UTF-8 bytes straight from a line's JSON bytes, capped at a number of
 * UTF-16 chars (Java's {@code String.length()}), so that the bytes are exactly what
 * {@code new String(decoded).substring(0, cap).getBytes(UTF_8)} would give, without the
 * two conversions: a JSON string is decoded from its bytes to UTF-8 bytes (escapes
 * resolved), and a char that a cut or an escape leaves as a lone surrogate is written as
 * {@code ?}, as Java's UTF-8 encoder writes it.
 * <p>
 * Only well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing past
 * U+10FFFF) is copied; a string holding anything else, a raw control character or an
 * unknown escape before the cap is reached is refused ({@link #addJsonString} returns
 * {@code false}, nothing appended), so the caller can hand it to a full JSON parser and
 * fail as it fails. What lies past the cap is not read: the caller's parser still checks
 * it when it skips the string.
 */
public final class Utf8Text {

	private final int limit;

	private byte[] buf = new byte[256];

	private int length;

	private int chars;

	/**
	 * The index after the closing quote of the string {@link #addJsonString} last read to
	 * its end, or -1 when it stopped at the cap or refused the string.
	 */
	private int stringEnd = -1;

	/**
	 * @param limit the cap, in UTF-16 chars
	 */
	public Utf8Text(int limit) {
		this.limit = limit;
	}

	/** Whether the cap is reached. */
	public boolean full() {
		return this.chars >= this.limit;
	}

	/** The UTF-16 chars held. */
	public int chars() {
		return this.chars;
	}

	/** Forgets every part: empty again, the cap whole. */
	public void clear() {
		this.length = 0;
		this.chars = 0;
		this.stringEnd = -1;
	}

	/** A newline between two parts, unless empty or full. */
	public void separate() {
		if (this.length > 0 && !full()) {
			put((byte) '\n');
			this.chars++;
		}
	}

	/**
	 * Appends, up to the cap, the value of the JSON string whose opening quote is at
	 * {@code src[quote]}.
	 * @param src the bytes of a JSON document
	 * @param quote the index of the string's opening quote
	 * @param end the end of the document's bytes (exclusive)
	 * @return {@code false} (and nothing appended) when the string, up to the cap, is not
	 * well-formed UTF-8 JSON or runs past {@code end} before its closing quote
	 */
	public boolean addJsonString(byte[] src, int quote, int end) {
		this.stringEnd = -1;
		int savedLength = this.length;
		int savedChars = this.chars;
		int i = quote + 1;
		while (i < end && !full()) {
			// negative bytes (UTF-8 sequences) and control chars end a run too
			int run = Bytes.stringStop(src, i, end);
			if (run > i) {
				int n = Math.min(run - i, this.limit - this.chars);
				append(src, i, n);
				this.chars += n;
				i += n;
				continue;
			}
			int b = src[i] & 0xFF;
			if (b == '"') {
				this.stringEnd = i + 1;
				return true;
			}
			if (b == '\\') {
				i = escape(src, i, end);
			}
			else if (b >= 0x80) {
				i = sequence(src, i, end);
			}
			else {
				// a raw control character: not JSON
				i = -1;
			}
			if (i < 0) {
				this.length = savedLength;
				this.chars = savedChars;
				return false;
			}
		}
		if (i >= end && !full()) {
			this.length = savedLength;
			this.chars = savedChars;
			return false;
		}
		return true;
	}

	/**
	 * The index after the closing quote of the string the last {@link #addJsonString}
	 * read to its end (well-formed, as it refuses anything else), or -1 when it stopped
	 * at the cap or refused it: a caller that has not checked the string yet need not
	 * read it again.
	 */
	public int stringEnd() {
		return this.stringEnd;
	}

	/** Appends chars, up to the cap, as Java's UTF-8 encoder writes them. */
	public void addChars(char[] cs, int off, int len) {
		int end = off + len;
		for (int i = off; i < end && !full(); i++) {
			char c = cs[i];
			if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(cs[i + 1])) {
				codePoint(Character.toCodePoint(c, cs[i + 1]));
				i++;
			}
			else {
				addChar(c);
			}
		}
	}

	/** One char that is not half of a pair (a lone surrogate is written {@code ?}). */
	private void addChar(char c) {
		if (c < 0x80) {
			put((byte) c);
		}
		else if (c < 0x800) {
			put((byte) (0xC0 | (c >> 6)));
			put((byte) (0x80 | (c & 0x3F)));
		}
		else if (Character.isSurrogate(c)) {
			put((byte) '?');
		}
		else {
			put((byte) (0xE0 | (c >> 12)));
			put((byte) (0x80 | ((c >> 6) & 0x3F)));
			put((byte) (0x80 | (c & 0x3F)));
		}
		this.chars++;
	}

	/** Appends a string, up to the cap. */
	public void add(String s) {
		addChars(s.toCharArray(), 0, s.length());
	}

	/** The bytes held. */
	public byte[] toBytes() {
		return Arrays.copyOf(this.buf, this.length);
	}

	/**
	 * The first {@code max} UTF-16 chars of well-formed UTF-8 bytes, as
	 * {@code substring(0, max)} and Java's encoder give them (a surrogate pair cut in two
	 * leaves {@code ?}); the same array when it holds no more.
	 */
	public static byte[] cut(byte[] utf8, int max) {
		if (utf8.length <= max) {
			return utf8;
		}
		int chars = 0;
		int i = 0;
		while (i < utf8.length) {
			int b = utf8[i] & 0xFF;
			int n = (b < 0x80) ? 1 : (b < 0xE0) ? 2 : (b < 0xF0) ? 3 : 4;
			int units = (n == 4) ? 2 : 1;
			if (chars + units > max) {
				if (chars < max) {
					// the high surrogate of a pair fits, its low one does not
					byte[] out = Arrays.copyOf(utf8, i + 1);
					out[i] = '?';
					return out;
				}
				return Arrays.copyOf(utf8, i);
			}
			chars += units;
			i += n;
		}
		return utf8;
	}

	private int escape(byte[] src, int i, int end) {
		if (i + 1 >= end) {
			return -1;
		}
		byte e = src[i + 1];
		byte plain = switch (e) {
			case '"' -> '"';
			case '\\' -> '\\';
			case '/' -> '/';
			case 'b' -> '\b';
			case 'f' -> '\f';
			case 'n' -> '\n';
			case 'r' -> '\r';
			case 't' -> '\t';
			default -> 0;
		};
		if (plain != 0) {
			put(plain);
			this.chars++;
			return i + 2;
		}
		if (e != 'u') {
			return -1;
		}
		int c = hex4(src, i + 2, end);
		if (c < 0) {
			return -1;
		}
		int next = i + 6;
		if (Character.isHighSurrogate((char) c) && next + 1 < end && src[next] == '\\' && src[next + 1] == 'u') {
			int low = hex4(src, next + 2, end);
			if (low < 0) {
				return -1;
			}
			if (Character.isLowSurrogate((char) low)) {
				codePoint(Character.toCodePoint((char) c, (char) low));
				return next + 6;
			}
		}
		addChar((char) c);
		return next;
	}

	private static int hex4(byte[] src, int i, int end) {
		if (i + 4 > end) {
			return -1;
		}
		int v = 0;
		for (int k = i; k < i + 4; k++) {
			int d = Character.digit(src[k], 16);
			if (d < 0) {
				return -1;
			}
			v = (v << 4) | d;
		}
		return v;
	}

	/**
	 * Copies one well-formed UTF-8 sequence starting at {@code src[i]}, or returns -1.
	 */
	private int sequence(byte[] src, int i, int end) {
		int n = Bytes.sequenceLength(src, i, end);
		if (n < 0) {
			return -1;
		}
		if (n == 4) {
			if (this.limit - this.chars < 2) {
				// only the high surrogate fits: Java's encoder writes a lone one as '?'
				put((byte) '?');
				this.chars++;
				return i + n;
			}
			this.chars += 2;
		}
		else {
			this.chars++;
		}
		append(src, i, n);
		return i + n;
	}

	private void codePoint(int cp) {
		if (this.limit - this.chars < 2) {
			put((byte) '?');
			this.chars++;
			return;
		}
		put((byte) (0xF0 | (cp >> 18)));
		put((byte) (0x80 | ((cp >> 12) & 0x3F)));
		put((byte) (0x80 | ((cp >> 6) & 0x3F)));
		put((byte) (0x80 | (cp & 0x3F)));
		this.chars += 2;
	}

	private void put(byte b) {
		if (this.length == this.buf.length) {
			this.buf = Arrays.copyOf(this.buf, this.buf.length * 2);
		}
		this.buf[this.length++] = b;
	}

	private void append(byte[] src, int off, int n) {
		if (this.length + n > this.buf.length) {
			this.buf = Arrays.copyOf(this.buf, Math.max(this.buf.length * 2, this.length + n));
		}
		System.arraycopy(src, off, this.buf, this.length, n);
		this.length += n;
	}

}
