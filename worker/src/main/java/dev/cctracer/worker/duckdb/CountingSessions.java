package dev.cctracer.worker.duckdb;

import java.io.IOException;
import java.sql.SQLException;
import java.util.function.LongConsumer;

import org.springframework.stereotype.Component;

import dev.cctracer.db.archive.ParquetFileRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.TracerProperties;

/**
 * Opens {@link CountingSession}s: DuckDB connections over the committed bytes of every
 * indexed transcript (their valid Parquet copies, else their JSONL), for the jobs that
 * count with SQL (queries, tool statistics, search, exports, verify). A line the ingest
 * skipped as over-long ({@code cctracer.ingest.max-line-bytes}) is kept from DuckDB too:
 * one such line would otherwise fail every job.
 */
@Component
public class CountingSessions {

	private final ParquetFileRepository archive;

	private final UsageRollupRepository rollups;

	private final DuckDbEngine duckdb;

	private final long maxLineBytes;

	public CountingSessions(ParquetFileRepository archive, UsageRollupRepository rollups, DuckDbEngine duckdb,
			TracerProperties properties) {
		this.archive = archive;
		this.rollups = rollups;
		this.duckdb = duckdb;
		this.maxLineBytes = properties.ingest().maxLineBytes().toBytes();
	}

	/**
	 * Opens a session; close it to release the connection and the scratch copies.
	 * @param prices the prices to compute cost with, or {@code null} when no cost is
	 * computed
	 * @param progress receives the number of files prepared so far
	 * @throws IOException when a scratch copy cannot be written
	 * @throws SQLException when DuckDB cannot load the files
	 */
	public CountingSession open(PriceTable prices, LongConsumer progress) throws IOException, SQLException {
		return CountingSession.open(this.archive, this.rollups, this.duckdb, this.maxLineBytes, prices, progress);
	}

}
