package dev.cctracer.worker.storage;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import dev.cctracer.worker.Settings;

/**
 * Settings of the storage watch ({@code cctracer.storage.*}).
 *
 * @param checkInterval how often the database and the data dir are checked, and a fault
 * retried
 * @param minFree below this many usable bytes on the data dir's file system, the disk
 * counts as full
 */
@ConfigurationProperties("cctracer.storage")
public record StorageProperties(@DefaultValue("5s") Duration checkInterval, @DefaultValue("1MB") DataSize minFree) {

	public StorageProperties {
		Settings.positive("cctracer.storage.check-interval", checkInterval);
		Settings.atLeast("cctracer.storage.min-free", minFree, DataSize.ofBytes(0), "0 or more");
	}

}
