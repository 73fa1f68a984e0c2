package dev.cctracer.worker.memory;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the heap trim ({@code cctracer.memory.*}).
 *
 * @param trimAfterIdle how long the process must have been idle (under
 * {@link HeapTrim#BUSY_SHARE} of one core) before the heap a burst grew is trimmed; zero
 * turns the trim off, with the trim after a burst's facts and the serving free ratios
 * @param checkInterval how often the process's CPU time and committed heap are read
 */
@ConfigurationProperties("cctracer.memory")
public record MemoryProperties(@DefaultValue("10s") Duration trimAfterIdle,
		@DefaultValue("2s") Duration checkInterval) {

}
