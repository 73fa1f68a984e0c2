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
 * where the OS gives one) and a hash of the first bytes.
 */
public final class FileIdentity {

	/** How many head bytes the fingerprint covers once the file is long enough. */
	public static final int HEAD_BYTES = 1024;

	private FileIdentity() {
	}

	/** The OS file key as text, or {@code null} when the file system has none. */
	public static String fileKey(BasicFileAttributes attributes) {
		Object key = attributes.fileKey();
		return (key != null) ? key.toString() : null;
	}

	/** SHA-256 (hex) of the first {@code length} bytes of the file. */
	public static String headFingerprint(FileChannel channel, int length) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(length);
		long pos = 0;
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
