package dev.cctracer.worker.facts;

import java.io.IOException;
import java.sql.SQLException;
import java.util.function.LongConsumer;

import org.springframework.stereotype.Component;

import dev.cctracer.db.facts.FactSegmentRepository;
import dev.cctracer.db.usage.UsageCopyRepository;
import dev.cctracer.db.usage.UsageRollupRepository;
import dev.cctracer.shared.pricing.PriceTable;
import dev.cctracer.worker.duckdb.DuckDbEngine;

/**
 * Opens {@link CountingSession}s: DuckDB connections over the entry-level facts of every
 * indexed transcript (brought up to the committed offsets of this machine's files first),
 * for the jobs that count with SQL (queries, tool statistics, search, exports). No job
 * reads the raw JSONL: a line the ingest skipped (over-long, not JSON) is not a fact.
 */
@Component
public class CountingSessions {

	private final FactSegmentRepository segments;

	private final FactsStore facts;

	private final UsageRollupRepository rollups;

	private final UsageCopyRepository copies;

	private final DuckDbEngine duckdb;

	public CountingSessions(FactSegmentRepository segments, FactsStore facts, UsageRollupRepository rollups,
			UsageCopyRepository copies, DuckDbEngine duckdb) {
		this.segments = segments;
		this.facts = facts;
		this.rollups = rollups;
		this.copies = copies;
		this.duckdb = duckdb;
	}

	/**
	 * Opens a session; close it to release the connection. Run it exclusively of this
	 * process's ingest (the facts are synced first).
	 * @param prices the prices to compute cost with, or {@code null} when no cost is
	 * computed
	 * @param progress receives the number of files looked at so far
	 * @throws IOException when a fact segment cannot be written
	 * @throws SQLException when DuckDB cannot write or load them
	 */
	public CountingSession open(PriceTable prices, LongConsumer progress) throws IOException, SQLException {
		return CountingSession.open(this.segments, this.facts, this.rollups, this.copies, this.duckdb, prices,
				progress);
	}

}
