package dev.cctracer.worker;

import java.time.Duration;
import java.util.regex.Pattern;

import org.springframework.util.unit.DataSize;

/**
 * Checks of the settings a start binds ({@code cctracer.*}): a value no run can work with
 * refuses the start, naming the property (one line: {@code cctracer: cannot start: …}),
 * rather than a start that counts nothing (a line cap of 0 made every line over-long, and
 * the files were never read again) or a stack trace.
 */
public final class Settings {

	/**
	 * DuckDB's memory sizes as we pass them on: a number and a unit ({@code 1GB},
	 * {@code 512MiB}).
	 */
	private static final Pattern DUCKDB_SIZE = Pattern.compile("\\s*[0-9]+(?:\\.[0-9]+)?\\s*(?:[KMGT]i?B|B|bytes)\\s*",
			Pattern.CASE_INSENSITIVE);

	private Settings() {
	}

	/**
	 * @throws IllegalArgumentException naming {@code property} when {@code value} is not
	 * above zero
	 */
	public static Duration positive(String property, Duration value) {
		if (value == null || value.isZero() || value.isNegative()) {
			throw new IllegalArgumentException(property + " must be above 0: " + value);
		}
		return value;
	}

	/**
	 * @throws IllegalArgumentException naming {@code property} when {@code value} is
	 * below {@code min}
	 */
	public static int atLeast(String property, int value, int min) {
		if (value < min) {
			throw new IllegalArgumentException(property + " must be at least " + min + ": " + value);
		}
		return value;
	}

	/**
	 * @param why what a smaller value would do, said with the refusal
	 * @throws IllegalArgumentException naming {@code property} when {@code value} is
	 * below {@code min}
	 */
	public static DataSize atLeast(String property, DataSize value, DataSize min, String why) {
		if (value == null || value.compareTo(min) < 0) {
			throw new IllegalArgumentException(property + " must be at least " + text(min) + " (" + why + "): "
					+ ((value != null) ? text(value) : null));
		}
		return value;
	}

	private static String text(DataSize size) {
		long bytes = size.toBytes();
		if (bytes != 0 && bytes % (1 << 20) == 0) {
			return (bytes >> 20) + "MB";
		}
		return (bytes != 0 && bytes % 1024 == 0) ? (bytes >> 10) + "KB" : bytes + " bytes";
	}

	/**
	 * @throws IllegalArgumentException naming {@code property} when {@code value} is no
	 * size DuckDB takes (a number and a unit, above 0)
	 */
	public static String duckdbSize(String property, String value) {
		if (value == null || !DUCKDB_SIZE.matcher(value).matches() || value.replaceAll("[^1-9]", "").isEmpty()) {
			throw new IllegalArgumentException(
					property + " must be a size above 0 with its unit, such as 1GB or 512MB: " + value);
		}
		return value;
	}

}
