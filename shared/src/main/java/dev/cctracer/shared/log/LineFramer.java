package dev.cctracer.shared.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

import dev.cctracer.shared.log.JsonlReader.RawLineHandler;

/**
 * Cuts a byte range of a JSONL file into its lines, byte-offset exact, with bounded
 * memory: a line that fits the read buffer is handed over as bytes in the buffer, a
 * longer one (up to the cap) as a stream over the channel, and one over the cap is
 * skipped whole and reported as over-long with its length in bytes (newline excluded).
 * <p>
 * Only bytes in {@code [start, end)} are read. A range that ends without a {@code '\n'}
 * has its last bytes reported as a line: callers pass an {@code end} from
 * {@link #completeEnd} (just after the last newline) unless the file is complete, so a
 * partial last line of a live session is never consumed.
 */
final class LineFramer {

	/** Read buffers (and {@link #completeEnd} blocks) kept for reuse, per size. */
	private static final int SPARE_BUFFERS = 4;

	/** Ranges up to this size get a buffer of their own size (live appends are small). */
	private static final long SMALL_RANGE = 64 * 1024;

	/**
	 * 64 KiB blocks of {@link #completeEnd}, kept for reuse: one per file added up to 190
	 * MB on the cold index.
	 */
	private static final ConcurrentLinkedQueue<ByteBuffer> SPARE_BLOCKS = new ConcurrentLinkedQueue<>();

	/**
	 * Read buffers kept for reuse, by size, shared by every framer of that size (at most
	 * {@link #SPARE_BUFFERS} each): a fresh 1 MiB buffer per file is a humongous object
	 * for G1 at a 512 MB heap, and the cold index of 3,000 files set off a young
	 * collection and a marking cycle about every hundred files.
	 */
	private static final ConcurrentHashMap<Integer, ConcurrentLinkedQueue<byte[]>> SPARES = new ConcurrentHashMap<>();

	private final int bufferSize;

	private final long maxLineBytes;

	/** The pool of read buffers of this framer's size. */
	private final ConcurrentLinkedQueue<byte[]> spare;

	/**
	 * @param bufferSize size of the read buffer in bytes (at least 16, checked by the
	 * caller): longer lines are streamed
	 * @param maxLineBytes cap on one line in bytes: longer lines are skipped as over-long
	 */
	LineFramer(int bufferSize, long maxLineBytes) {
		this.bufferSize = bufferSize;
		this.maxLineBytes = maxLineBytes;
		this.spare = SPARES.computeIfAbsent(bufferSize, (size) -> new ConcurrentLinkedQueue<>());
	}

	/**
	 * Drops every buffer kept for reuse (each framer allocates again when it needs one).
	 */
	static void releaseSpares() {
		SPARES.values().forEach(ConcurrentLinkedQueue::clear);
		SPARE_BLOCKS.clear();
	}

	/** Read buffers of this size kept for reuse now (for tests). */
	static int spareCount(int bufferSize) {
		ConcurrentLinkedQueue<byte[]> pool = SPARES.get(bufferSize);
		return (pool != null) ? pool.size() : 0;
	}

	/**
	 * The offset just after the last {@code '\n'} in {@code [from, size)}, or
	 * {@code from} when there is none: the end of what can be consumed now.
	 * @throws IOException when the channel cannot be read or shrank below {@code size}
	 */
	static long completeEnd(FileChannel channel, long from, long size) throws IOException {
		ByteBuffer spare = SPARE_BLOCKS.poll();
		ByteBuffer block = (spare != null) ? spare : ByteBuffer.allocate(64 * 1024);
		try {
			return completeEnd(channel, from, size, block);
		}
		finally {
			if (SPARE_BLOCKS.size() < SPARE_BUFFERS) {
				SPARE_BLOCKS.offer(block);
			}
		}
	}

	private static long completeEnd(FileChannel channel, long from, long size, ByteBuffer block) throws IOException {
		long blockEnd = size;
		while (blockEnd > from) {
			long blockStart = Math.max(from, blockEnd - block.capacity());
			int length = (int) (blockEnd - blockStart);
			block.clear().limit(length);
			readFully(channel, block, blockStart);
			for (int i = length - 1; i >= 0; i--) {
				if (block.get(i) == '\n') {
					return blockStart + i + 1;
				}
			}
			blockEnd = blockStart;
		}
		return from;
	}

	/**
	 * Reports every line in {@code [start, end)} to the handler, in file order.
	 * @return the number of lines reported (buffered, streamed and over-long)
	 * @throws IOException when the channel cannot be read or shrank below {@code end}
	 */
	long forEachLine(FileChannel channel, long start, long end, RawLineHandler handler) throws IOException {
		byte[] buf;
		if (end - start > SMALL_RANGE) {
			byte[] reused = this.spare.poll();
			buf = (reused != null) ? reused : new byte[this.bufferSize];
		}
		else {
			buf = new byte[(int) Math.min(this.bufferSize, Math.max(16, end - start))];
		}
		try {
			return forEachLine(channel, start, end, handler, buf);
		}
		finally {
			if (buf.length == this.bufferSize && this.spare.size() < SPARE_BUFFERS) {
				this.spare.offer(buf);
			}
		}
	}

	private long forEachLine(FileChannel channel, long start, long end, RawLineHandler handler, byte[] buf)
			throws IOException {
		ByteBuffer wrapper = ByteBuffer.wrap(buf);
		long lines = 0;
		long pos = start;
		while (pos < end) {
			int len = (int) Math.min(buf.length, end - pos);
			wrapper.clear().limit(len);
			readFully(channel, wrapper, pos);
			int lineStart = 0;
			for (int i = Bytes.indexOfNewline(buf, 0, len); i >= 0; i = Bytes.indexOfNewline(buf, lineStart, len)) {
				emit(buf, lineStart, i - lineStart, pos + lineStart, handler);
				lines++;
				lineStart = i + 1;
			}
			if (lineStart == 0) {
				if (pos + len >= end) {
					// the range ends without a newline: the caller said it is complete
					emit(buf, 0, len, pos, handler);
					return lines + 1;
				}
				long newline = findNewline(channel, pos + len, end);
				long lineLength = newline - pos;
				if (lineLength > this.maxLineBytes) {
					handler.overlong(pos, lineLength);
				}
				else {
					handler.streamed(pos, lineLength, new ChannelRangeInputStream(channel, pos, lineLength));
				}
				lines++;
				pos = Math.min(end, newline + 1);
			}
			else if (lineStart < len && pos + len >= end) {
				// trailing bytes without newline at the very end of a complete range
				emit(buf, lineStart, len - lineStart, pos + lineStart, handler);
				return lines + 1;
			}
			else {
				pos += lineStart;
			}
		}
		return lines;
	}

	private void emit(byte[] buf, int off, int len, long offset, RawLineHandler handler) {
		if (len > this.maxLineBytes) {
			handler.overlong(offset, len);
		}
		else {
			handler.buffered(offset, buf, off, len);
		}
	}

	/**
	 * Just past the first {@code '\n'} in {@code [at, end)}, or {@code end} when there is
	 * none or the file ends first.
	 */
	static long lineStartAfter(FileChannel channel, long at, long end) throws IOException {
		long newline = newlineIn(channel, at, end, false);
		return (newline < 0) ? end : newline + 1;
	}

	/**
	 * The first {@code '\n'} in {@code [from, end)}, or {@code end} when there is none.
	 */
	private static long findNewline(FileChannel channel, long from, long end) throws IOException {
		long newline = newlineIn(channel, from, end, true);
		return (newline < 0) ? end : newline;
	}

	/**
	 * The offset of the first {@code '\n'} in {@code [from, end)}, or -1 when there is
	 * none; when the file ends before {@code end}, {@code strict} throws, else -1.
	 * @throws IOException when the channel cannot be read, or ({@code strict}) it shrank
	 * below {@code end}
	 */
	private static long newlineIn(FileChannel channel, long from, long end, boolean strict) throws IOException {
		ByteBuffer block = ByteBuffer.allocate((int) Math.max(1, Math.min(64 * 1024, end - from)));
		for (long pos = from; pos < end;) {
			int len = (int) Math.min(block.capacity(), end - pos);
			block.clear().limit(len);
			int n;
			if (strict) {
				readFully(channel, block, pos);
				n = len;
			}
			else {
				n = channel.read(block, pos);
				if (n <= 0) {
					return -1;
				}
			}
			int i = Bytes.indexOfNewline(block.array(), 0, n);
			if (i >= 0) {
				return pos + i;
			}
			pos += n;
		}
		return -1;
	}

	static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		long pos = position;
		while (buffer.hasRemaining()) {
			int n = channel.read(buffer, pos);
			if (n < 0) {
				throw new IOException("file shrank while reading at offset " + pos);
			}
			pos += n;
		}
	}

}
