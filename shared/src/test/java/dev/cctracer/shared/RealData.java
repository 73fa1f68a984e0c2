package dev.cctracer.shared;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates {@code ../shared/realdata} (real transcripts from public repositories) for
 * tests.
 */
public final class RealData {

	private RealData() {
	}

	public static Path dir() {
		String configured = System.getProperty("realdata.dir");
		Path dir = (configured != null) ? Path.of(configured) : Path.of("..", "..", "shared", "realdata");
		if (!Files.isDirectory(dir)) {
			throw new IllegalStateException("real transcripts not found at " + dir.toAbsolutePath()
					+ " (the shared/ folder must sit beside the checkout)");
		}
		return dir.toAbsolutePath().normalize();
	}

	public static Path file(String relative) {
		return dir().resolve(relative);
	}

}
