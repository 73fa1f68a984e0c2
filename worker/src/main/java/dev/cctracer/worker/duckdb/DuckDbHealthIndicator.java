package dev.cctracer.worker.duckdb;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The actuator's {@code duckdb} health: the process's DuckDB instance answers a query.
 */
@Component("duckdbHealthIndicator")
class DuckDbHealthIndicator implements HealthIndicator {

	private final DuckDbEngine duckdb;

	DuckDbHealthIndicator(DuckDbEngine duckdb) {
		this.duckdb = duckdb;
	}

	@Override
	public Health health() {
		try (Connection c = this.duckdb.connection();
				Statement s = c.createStatement();
				ResultSet rs = s.executeQuery("SELECT 42")) {
			rs.next();
			return (rs.getInt(1) == 42) ? Health.up().build() : Health.down().build();
		}
		catch (Exception ex) {
			return Health.down().withDetail("error", ex.getClass().getSimpleName()).build();
		}
	}

}
