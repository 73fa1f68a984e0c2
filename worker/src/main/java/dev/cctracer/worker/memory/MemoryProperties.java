package dev.cctracer.worker.memory;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the heap trim ({@code cctracer.memory.*}).
 *
 * @param trimAfterIdle how long the process must have been idle (under
 * {@link HeapTrim#BUSY_SHARE} of one core) before the heap a burst grew is trimmed; zero
 * turns the trim off, with the trim after a burst's facts and the serving free ratios
 * @param checkInterval how often the process's CPU time and committed heap are read
 * @param databaseCache the embedded H2 database's page cache while an ingest of a burst
 * runs (H2's own default at a 512 MB heap), rounded down to whole KiB
 * @param servingDatabaseCache that cache once a heap trim after a burst ran (answers are
 * cached apart; a first index read no slower with 2 MB); zero leaves H2's cache alone
 */
@ConfigurationProperties("cctracer.memory")
public record MemoryProperties(@DefaultValue("10s") Duration trimAfterIdle, @DefaultValue("2s") Duration checkInterval,
		@DefaultValue("16MB") DataSize databaseCache, @DefaultValue("2MB") DataSize servingDatabaseCache) {

	/** Whether the heap trim runs: {@link #trimAfterIdle()} is above zero. */
	public boolean trims() {
		return !this.trimAfterIdle.isZero() && !this.trimAfterIdle.isNegative();
	}

}
