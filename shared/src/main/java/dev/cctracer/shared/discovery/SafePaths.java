package dev.cctracer.shared.discovery;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Resolves names under a root so that nothing outside the root is ever opened: the names
 * are validated, the result is normalized, and after following links its real path must
 * stay under the root's real path.
 */
public final class SafePaths {

	private SafePaths() {
	}

	/**
	 * The real path of {@code root/segments...} if it exists and stays inside
	 * {@code root}; empty otherwise. Segments must be plain names (no separators, no
	 * {@code .} or {@code ..}).
	 */
	public static Optional<Path> resolve(Path root, String... segments) {
		Path candidate = root;
		for (String segment : segments) {
			if (!isPlainName(segment)) {
				return Optional.empty();
			}
			candidate = candidate.resolve(segment);
		}
		candidate = candidate.normalize();
		if (!candidate.startsWith(root.normalize())) {
			return Optional.empty();
		}
		return realInside(root, candidate);
	}

	/**
	 * The real path of {@code candidate} if it exists and, links resolved, is inside
	 * {@code root}.
	 */
	public static Optional<Path> realInside(Path root, Path candidate) {
		try {
			if (!Files.exists(candidate, LinkOption.NOFOLLOW_LINKS)) {
				return Optional.empty();
			}
			Path real = candidate.toRealPath();
			Path realRoot = root.toRealPath();
			return real.startsWith(realRoot) ? Optional.of(real) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The real path of a transcript the scanner registered ({@code root/relPath}, where
	 * {@code relPath} comes from the index, never from a request): with
	 * {@code followLinks} links are followed wherever they point (a GNU Stow or shared
	 * store layout the user made), else only when the target stays inside {@code root}.
	 * @return the real path, or empty when it does not exist, cannot be read or is
	 * refused
	 */
	public static Optional<Path> registered(Path root, String relPath, boolean followLinks) {
		Path candidate = root.resolve(relPath).normalize();
		if (!candidate.startsWith(root.normalize())) {
			return Optional.empty();
		}
		if (!followLinks) {
			return realInside(root, candidate);
		}
		try {
			return Optional.of(candidate.toRealPath());
		}
		catch (IOException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Makes a file the tracer wrote from transcripts (a Parquet archive, an export)
	 * readable and writable by its owner only ({@code rw-------}; a directory
	 * {@code rwx------}). A file system without POSIX permissions is left as it is.
	 * @throws IOException when the permissions cannot be set
	 */
	public static Path ownerOnly(Path path) throws IOException {
		if (!Files.getFileStore(path).supportsFileAttributeView(PosixFileAttributeView.class)) {
			return path;
		}
		Files.setPosixFilePermissions(path,
				PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
		return path;
	}

	static boolean isPlainName(String segment) {
		if (segment == null || segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
			return false;
		}
		for (int i = 0; i < segment.length(); i++) {
			char c = segment.charAt(i);
			if (c == '/' || c == '\\' || c == '\0' || c == '%') {
				return false;
			}
		}
		return true;
	}

}
