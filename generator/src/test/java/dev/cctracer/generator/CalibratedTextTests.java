package dev.cctracer.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The calibrated shape's text holds as many bytes a parser stops at inside strings as
 * real transcripts do: bytes of UTF-8 sequences and backslashes a KiB within the range
 * measured on {@code ../shared/realdata} (BENCHMARKS.md, {@code realshape.py}: 0.6–10.8
 * and 9.1–40.6 a KiB), counted on the written files; the classic shape keeps its denser
 * filler (its datasets stay byte for byte as before).
 */
class CalibratedTextTests {

	@TempDir
	Path tmp;

	@Test
	void calibratedTextHasRealTranscriptsShareOfNonAsciiAndEscapes() throws IOException {
		new DatasetGenerator(DatasetGenerator.Spec.calibratedSmall()).generate(this.tmp.resolve("calibrated"));
		double[] perKib = perKib(this.tmp.resolve("calibrated"));
		assertThat(perKib[0]).as("UTF-8 sequence bytes a KiB").isBetween(0.6, 10.8);
		assertThat(perKib[1]).as("backslashes a KiB").isBetween(9.1, 40.6);
	}

	@Test
	void classicTextKeepsItsFiller() throws IOException {
		new DatasetGenerator(DatasetGenerator.Spec.small()).generate(this.tmp.resolve("classic"));
		assertThat(perKib(this.tmp.resolve("classic"))[0]).as("UTF-8 sequence bytes a KiB").isGreaterThan(20);
	}

	/** Bytes of 0x80 and above, and backslashes, a KiB of the dataset's transcripts. */
	private static double[] perKib(Path dir) throws IOException {
		long size = 0;
		long high = 0;
		long backslashes = 0;
		try (Stream<Path> walk = Files.walk(dir)) {
			List<Path> files = walk.filter((p) -> p.toString().endsWith(".jsonl")).toList();
			for (Path file : files) {
				byte[] bytes = Files.readAllBytes(file);
				size += bytes.length;
				for (byte b : bytes) {
					high += (b < 0) ? 1 : 0;
					backslashes += (b == '\\') ? 1 : 0;
				}
			}
		}
		assertThat(size).isPositive();
		return new double[] { high * 1024.0 / size, backslashes * 1024.0 / size };
	}

}
