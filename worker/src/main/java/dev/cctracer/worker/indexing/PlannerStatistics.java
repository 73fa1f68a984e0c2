package dev.cctracer.worker.indexing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import dev.cctracer.db.support.H2Urls;

/**
 * Keeps PostgreSQL's planner statistics in step with a fast-growing index. Tables created
 * empty are planned as empty: during a cold index the copy look-up by message hash ran as
 * a sequential scan whose time grew with every batch (110 → 265 ms a statement, a
 * 200-file batch 0.26 → 2.0 s), until autovacuum analysed the tables after the work was
 * done. {@code ANALYZE} whenever the ingested lines have doubled since the last one (a
 * few times per cold index, ~0.1 s each) gives index scans throughout. Nothing to do on
 * H2.
 */
@Component
class PlannerStatistics {

	private static final Logger log = LoggerFactory.getLogger(PlannerStatistics.class);

	private static final long FIRST_AFTER_LINES = 10_000;

	private final JdbcTemplate jdbc;

	private final boolean postgres;

	private final boolean sharedH2;

	private final AtomicLong lines = new AtomicLong();

	private final AtomicLong nextAt = new AtomicLong(FIRST_AFTER_LINES);

	PlannerStatistics(JdbcTemplate jdbc, Environment env) {
		this.jdbc = jdbc;
		String product = jdbc.execute((ConnectionCallback<String>) (c) -> c.getMetaData().getDatabaseProductName());
		this.postgres = product != null && product.toLowerCase(Locale.ROOT).contains("postgres");
		this.sharedH2 = !this.postgres && H2Urls.isShared(env.getProperty("spring.datasource.url", ""));
	}

	/**
	 * After a commit (outside its transaction): {@code committed} more lines are indexed.
	 */
	void committed(long committed) {
		if (!this.postgres || committed <= 0) {
			return;
		}
		long total = this.lines.addAndGet(committed);
		long due = this.nextAt.get();
		if (total >= due && this.nextAt.compareAndSet(due, total * 2)) {
			long started = System.nanoTime();
			this.jdbc.execute("ANALYZE usage_copy, usage_rollup, source_file");
			log.debug("planner statistics refreshed after {} lines in {} ms", total,
					(System.nanoTime() - started) / 1_000_000);
		}
	}

	/**
	 * Whether the database is an H2 file that other processes may open too
	 * ({@code AUTO_SERVER=TRUE}, docs/operations.md).
	 */
	boolean isSharedH2() {
		return this.sharedH2;
	}

	boolean isPostgres() {
		return this.postgres;
	}

}
