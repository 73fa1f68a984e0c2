package dev.cctracer.worker.facts;

import java.sql.SQLException;

import org.duckdb.DuckDBAppender;

/** Nullable values for DuckDB's appender, which takes primitives and strings only. */
final class Appenders {

	private Appenders() {
	}

	static void string(DuckDBAppender a, String value) throws SQLException {
		if (value == null) {
			a.appendNull();
		}
		else {
			a.append(value);
		}
	}

	/**
	 * UTF-8 bytes into a VARCHAR column (well-formed UTF-8 only: DuckDB takes them as
	 * they are).
	 */
	static void utf8(DuckDBAppender a, byte[] value) throws SQLException {
		if (value == null) {
			a.appendNull();
		}
		else {
			a.append(value);
		}
	}

	static void number(DuckDBAppender a, Long value) throws SQLException {
		if (value == null) {
			a.appendNull();
		}
		else {
			a.append(value.longValue());
		}
	}

}
