package dev.cctracer.shared.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;

/**
 * Streams the complete lines of a byte range of a JSONL file through Jackson's
 * {@link JsonParser}.
 * <p>
 * Lines up to the buffer size are parsed from the buffer; longer ones are parsed straight
 * from the channel, so memory stays bounded whatever a line's length. A line over the cap
 * is skipped whole and reported as over-long. Only bytes up to {@code end} are read, and
 * callers pass an {@code end} just after a {@code '\n'} (see {@link #completeEnd}), so a
 * partial last line is never consumed.
 * <p>
 * The work is shared out: {@link LineFramer} cuts the range into lines (buffered,
 * streamed or over-long), {@link LogEntryParser} decodes a line into a {@link LogEntry},
 * and this class reports each line's outcome (entry, invalid, blank, over-long) to a
 * {@link LineHandler}. A line of a buffer's size or less that holds several JSON objects
 * back to back is read as those objects, each at its own offset ({@link GluedObjects}).
 */
public final class JsonlReader {

	/** Default cap on one line: 64 MiB. */
	public static final long DEFAULT_MAX_LINE_BYTES = 64L << 20;

	private static final int DEFAULT_BUFFER = 1 << 20;

	private final LineFramer framer;

	/** A reader with a 1 MiB buffer and the default cap of 64 MiB per line. */
	public JsonlReader() {
		this(DEFAULT_BUFFER, DEFAULT_MAX_LINE_BYTES);
	}

	/**
	 * @param bufferSize size of the read buffer in bytes: longer lines are parsed from
	 * the channel
	 * @param maxLineBytes cap on one line in bytes: longer lines are skipped as over-long
	 * @throws IllegalArgumentException when {@code bufferSize} is under 16
	 */
	public JsonlReader(int bufferSize, long maxLineBytes) {
		if (bufferSize < 16) {
			throw new IllegalArgumentException("buffer too small: " + bufferSize);
		}
		this.framer = new LineFramer(bufferSize, maxLineBytes);
	}

	/**
	 * Drops the read buffers every reader of this process keeps for reuse (at most four
	 * of each buffer size, 1 MiB each at the app's size, and four 64 KiB blocks): for a
	 * process about to give its heap back after a burst of reading.
	 */
	public static void releaseSpareBuffers() {
		LineFramer.releaseSpares();
	}

	/**
	 * The offset just after the last {@code '\n'} in {@code [from, size)}, or
	 * {@code from} when there is none: the end of what can be consumed now.
	 * @throws IOException when the channel cannot be read or shrank below {@code size}
	 */
	public static long completeEnd(FileChannel channel, long from, long size) throws IOException {
		return LineFramer.completeEnd(channel, from, size);
	}

	/**
	 * Just past the first {@code '\n'} in {@code [at, end)}: the first line start after
	 * {@code at}; {@code end} when there is none or the file ends first.
	 * @throws IOException when the channel cannot be read
	 */
	public static long lineStartAfter(FileChannel channel, long at, long end) throws IOException {
		return LineFramer.lineStartAfter(channel, at, end);
	}

	/**
	 * Reads every line in {@code [start, end)} and reports each to the handler.
	 * {@code end} must be a line end (just after a {@code '\n'}) or the end of a file
	 * that is complete.
	 * @return the number of lines reported
	 * @throws IOException when the channel cannot be read or shrank below {@code end}
	 */
	public long read(FileChannel channel, long start, long end, LineHandler handler) throws IOException {
		return forEachLine(channel, start, end, new RawLineHandler() {
			@Override
			public void buffered(long offset, byte[] buf, int off, int len) {
				if (isBlank(buf, off, len)) {
					handler.blank(offset);
					return;
				}
				LogEntry entry = LogEntryParser.parse(buf, off, len);
				// objects glued on one line (a last line that lost its newline, then an
				// append): each is read at its own offset, as the appends were
				if (entry != null || !GluedObjects.forEach(offset, buf, off, len, this::buffered)) {
					report(offset, entry, handler);
				}
			}

			@Override
			public void streamed(long offset, long length, InputStream in) {
				LogEntry entry = LogEntryParser.parse(in);
				if (entry == null) {
					// read again as chars, bytes that are not UTF-8 as U+FFFD
					entry = LogEntryParser.parseAgain(channel, offset, length, null);
				}
				report(offset, entry, handler);
			}

			@Override
			public void overlong(long offset, long length) {
				handler.overlong(offset, length);
			}
		});
	}

	/**
	 * The timestamp of the last line in {@code [floor, at)} that has one: what a usage
	 * line without a timestamp at {@code at} takes, whichever range or commit it is read
	 * in. Reads back from {@code at} over windows of 1 MiB, 4 MiB… (each starting at a
	 * line start, each read once) until a timestamp is found or {@code floor} is reached:
	 * a file with no timestamp before {@code at} is read whole from {@code floor}.
	 * @param floor a line start (0 for the file's start)
	 * @param at a line start at or after {@code floor}
	 * @return the timestamp (epoch ms), or {@code null} when no line in the range has one
	 * @throws IOException when the channel cannot be read or shrank below {@code at}
	 */
	public Long lastTimestampBefore(FileChannel channel, long floor, long at) throws IOException {
		// [end, at) holds no timestamp
		long end = at;
		for (long window = 1 << 20; end > floor; window *= 4) {
			long start = Math.max(floor, end - window);
			if (start > floor) {
				// the first line start at or after start
				start = LineFramer.lineStartAfter(channel, start - 1, end);
			}
			if (start == end) {
				// one line longer than the window: a wider one
				continue;
			}
			Long[] last = { null };
			read(channel, start, end, new LineHandler() {
				@Override
				public void entry(long offset, LogEntry entry) {
					if (entry.timestamp() != null) {
						last[0] = entry.timestamp();
					}
				}

				@Override
				public void invalid(long offset) {
				}

				@Override
				public void overlong(long offset, long length) {
				}
			});
			if (last[0] != null) {
				return last[0];
			}
			end = start;
		}
		return null;
	}

	private static void report(long offset, LogEntry entry, LineHandler handler) {
		if (entry == null) {
			handler.invalid(offset);
		}
		else {
			handler.entry(offset, entry);
		}
	}

	/**
	 * The bounded line iteration under {@link #read}, for other parsers of the same
	 * files: every line in {@code [start, end)} as bytes in a buffer, as a stream (longer
	 * than the buffer), or as over-long.
	 * @return the number of lines
	 * @throws IOException when the channel cannot be read or shrank below {@code end}
	 */
	public long forEachLine(FileChannel channel, long start, long end, RawLineHandler handler) throws IOException {
		return this.framer.forEachLine(channel, start, end, handler);
	}

	/** Receives the raw lines of {@link #forEachLine}. */
	public interface RawLineHandler {

		/**
		 * A line held in a buffer, without its newline; the bytes are valid during the
		 * call only.
		 */
		void buffered(long offset, byte[] buf, int off, int len);

		/**
		 * A line longer than the buffer (within the cap), to be parsed from the stream.
		 */
		void streamed(long offset, long length, InputStream in);

		/** A line over the cap. */
		void overlong(long offset, long length);

	}

	/** The JSON factory with the reader's limits, for parsers of lines. */
	public static JsonFactory jsonFactory() {
		return LogEntryParser.FACTORY;
	}

	/**
	 * Reads a {@code message.usage} object (the parser is just past its START_OBJECT):
	 * the four counters, the 5m/1h split when present (else all writes are 5m), and
	 * {@code speed}. Missing fields are 0.
	 * @throws IOException when the JSON is malformed or truncated
	 */
	public static Usage parseUsage(JsonParser p) throws IOException {
		return LogEntryParser.parseUsage(p);
	}

	/** Whether a line holds only spaces, tabs and carriage returns (or nothing). */
	private static boolean isBlank(byte[] buf, int off, int len) {
		for (int i = off; i < off + len; i++) {
			byte b = buf[i];
			if (b != ' ' && b != '\t' && b != '\r') {
				return false;
			}
		}
		return true;
	}

}
