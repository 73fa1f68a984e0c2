package dev.cctracer.db.support;

/**
 * Told the duration of every {@link DirectBatch} statement, so the slow log still sees
 * the statements that run below the logging proxy.
 */
@FunctionalInterface
public interface SlowStatements {

	/**
	 * A batch ran.
	 * @param sql the statement (the application's text, never parameters)
	 * @param rows how many parameter sets it had
	 * @param nanos how long it took
	 */
	void batch(String sql, int rows, long nanos);

}
