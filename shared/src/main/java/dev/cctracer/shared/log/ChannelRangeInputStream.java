package dev.cctracer.shared.log;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Positional reads of a byte range of a channel, for lines too long to buffer: ends
 * (returns -1) at the end of the range or of the file, whichever comes first. Does not
 * move the channel's position and does not close it.
 */
public final class ChannelRangeInputStream extends InputStream {

	private final FileChannel channel;

	private long position;

	private final long end;

	/**
	 * @param start offset of the range's first byte
	 * @param length length of the range in bytes
	 */
	public ChannelRangeInputStream(FileChannel channel, long start, long length) {
		this.channel = channel;
		this.position = start;
		this.end = start + length;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] b, int off, int len) throws IOException {
		if (this.position >= this.end) {
			return -1;
		}
		int n = (int) Math.min(len, this.end - this.position);
		int read = this.channel.read(ByteBuffer.wrap(b, off, n), this.position);
		if (read < 0) {
			return -1;
		}
		this.position += read;
		return read;
	}

}
