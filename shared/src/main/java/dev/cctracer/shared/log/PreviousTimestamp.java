package dev.cctracer.shared.log;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;

/**
 * The time a usage line without a timestamp counts at, read in file order: that of the
 * last line before it in its file that has one, or 0 (the epoch) when none has. The
 * ingest ({@code ChunkParser}), the facts and the session view all count such a line by
 * this rule, so the day it lands on does not depend on where a commit, a sync or a piece
 * of a file began: a range that starts inside a file reads the lines before it back
 * ({@link JsonlReader#lastTimestampBefore}), once and only when such a line needs it. One
 * instance per range read; not thread-safe.
 */
public final class PreviousTimestamp {

	private final JsonlReader reader;

	private final FileChannel channel;

	private final long start;

	private Long last;

	private boolean readBack;

	/** For a read from the file's start: nothing lies before it. */
	public PreviousTimestamp() {
		this(null, null, 0);
	}

	/**
	 * For a read of {@code channel} from {@code start} (a line start) on.
	 * @param reader the reader whose framing and line cap read the lines before
	 * {@code start}
	 */
	public PreviousTimestamp(JsonlReader reader, FileChannel channel, long start) {
		this.reader = reader;
		this.channel = channel;
		this.start = start;
		this.readBack = start == 0;
	}

	/**
	 * Notes a line's own timestamp (epoch ms), {@code null} when it has none; call it for
	 * every line that is a JSON object, in file order.
	 */
	public void see(Long timestamp) {
		if (timestamp != null) {
			this.last = timestamp;
		}
	}

	/**
	 * The time a usage line counts at (epoch ms): its own timestamp, else the last one
	 * seen before it, else the one read back before the range's start, else 0.
	 * @param own the line's own timestamp, or {@code null}
	 * @throws UncheckedIOException when the lines before the range cannot be read (the
	 * file shrank below its start)
	 */
	public long countedAt(Long own) {
		if (own != null) {
			return own;
		}
		if (this.last == null && !this.readBack) {
			this.readBack = true;
			try {
				this.last = this.reader.lastTimestampBefore(this.channel, 0, this.start);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return (this.last != null) ? this.last : 0L;
	}

}
