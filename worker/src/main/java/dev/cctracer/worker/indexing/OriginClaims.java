package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;

/**
 * Who scans an origin: two machines given one {@code cctracer.origin} each mark the
 * other's transcripts deleted (a scan compares its origin's files with its own disk; a
 * team trial). A worker of several records, at start and at each local scan, the logs it
 * reads under its origin ({@code app_meta} {@code origin_claim:<origin>} =
 * {@code <epoch ms> <logs> <host>}, where {@code <logs>} is a hash of its projects dirs'
 * file keys: device and inode) and warns, once per other reader, when another reader
 * claimed the origin within a few scan intervals. Workers of one machine (in containers
 * too, the same logs mounted) read the same directories and warn of nothing; two machines
 * read different ones whatever their host names.
 */
@Component
class OriginClaims {

	private static final Logger log = LoggerFactory.getLogger(OriginClaims.class);

	/** The shortest time a claim counts, milliseconds (else three scan intervals). */
	static final long MIN_WINDOW_MS = 10 * 60_000L;

	/** {@code app_meta.name} holds 64 characters. */
	private static final int NAME_MAX = 64;

	private final MetaRepository meta;

	private final TracerProperties properties;

	private final ClaudeRoots roots;

	/** The other readers already warned of, once per process. */
	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	OriginClaims(MetaRepository meta, TracerProperties properties, ClaudeRoots roots) {
		this.meta = meta;
		this.properties = properties;
		this.roots = roots;
	}

	/**
	 * Records this worker's claim on its origin; warns when another reader's is recent.
	 * Never throws: with the database away (the storage guard says so) nothing is
	 * checked.
	 */
	void claim() {
		String origin = this.properties.effectiveOrigin();
		String name = "origin_claim:" + origin;
		if (name.length() > NAME_MAX) {
			name = "origin_claim:#" + UUID.nameUUIDFromBytes(origin.getBytes(StandardCharsets.UTF_8));
		}
		String logs = logsKey();
		String host = TracerProperties.hostName();
		long now = System.currentTimeMillis();
		long window = Math.max(MIN_WINDOW_MS, 3 * this.properties.ingest().scanInterval().toMillis());
		try {
			String[] recorded = this.meta.getText(name).orElse("").split(" ", 3);
			if (recorded.length == 3 && !recorded[1].equals(logs)) {
				long at = Long.parseLong(recorded[0]);
				if (now - at < window && this.warned.add(recorded[1])) {
					log.warn(
							"origin {} is also scanned by host {} reading other logs ({} s ago): two machines with one "
									+ "cctracer.origin mark each other's transcripts deleted; give each machine its own "
									+ "(docs/operations.md)",
							LogText.safe(origin), LogText.safe(recorded[2]), (now - at) / 1000);
				}
			}
			this.meta.setText(name, now + " " + logs + " " + host);
		}
		catch (RuntimeException ex) {
			log.debug("origin claim not checked: {}", ex.toString());
		}
	}

	/** A hash of the projects dirs' file keys (device and inode), or {@code none}. */
	private String logsKey() {
		StringBuilder keys = new StringBuilder();
		for (Path dir : this.roots.current()) {
			try {
				keys.append(Files.readAttributes(dir, BasicFileAttributes.class).fileKey()).append(';');
			}
			catch (IOException ex) {
				keys.append(dir).append(';');
			}
		}
		return (keys.length() == 0) ? "none"
				: UUID.nameUUIDFromBytes(keys.toString().getBytes(StandardCharsets.UTF_8)).toString();
	}

}
