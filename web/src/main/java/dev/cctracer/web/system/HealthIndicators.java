package dev.cctracer.web.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.cctracer.worker.storage.StorageGuard;
import dev.cctracer.worker.system.ClaudeRoots;
import dev.cctracer.worker.verify.DuckDbEngine;

/**
 * Health of what the database and JobRunr indicators do not cover: DuckDB answers, and
 * the Claude data dirs are readable.
 */
@Configuration(proxyBeanMethods = false)
class HealthIndicators {

	@Bean
	HealthIndicator duckdbHealthIndicator(DuckDbEngine duckdb) {
		return () -> {
			try (Connection c = duckdb.connection();
					Statement s = c.createStatement();
					ResultSet rs = s.executeQuery("SELECT 42")) {
				rs.next();
				return (rs.getInt(1) == 42) ? Health.up().build() : Health.down().build();
			}
			catch (Exception ex) {
				return Health.down().withDetail("error", ex.getClass().getSimpleName()).build();
			}
		};
	}

	@Bean
	HealthIndicator storageHealthIndicator(StorageGuard storage) {
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
