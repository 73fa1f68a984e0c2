package dev.cctracer.web.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.worker.system.ClaudeRoots;

/**
 * {@code GET /health}: the database answers and the data dirs are readable.
 */
@RestController
class HealthController {

	private final JdbcClient jdbc;

	private final ClaudeRoots roots;

	HealthController(JdbcClient jdbc, ClaudeRoots roots) {
		this.jdbc = jdbc;
		this.roots = roots;
	}

	@GetMapping("/health")
	ResponseEntity<Map<String, Object>> health() {
		Map<String, Object> body = new LinkedHashMap<>();
		boolean db;
		try {
			db = this.jdbc.sql("SELECT COUNT(*) FROM app_meta").query(Long.class).single() >= 0;
		}
		catch (RuntimeException ex) {
			db = false;
		}
		List<Map<String, Object>> dirs = new ArrayList<>();
		boolean anyReadable = false;
		for (Path candidate : this.roots.candidates()) {
			boolean exists = Files.isDirectory(candidate);
			boolean readable = exists && Files.isReadable(candidate);
			anyReadable |= readable;
			Map<String, Object> d = new LinkedHashMap<>();
			d.put("path", candidate.toString());
			d.put("exists", exists);
			d.put("readable", readable);
			dirs.add(d);
		}
		body.put("status", db ? (anyReadable ? "healthy" : "no_data_dirs") : "unhealthy");
		body.put("database", db ? "up" : "down");
		body.put("data_dirs", dirs);
		return ResponseEntity.status(db ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
	}

}
