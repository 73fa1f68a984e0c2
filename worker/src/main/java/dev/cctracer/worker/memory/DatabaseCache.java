package dev.cctracer.worker.memory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import dev.cctracer.db.support.H2Urls;
import dev.cctracer.worker.HeapTrimming;
import dev.cctracer.worker.IngestEnded;
import dev.cctracer.worker.IngestStarting;

/**
 * The page cache of the embedded H2 database ({@code SET CACHE_SIZE}; one cache per
 * database, which keeps the setting): {@link MemoryProperties#databaseCache()} (16 MB)
 * from the start of an ingest of a burst ({@link IngestStarting} of
 * {@link HeapTrim#BURST_BYTES} or more) and
 * {@link MemoryProperties#servingDatabaseCache()} (2 MB) from the heap trim after it
 * ({@link HeapTrimming}) while no such ingest runs. A serving process answers from its
 * own caches of answers; H2's pages of a first index held ~14 MB of the 75 MB live on the
 * 4.4 GB benchmark set, and the first index read no slower with 2 MB (BENCHMARKS.md,
 * "What the heap holds").
 * <p>
 * Left alone: a database that is not an embedded H2 one (PostgreSQL, an H2 server, or an
 * H2 file other processes open too, {@code AUTO_SERVER=TRUE}), either size zero, or the
 * heap trim off ({@link MemoryProperties#trimAfterIdle()} zero). H2 keeps the size last
 * set in the database: a database left alone keeps what this class set before (a
 * {@code CACHE_SIZE} in the JDBC URL sets another at every start). A setting the database
 * refuses leaves the cache as it is, logged, and is tried again at the next event.
 */
@Component
class DatabaseCache {

	private static final Logger log = LoggerFactory.getLogger(DatabaseCache.class);

	private final JdbcClient jdbc;

	private final boolean enabled;

	/** The cache while a burst's ingest runs (KiB). */
	private final long burstKib;

	/** The cache of a serving process (KiB). */
	private final long servingKib;

	/** Bursts' ingests running now. */
	private int runningBursts;

	/** The size this process set last (KiB); 0 before it set one. */
	private long current;

	/** Whether a failed setting was logged at warning level already. */
	private boolean warned;

	@Autowired
	DatabaseCache(JdbcClient jdbc, Environment env, MemoryProperties properties) {
		this(jdbc, H2Urls.isEmbeddedAlone(env.getProperty("spring.datasource.url", "")), properties);
	}

	DatabaseCache(JdbcClient jdbc, boolean embeddedH2, MemoryProperties properties) {
		this.jdbc = jdbc;
		this.burstKib = properties.databaseCache().toKilobytes();
		this.servingKib = properties.servingDatabaseCache().toKilobytes();
		this.enabled = embeddedH2 && this.servingKib > 0 && this.burstKib > 0 && properties.trims();
	}

	/** A burst's ingest begins: the cache gets its burst size before the ingest reads. */
	@EventListener
	public synchronized void onIngestStarting(IngestStarting run) {
		if (this.enabled && run.bytes() >= HeapTrim.BURST_BYTES) {
			this.runningBursts++;
			set(this.burstKib);
		}
	}

	/** A burst's ingest ended (committed, failed or interrupted). */
	@EventListener
	public synchronized void onIngestEnded(IngestEnded run) {
		if (this.enabled && run.bytes() >= HeapTrim.BURST_BYTES) {
			this.runningBursts = Math.max(0, this.runningBursts - 1);
		}
	}

	/** The heap is trimmed: the serving size, unless a burst's ingest runs. */
	@EventListener(HeapTrimming.class)
	public synchronized void onHeapTrimming() {
		if (this.enabled && this.runningBursts == 0) {
			set(this.servingKib);
		}
	}

	/** The size this process set last (KiB); 0 before it set one (for tests). */
	synchronized long current() {
		return this.current;
	}

	/**
	 * Sets the cache (H2 empties it and keeps the new maximum), unless it has it; a
	 * failure leaves it as it is until the next event tries again.
	 */
	private void set(long kib) {
		if (this.current == kib) {
			return;
		}
		try {
			// a number, never request text
			this.jdbc.sql("SET CACHE_SIZE " + kib).update();
			this.current = kib;
		}
		catch (DataAccessException ex) {
			String why = ex.getMostSpecificCause().toString();
			if (this.warned) {
				log.debug("the database's page cache stays as it is: {}", why);
			}
			else {
				this.warned = true;
				log.warn("the database's page cache stays as it is (tried again at the next burst or trim): {}", why);
			}
		}
	}

}
