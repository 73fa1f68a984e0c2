package dev.cctracer.worker.analytics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The exports dir keeps the newest exports of the last day and no crashed job's temporary
 * file ({@link EntriesExport#prune}): each export holds every line of its scope, and a
 * live history's data version (which names each new export job) moves with every append.
 */
class ExportPruningTests {

	private static final long NOW = 1_780_000_000_000L;

	private static final long MINUTE = 60_000L;

	@TempDir
	Path dir;

	@Test
	void keepsTheNewestExportsAndTheOneJustWritten() throws IOException {
		// 30 exports a minute apart, the newest 0 minutes old; the one just written is
		// older than some (its clock) but is kept whatever its time
		for (int i = 0; i < 30; i++) {
			file("job-" + i + ".csv", NOW - i * MINUTE);
		}
		file("written.parquet", NOW - 40 * MINUTE);
		EntriesExport.prune(this.dir, "written.parquet", NOW);
		assertThat(names()).hasSize(EntriesExport.KEEP)
			.contains("written.parquet")
			.contains("job-0.csv", "job-18.csv")
			.doesNotContain("job-19.csv", "job-29.csv");
	}

	@Test
	void removesExportsOlderThanADayAndCrashedJobsTemporaryFiles() throws IOException {
		file("yesterday.json", NOW - 25 * 60 * MINUTE);
		file("today.json", NOW - 23 * 60 * MINUTE);
		file("crashed.csv.tmp", NOW - 61 * MINUTE);
		file("running.csv.tmp", NOW - 5 * MINUTE);
		file("written.csv", NOW);
		Files.createDirectory(this.dir.resolve("a-dir"));
		EntriesExport.prune(this.dir, "written.csv", NOW);
		assertThat(names()).containsExactlyInAnyOrder("today.json", "running.csv.tmp", "written.csv", "a-dir");
	}

	private void file(String name, long modified) throws IOException {
		Path f = Files.writeString(this.dir.resolve(name), name);
		Files.setLastModifiedTime(f, FileTime.fromMillis(modified));
	}

	private List<String> names() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.map((p) -> p.getFileName().toString()).toList();
		}
	}

}
