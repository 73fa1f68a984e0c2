package dev.cctracer.shared.discovery;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What tells one file from another at the same path: the OS file key (device and inode
 * where the OS gives one), a hash of the first bytes and one of the bytes before the
 * committed offset.
 */
public final class FileIdentity {

	/** How many head bytes the fingerprint covers once the file is long enough. */
	public static final int HEAD_BYTES = 1024;

	/** How many bytes before a committed offset its fingerprint covers. */
	public static final int TAIL_BYTES = 1024;

	private FileIdentity() {
	}

	/** The OS file key as text, or {@code null} when the file system has none. */
	public static String fileKey(BasicFileAttributes attributes) {
		Object key = attributes.fileKey();
		return (key != null) ? key.toString() : null;
	}

	/** SHA-256 (hex) of the first {@code length} bytes of the file. */
	public static String headFingerprint(FileChannel channel, int length) throws IOException {
		return sha256(channel, 0, length);
	}

	/**
	 * SHA-256 (hex) of the up to {@link #TAIL_BYTES} bytes before {@code offset}: with
	 * the head's, what tells a file that grew from one rewritten longer (a restore, a
	 * sync tool or an editor writing another version), whose bytes before the committed
	 * offset are not the ones read.
	 * @param offset a committed offset (bytes), at most the file's size
	 * @return the hash, or {@code null} for offset 0
	 */
	public static String tailFingerprint(FileChannel channel, long offset) throws IOException {
		if (offset <= 0) {
			return null;
		}
		int length = (int) Math.min(TAIL_BYTES, offset);
		return sha256(channel, offset - length, length);
	}

	private static String sha256(FileChannel channel, long from, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length);
		long pos = from;
		while (buffer.hasRemaining()) {
			int n = channel.read(buffer, pos);
			if (n < 0) {
				break;
			}
			pos += n;
		}
		buffer.flip();
		try {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			digest.update(buffer);
			return HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Relative path of {@code file} under {@code root} with '/' separators. */
	public static String relative(Path root, Path file) {
		return root.relativize(file).toString().replace('\\', '/');
	}

}
