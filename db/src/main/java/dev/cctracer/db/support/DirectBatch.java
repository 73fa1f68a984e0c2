package dev.cctracer.db.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.ParameterizedPreparedStatementSetter;
import org.springframework.jdbc.datasource.DataSourceUtils;
import org.springframework.stereotype.Component;

/**
 * Batched statements of the ingest's hot path, run on the physical connection of the
 * current transaction.
 *
 * <p>
 * The application's {@code DataSource} is wrapped by a statement-logging proxy
 * (datasource-proxy, for the slow log) that records every bound parameter: on the cold
 * index of the medium set (~50k usage copies, 3,000 files) that recording was about a
 * tenth of the ingest's time. These batches unwrap the connection the transaction holds
 * (same connection, same transaction) and report their duration to {@link SlowStatements}
 * instead.
 */
@Component
public class DirectBatch {

	private final JdbcTemplate template;

	private final ObjectProvider<SlowStatements> listeners;

	@Autowired
	public DirectBatch(JdbcTemplate template, ObjectProvider<SlowStatements> listeners) {
		this.template = template;
		this.listeners = listeners;
	}

	/** Without a slow-statement listener (tests). */
	public DirectBatch(JdbcTemplate template) {
		this(template, null);
	}

	/**
	 * Runs {@code sql} once per row, {@code batchSize} rows per round trip.
	 * @return the update count of each row, in order
	 */
	public <T> int[] run(String sql, List<T> rows, int batchSize, ParameterizedPreparedStatementSetter<T> setter) {
		int[] counts = new int[rows.size()];
		if (rows.isEmpty()) {
			return counts;
		}
		return onPhysicalConnection(sql, rows.size(), (ps) -> {
			int done = 0;
			int pending = 0;
			for (T row : rows) {
				setter.setValues(ps, row);
				ps.addBatch();
				if (++pending == batchSize) {
					done = copy(ps.executeBatch(), counts, done);
					pending = 0;
				}
			}
			if (pending > 0) {
				copy(ps.executeBatch(), counts, done);
			}
			return counts;
		});
	}

	/**
	 * Runs a query of one {@code BIGINT} column with one parameter ({@code limit}) and
	 * feeds each value to the consumer, fetched in chunks (PostgreSQL holds the whole
	 * result in memory unless a fetch size is set inside a transaction).
	 */
	public void forEachLong(String sql, long limit, LongConsumer consumer) {
		onPhysicalConnection(sql, 1, (ps) -> {
			ps.setFetchSize(10_000);
			ps.setLong(1, limit);
			try (ResultSet rs = ps.executeQuery()) {
				while (rs.next()) {
					consumer.accept(rs.getLong(1));
				}
			}
			return null;
		});
	}

	/** Work on a statement prepared on the physical connection. */
	@FunctionalInterface
	private interface StatementWork<R> {

		R apply(PreparedStatement ps) throws SQLException;

	}

	/**
	 * Prepares {@code sql} on the physical connection of the current transaction (or a
	 * connection of its own outside one), runs the work, translates a failure as
	 * {@code JdbcTemplate} would, releases the connection and tells the slow log.
	 */
	private <R> R onPhysicalConnection(String sql, int rows, StatementWork<R> work) {
		DataSource dataSource = this.template.getDataSource();
		Connection connection = DataSourceUtils.getConnection(dataSource);
		long started = System.nanoTime();
		R result;
		try (PreparedStatement ps = physical(connection).prepareStatement(sql)) {
			result = work.apply(ps);
		}
		catch (SQLException ex) {
			RuntimeException translated = this.template.getExceptionTranslator().translate("direct", sql, ex);
			throw (translated != null) ? translated : new IllegalStateException(ex);
		}
		finally {
			DataSourceUtils.releaseConnection(connection, dataSource);
		}
		SlowStatements listener = (this.listeners != null) ? this.listeners.getIfAvailable() : null;
		if (listener != null) {
			listener.batch(sql, rows, System.nanoTime() - started);
		}
		return result;
	}

	private static int copy(int[] batch, int[] counts, int from) {
		System.arraycopy(batch, 0, counts, from, batch.length);
		return from + batch.length;
	}

	/** The driver's connection under the pool's and the logging proxy's wrappers. */
	private static Connection physical(Connection connection) throws SQLException {
		return connection.isWrapperFor(Connection.class) ? connection.unwrap(Connection.class) : connection;
	}

}
