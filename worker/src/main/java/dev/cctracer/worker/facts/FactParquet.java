package dev.cctracer.worker.facts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;

import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/** Writing a fact file: DuckDB copies a query's rows to Parquet, published atomically. */
final class FactParquet {

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

}
