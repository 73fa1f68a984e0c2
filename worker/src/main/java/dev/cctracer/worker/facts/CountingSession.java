package dev.cctracer.worker.facts;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.LongConsumer;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.duckdb.DuckDbEngine;
import dev.cctracer.worker.duckdb.DuckPriceTable;

/**
 * What every DuckDB job over the transcripts needs, opened together and closed together:
 * the fact segments to read, a connection, the file table and (when costs are needed) the
 * price table.
 */
public final class CountingSession implements AutoCloseable {

	private final CommittedFiles files;

	private final Connection connection;

	private final String[] fileTables;

	private final String priceTable;

	/** The fee of one web search, pico-USD (0 without prices). */
	private final long webSearchPico;

	private CountingSession(CommittedFiles files, Connection connection, String[] fileTables, String priceTable,
			long webSearchPico) {
		this.files = files;
		this.connection = connection;
		this.fileTables = fileTables;
		this.priceTable = priceTable;
		this.webSearchPico = webSearchPico;
	}

	/**
	 * Opens a session; {@code prices} null when no cost is computed.
	 */
	static CountingSession open(FactSegmentRepository segments, FactsStore facts, UsageRollupRepository rollups,
			UsageCopyRepository copies, DuckDbEngine duckdb, PriceTable prices, LongConsumer progress)
			throws IOException, SQLException {
		CommittedFiles files = CommittedFiles.prepare(segments, facts, progress);
		Connection connection = null;
		try {
			connection = duckdb.connection();
			String[] fileTables = files.isEmpty() ? null
					: CountingSql.loadFiles(connection, files, copies.forkedCopies());
			String priceTable = null;
			if (prices != null && !files.isEmpty()) {
				priceTable = DuckPriceTable.load(connection, prices, rollups.models());
			}
			return new CountingSession(files, connection, fileTables, priceTable,
					(prices != null) ? prices.webSearchPico() : 0);
		}
		catch (SQLException | RuntimeException ex) {
			if (connection != null) {
				connection.close();
			}
			throw ex;
		}
	}

	public CommittedFiles files() {
		return this.files;
	}

	public Connection connection() {
		return this.connection;
	}

	/** Nothing to read (no transcript has facts). */
	public boolean isEmpty() {
		return this.files.isEmpty();
	}

	/** The CTEs {@code lines} and {@code winners} ({@link CountingSql#winners}). */
	public String winners() {
		return CountingSql.winners(this.fileTables, this.files);
	}

	/** The CTEs {@code tools} and {@code uses} ({@link CountingSql#toolUses}). */
	public String toolUses() {
		return CountingSql.toolUses(this.fileTables, this.files);
	}

	/**
	 * The CTE {@code priced}: the winners with their cost in pico-USD
	 * ({@link CountingSql#priced}); only for a session opened with prices.
	 */
	public String priced() {
		return CountingSql.priced(this.webSearchPico, this.priceTable);
	}

	@Override
	public void close() throws SQLException {
		try {
			if (this.fileTables != null) {
				for (String table : this.fileTables) {
					CountingSql.drop(this.connection, table);
				}
			}
			if (this.priceTable != null) {
				CountingSql.drop(this.connection, this.priceTable);
			}
		}
		finally {
			this.connection.close();
		}
	}

}
