package dev.cctracer.worker.duckdb;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DuckDB's JDBC driver unpacks its native library (~57 MB) to a new temporary file
 * ({@code libduckdb_java*.so} in {@code java.io.tmpdir}) in every process and deletes it
 * only when the JVM exits normally: a process killed (SIGKILL, a crash, the OOM killer)
 * left it behind, 57 MB each. Once the library is loaded, its file is removed at once: on
 * Linux a loaded library stays mapped after its file is gone. Found through
 * {@code /proc/self/maps}; elsewhere (no such file) nothing is done.
 */
final class UnpackedLibrary {

	private static final Logger log = LoggerFactory.getLogger(UnpackedLibrary.class);

	private static final AtomicBoolean DONE = new AtomicBoolean();

	private UnpackedLibrary() {
	}

	/**
	 * Deletes the unpacked DuckDB library this process loaded from the temporary dir,
	 * once per process; call after the first connection (the driver loads it then).
	 * Failures are logged at debug and ignored: the JVM's exit deletes it as before.
	 */
	static void remove() {
		if (!DONE.compareAndSet(false, true)) {
			return;
		}
		Path maps = Path.of("/proc/self/maps");
		if (!Files.isReadable(maps)) {
			return;
		}
		try {
			for (Path library : mapped(Files.readAllLines(maps),
					Path.of(System.getProperty("java.io.tmpdir")).toRealPath())) {
				Files.deleteIfExists(library);
				log.debug("duckdb: removed its unpacked library {} (it stays loaded)", library.getFileName());
			}
		}
		catch (IOException | RuntimeException ex) {
			log.debug("duckdb: its unpacked library stays until the JVM exits: {}", ex.toString());
		}
	}

	/**
	 * The files of {@code maps} lines (the {@code /proc/<pid>/maps} format: the path is
	 * the sixth field) that are DuckDB's unpacked library directly in {@code tmp}, each
	 * once; not those already deleted (marked {@code (deleted)}).
	 */
	static List<Path> mapped(List<String> maps, Path tmp) {
		return maps.stream()
			.map((line) -> line.split("\\s+", 6))
			.filter((fields) -> fields.length == 6 && fields[5].startsWith("/") && !fields[5].endsWith(" (deleted)"))
			.map((fields) -> Path.of(fields[5]))
			.filter((p) -> tmp.equals(p.getParent()) && p.getFileName().toString().startsWith("libduckdb_java")
					&& p.getFileName().toString().endsWith(".so"))
			.distinct()
			.toList();
	}

}
