package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;

import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * Writing a fact file: DuckDB copies a query's rows to Parquet, published atomically; and
 * whether one is whole.
 */
final class FactParquet {

	/** What a Parquet file starts and ends with (Apache Parquet's file format). */
	private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

	private FactParquet() {
	}

	/**
	 * Writes the rows of {@code select} as zstd Parquet to a temporary file beside
	 * {@code target}, readable by its owner only, then renames it to {@code target}.
	 * @throws SQLException when DuckDB cannot run the query or write the file
	 * @throws IOException when the file cannot be renamed
	 */
	static void copy(Statement statement, String select, Path target) throws IOException, SQLException {
		Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
		try {
			statement.execute("COPY (" + select + ") TO " + DuckDbEngine.literal(tmp.toString())
					+ " (FORMAT parquet, COMPRESSION zstd)");
			SafePaths.ownerOnly(tmp);
			Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		finally {
			Files.deleteIfExists(tmp);
		}
	}

	/**
	 * Whether a fact file is there and whole as far as its frame tells: a regular file of
	 * at least 12 bytes that starts and ends with Parquet's magic {@code PAR1}. A file
	 * cut short, overwritten or removed fails (DuckDB's "No magic bytes found at end of
	 * file"); damage inside a whole frame shows only when DuckDB reads it.
	 */
	static boolean intact(Path file) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size < 12) {
				return false;
			}
			ByteBuffer head = ByteBuffer.allocate(4);
			ByteBuffer tail = ByteBuffer.allocate(4);
			while (head.hasRemaining() && channel.read(head, head.position()) >= 0) {
				// reads the first four bytes
			}
			while (tail.hasRemaining() && channel.read(tail, size - 4 + tail.position()) >= 0) {
				// reads the last four bytes
			}
			return Arrays.equals(head.array(), MAGIC) && Arrays.equals(tail.array(), MAGIC);
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

}
