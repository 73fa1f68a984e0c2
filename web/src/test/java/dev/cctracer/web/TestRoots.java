package dev.cctracer.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.test.context.DynamicPropertyRegistry;

import dev.cctracer.generator.DatasetGenerator;
import dev.cctracer.generator.GroundTruth;

/**
 * A temporary root for an app-level test: {@code claude/} is the Claude config dir (with
 * an empty {@code projects/}), {@code data/} the data dir.
 */
public final class TestRoots {

	private TestRoots() {
	}

	/** A fresh root under {@code java.io.tmpdir}. */
	public static Path create(String prefix) throws IOException {
		Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
		Path root = Files.createTempDirectory(prefix);
		Files.createDirectories(root.resolve("claude/projects"));
		return root;
	}

	/**
	 * A fresh root whose {@code claude/} holds a generated dataset, and its ground truth.
	 */
	public record Generated(Path root, GroundTruth truth) {

	}

	/** {@link #create} plus a generated dataset; for a test class's static set-up. */
	public static Generated generated(String prefix, DatasetGenerator.Spec spec) {
		try {
			Path root = create(prefix);
			return new Generated(root, new DatasetGenerator(spec).generate(root.resolve("claude")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Points the app at the root's {@code claude/} and {@code data/}, demo data off. */
	public static void register(DynamicPropertyRegistry registry, Path root) {
		registry.add("cctracer.claude-dirs", () -> root.resolve("claude").toString());
		registry.add("cctracer.data-dir", () -> root.resolve("data").toString());
		registry.add("cctracer.demo", () -> "off");
	}

	/**
	 * No watcher and no periodic scan: every scan is the test's own
	 * ({@code Indexer.scanAndIngest}).
	 */
	public static void scansOnlyWhenAsked(DynamicPropertyRegistry registry) {
		registry.add("cctracer.ingest.watch", () -> "false");
		registry.add("cctracer.ingest.scan-interval", () -> "1h");
	}

}
