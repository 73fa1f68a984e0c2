package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
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

	/** What the frame of a fact file says of it. */
	enum State {

		/** A regular file framed as Parquet. */
		INTACT,

		/** Not there. */
		MISSING,

		/** Read, but cut short or not framed as Parquet. */
		DAMAGED,

		/** Could not be read (permissions, too many open files…): nothing is known. */
		UNREADABLE;

		/** The worse of two files' states, missing or damaged before unreadable. */
		static State worst(State a, State b) {
			for (State s : new State[] { DAMAGED, MISSING, UNREADABLE }) {
				if (a == s || b == s) {
					return s;
				}
			}
			return INTACT;
		}

	}

	/**
	 * What the frames of a batch's two files say: the worse of its entries file's and its
	 * tools file's {@link #state}.
	 */
	static State batch(Path entries, Path tools) {
		return State.worst(state(entries), state(tools));
	}

	/**
	 * What a fact file's frame says: {@link State#INTACT} for a regular file of at least
	 * 12 bytes that starts and ends with Parquet's magic {@code PAR1}; a file cut short
	 * or overwritten is {@link State#DAMAGED} (DuckDB's "No magic bytes found at end of
	 * file"); damage inside a whole frame shows only when DuckDB reads it.
	 */
	static State state(Path file) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			if (size < 12) {
				return State.DAMAGED;
			}
			ByteBuffer head = ByteBuffer.allocate(4);
			ByteBuffer tail = ByteBuffer.allocate(4);
			while (head.hasRemaining() && channel.read(head, head.position()) >= 0) {
				// reads the first four bytes
			}
			while (tail.hasRemaining() && channel.read(tail, size - 4 + tail.position()) >= 0) {
				// reads the last four bytes
			}
			return (Arrays.equals(head.array(), MAGIC) && Arrays.equals(tail.array(), MAGIC)) ? State.INTACT
					: State.DAMAGED;
		}
		catch (NoSuchFileException ex) {
			return State.MISSING;
		}
		catch (IOException ex) {
			// a directory in its place is damage; anything else is not known to be
			return Files.isDirectory(file) ? State.DAMAGED : State.UNREADABLE;
		}
	}

}
