package dev.cctracer.web.system;

import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.StorageHealth;

/**
 * Health of what the database, JobRunr and DuckDB indicators do not cover: the data dir's
 * storage has no fault, and the Claude data dirs are readable.
 */
@Configuration(proxyBeanMethods = false)
class HealthIndicators {

	@Bean
	HealthIndicator storageHealthIndicator(StorageHealth storage) {
		return () -> storage.fault()
			.map((f) -> Health.down().withDetail("cause", f.cause()).withDetail("since", f.since().toString()).build())
			.orElseGet(() -> Health.up().build());
	}

	@Bean
	HealthIndicator dataDirsHealthIndicator(ClaudeRoots roots) {
		return () -> {
			Health.Builder health = roots.current().isEmpty() ? Health.unknown() : Health.up();
			for (Path dir : roots.candidates()) {
				health.withDetail(dir.toString(),
						!Files.isDirectory(dir) ? "absent" : Files.isReadable(dir) ? "readable" : "unreadable");
				if (Files.isDirectory(dir) && !Files.isReadable(dir)) {
					health.down();
				}
			}
			return health.build();
		};
	}

}
