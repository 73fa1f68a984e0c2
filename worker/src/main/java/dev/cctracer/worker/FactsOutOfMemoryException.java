package dev.cctracer.worker;

import java.sql.SQLException;

/**
 * The facts writer's DuckDB instance ran out of memory writing a batch
 * ({@code FactsStore.sync}): its limit ({@code cctracer.duckdb.writer-memory-limit}) is
 * too small for one batch per parse thread (an appender's table cannot spill to disk).
 * The message names the setting and its value, then DuckDB's own first line; the facts of
 * that sync are not written.
 */
public class FactsOutOfMemoryException extends SQLException {

	private static final long serialVersionUID = 1L;

	/**
	 * @param limit the writer's memory limit as configured (e.g. {@code 1GB})
	 * @param cause DuckDB's error
	 */
	public FactsOutOfMemoryException(String limit, SQLException cause) {
		super("the facts writer ran out of memory at cctracer.duckdb.writer-memory-limit=" + limit
				+ ": raise it (it holds one batch of 32-64 MB of JSONL per parse thread); DuckDB said: "
				+ firstLine(cause.getMessage()), cause.getSQLState(), cause);
	}

	/**
	 * Whether DuckDB's error is its out-of-memory error: "Out of Memory Error", or its
	 * appender's "failed to allocate data of size …" (a limit far below one row group: a
	 * trial's 1KB).
	 */
	public static boolean isOutOfMemory(SQLException ex) {
		return ex.getMessage() != null && saysOutOfMemory(ex.getMessage());
	}

	private static boolean saysOutOfMemory(String text) {
		return text.contains("Out of Memory Error") || text.contains("failed to allocate data of size");
	}

	private static String firstLine(String message) {
		for (String line : message.split("\n")) {
			if (saysOutOfMemory(line)) {
				return line.strip();
			}
		}
		return message.strip();
	}

}
