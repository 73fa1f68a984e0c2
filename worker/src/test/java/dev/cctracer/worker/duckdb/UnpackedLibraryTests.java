package dev.cctracer.worker.duckdb;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link UnpackedLibrary}.
 */
class UnpackedLibraryTests {

	@Test
	void theLoadedLibraryLeavesNoFileInTheTemporaryDir() throws Exception {
		Path maps = Path.of("/proc/self/maps");
		assumeTrue(Files.isReadable(maps), "Linux only");
		try (Connection c = DriverManager.getConnection("jdbc:duckdb:")) {
			// this process's copy (another process's may be there too: not ours to take)
			List<Path> ours = UnpackedLibrary.mapped(Files.readAllLines(maps),
					Path.of(System.getProperty("java.io.tmpdir")).toRealPath());
			UnpackedLibrary.remove();
			assertThat(ours).allSatisfy((p) -> assertThat(p).doesNotExist());
			// loaded, from a file that is gone
			assertThat(Files.readAllLines(maps).stream().filter((l) -> l.contains("libduckdb_java"))).isNotEmpty()
				.allSatisfy((l) -> assertThat(l).endsWith(" (deleted)"));
			// and it still works
			try (var rs = c.createStatement().executeQuery("SELECT 40 + 2")) {
				rs.next();
				assertThat(rs.getInt(1)).isEqualTo(42);
			}
		}
	}

	@Test
	void onlyTheLibraryInTheTemporaryDirIsTaken() {
		Path tmp = Path.of("/tmp");
		List<String> maps = List.of("7f00-7f01 r-xp 00000000 fd:01 123 /tmp/libduckdb_java4242.so",
				"7f01-7f02 r--p 00100000 fd:01 123 /tmp/libduckdb_java4242.so",
				"7f02-7f03 r-xp 00000000 fd:01 124 /tmp/libduckdb_java77.so (deleted)",
				"7f03-7f04 r-xp 00000000 fd:01 125 /opt/app/libduckdb_java.so",
				"7f04-7f05 r-xp 00000000 fd:01 126 /tmp/libother.so", "7f05-7f06 rw-p 00000000 00:00 0 ",
				"7f06-7f07 rw-p 00000000 00:00 0 [heap]");
		assertThat(UnpackedLibrary.mapped(maps, tmp)).containsExactly(Path.of("/tmp/libduckdb_java4242.so"));
	}

}
