package dev.cctracer.web.system;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jobrunr.server.BackgroundJobServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.cctracer.web.usage.UsageService;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.StorageFault;
import dev.cctracer.worker.StorageHealth;
import dev.cctracer.worker.TracerProperties;

/**
 * {@code GET /health}: the database answers, the data dir's storage has no fault (else
 * {@code storage} names it, e.g. {@code disk full on …}, with the UTC instant it began)
 * and the data dirs are readable. 200 when healthy, 503 otherwise. In a process that runs
 * jobs, {@code job_server} says whether JobRunr's background server runs
 * ({@code running}) or stopped itself after storage errors ({@code stopped}, until the
 * storage guard starts it again). A process that does not ingest (a team's web-only one)
 * reads no logs of its own, so its data dirs do not make it unhealthy (it said
 * {@code no_data_dirs} for ever in a team trial); {@code workers} says whether any
 * worker's JobRunr server beat within a minute ({@code alive}) or none ({@code none}:
 * jobs wait).
 */
@RestController
class HealthController {

	private final UsageService usage;

	private final ClaudeRoots roots;

	private final StorageHealth storage;

	private final ObjectProvider<BackgroundJobServer> jobServer;

	private final JobServers servers;

	private final boolean ingestsHere;

	HealthController(UsageService usage, ClaudeRoots roots, StorageHealth storage,
			ObjectProvider<BackgroundJobServer> jobServer, JobServers servers, TracerProperties properties) {
		this.servers = servers;
		this.ingestsHere = properties.ingest() == null || properties.ingest().enabled();
		this.usage = usage;
		this.roots = roots;
		this.storage = storage;
		this.jobServer = jobServer;
	}

	@GetMapping("/health")
	ResponseEntity<Map<String, Object>> health() {
		Map<String, Object> body = new LinkedHashMap<>();
		boolean db;
		long version = -1;
		try {
			// read from the database at most every 100 ms
			version = this.usage.dataVersion();
			db = version >= 0;
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
			d.put("path", this.roots.shown(candidate));
			d.put("exists", exists);
			d.put("readable", readable);
			dirs.add(d);
		}
		StorageFault fault = this.storage.fault().orElse(null);
		boolean up = db && fault == null;
		body.put("status", up ? ((anyReadable || !this.ingestsHere) ? "healthy" : "no_data_dirs") : "unhealthy");
		body.put("database", db ? "up" : "down");
		if (db) {
			// what open pages poll to see new data: /api/index/status reads every file
			// row, this one number at most every 100 ms
			body.put("data_version", version);
		}
		if (fault != null) {
			body.put("storage", fault.cause());
			body.put("storage_fault_since", fault.since().toString());
		}
		BackgroundJobServer server = this.jobServer.getIfAvailable();
		if (server != null) {
			body.put("job_server", server.isRunning() ? "running" : "stopped");
		}
		if (!this.ingestsHere && db) {
			body.put("workers", this.servers.anyAlive() ? "alive" : "none");
		}
		body.put("data_dirs", dirs);
		return ResponseEntity.status(up ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).body(body);
	}

}
