package dev.cctracer.shared.log;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Byte searches on the ingest's hot path, eight bytes at a time where that is exact.
 * Profiling the cold index showed the byte-by-byte newline search and interrupt-marker
 * search taking about half of the parse threads' time.
 */
final class Bytes {

	private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

	private static final long ONES = 0x0101010101010101L;

	private static final long HIGHS = 0x8080808080808080L;

	private static final long NEWLINES = ONES * '\n';

	private static final long QUOTES = ONES * '"';

	private static final long BACKSLASHES = ONES * '\\';

	private static final long SPACES = ONES * 0x20;

	private Bytes() {
	}

	/**
	 * The index of the first {@code '\n'} in {@code buf[from, to)}, or -1. Reads eight
	 * bytes as one little-endian word and finds a zero byte in {@code word ^ 0x0a0a…}
	 * with the classic "has zero byte" test: a borrow can only mark bytes above a real
	 * zero byte, so the lowest marked byte is always the first newline.
	 */
	static int indexOfNewline(byte[] buf, int from, int to) {
		int i = from;
		int last = to - Long.BYTES;
		while (i <= last) {
			long x = ((long) LONGS.get(buf, i)) ^ NEWLINES;
			long found = (x - ONES) & ~x & HIGHS;
			if (found != 0) {
				return i + firstMarked(found);
			}
			i += Long.BYTES;
		}
		for (; i < to; i++) {
			if (buf[i] == '\n') {
				return i;
			}
		}
		return -1;
	}

	/**
	 * The index of the first byte in {@code buf[from, to)} that ends a plain run inside a
	 * JSON string: a quote, a backslash, a control character (below 0x20) or a byte of a
	 * UTF-8 sequence (0x80 and above); {@code to} when there is none. Eight bytes a word,
	 * as {@link #indexOfNewline}: the quote and the backslash by the "has zero byte"
	 * test, a byte below 0x20 by its borrow in {@code word - 0x2020…}, a byte from 0x80
	 * by its high bit; a borrow marks only bytes above a real stop, so the lowest marked
	 * byte is the first stop.
	 */
	static int stringStop(byte[] buf, int from, int to) {
		int i = from;
		int last = to - Long.BYTES;
		while (i <= last) {
			long x = (long) LONGS.get(buf, i);
			long q = x ^ QUOTES;
			long b = x ^ BACKSLASHES;
			long found = (((q - ONES) & ~q) | ((b - ONES) & ~b) | (x - SPACES) | x) & HIGHS;
			if (found != 0) {
				return i + firstMarked(found);
			}
			i += Long.BYTES;
		}
		for (; i < to; i++) {
			byte c = buf[i];
			if (c < 0x20 || c == '"' || c == '\\') {
				return i;
			}
		}
		return to;
	}

	/**
	 * The length (2 to 4) of the well-formed UTF-8 sequence (RFC 3629: no overlong form,
	 * no surrogate, nothing past U+10FFFF) that starts at {@code src[i]}, a byte of 0x80
	 * or above; -1 when it is not one or runs past {@code end}.
	 */
	static int sequenceLength(byte[] src, int i, int end) {
		int lead = src[i] & 0xFF;
		int n;
		int min = 0x80;
		int max = 0xBF;
		if (lead >= 0xC2 && lead <= 0xDF) {
			n = 2;
		}
		else if (lead >= 0xE0 && lead <= 0xEF) {
			n = 3;
			min = (lead == 0xE0) ? 0xA0 : 0x80;
			max = (lead == 0xED) ? 0x9F : 0xBF;
		}
		else if (lead >= 0xF0 && lead <= 0xF4) {
			n = 4;
			min = (lead == 0xF0) ? 0x90 : 0x80;
			max = (lead == 0xF4) ? 0x8F : 0xBF;
		}
		else {
			return -1;
		}
		if (i + n > end) {
			return -1;
		}
		int second = src[i + 1] & 0xFF;
		if (second < min || second > max) {
			return -1;
		}
		for (int k = i + 2; k < i + n; k++) {
			if ((src[k] & 0xC0) != 0x80) {
				return -1;
			}
		}
		return n;
	}

	/**
	 * The index (0–7, from the lowest) of the lowest byte whose high bit is set in a
	 * non-zero word of high bits: the lowest bit isolated, moved to the byte's bottom and
	 * multiplied by {@code 0x0001020304050607}, whose byte {@code 7 - k} holds {@code k},
	 * so that the top byte of the product is {@code k}. Under C1 (the app's compiler)
	 * {@code Long.numberOfTrailingZeros} is a call, 3 % of the parse threads' samples.
	 */
	static int firstMarked(long highs) {
		return (int) ((((highs & -highs) >>> 7) * 0x0001020304050607L) >>> 56);
	}

	/**
	 * The index of the first occurrence of {@code needle} in {@code buf[off, off+len)},
	 * or -1: Horspool's search, which skips up to the needle's length at each step.
	 */
	static int indexOf(byte[] buf, int off, int len, byte[] needle, int[] shifts) {
		int m = needle.length;
		int end = off + len;
		int i = off;
		byte lastByte = needle[m - 1];
		while (i + m <= end) {
			byte b = buf[i + m - 1];
			if (b == lastByte) {
				int j = m - 2;
				while (j >= 0 && buf[i + j] == needle[j]) {
					j--;
				}
				if (j < 0) {
					return i;
				}
			}
			i += shifts[b & 0xff];
		}
		return -1;
	}

	/** Horspool's shift table of a needle, for {@link #indexOf}. */
	static int[] shifts(byte[] needle) {
		int m = needle.length;
		int[] shifts = new int[256];
		Arrays.fill(shifts, m);
		for (int k = 0; k < m - 1; k++) {
			shifts[needle[k] & 0xff] = m - 1 - k;
		}
		return shifts;
	}

}
