package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.TracerProperties;

/**
 * Watches the layout directories and ingests changed transcripts after a short debounce.
 * <p>
 * The ingest runs in this process rather than as a JobRunr job: the open-source JobRunr
 * polls for enqueued jobs every 5 s at best, too slow for "appended → visible within a
 * second". Correctness does not depend on it: the guarded offset makes it safe beside the
 * recurring scan job, which also catches whatever the watcher misses (overflow, network
 * file systems).
 */
@Component
public class LogWatcher implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(LogWatcher.class);

	private final ClaudeRoots roots;

	private final Indexer indexer;

	private final TracerProperties.Ingest settings;

	private final Map<WatchKey, Path> keys = new ConcurrentHashMap<>();

	private final Set<Path> watchedRoots = ConcurrentHashMap.newKeySet();

	private final Set<Path> pending = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean rescan = new AtomicBoolean();

	private volatile WatchService service;

	private volatile boolean running;

	private ScheduledExecutorService ticker;

	private Thread eventThread;

	public LogWatcher(ClaudeRoots roots, Indexer indexer, TracerProperties properties) {
		this.roots = roots;
		this.indexer = indexer;
		this.settings = properties.ingest();
	}

	@Override
	public void start() {
		if (!this.settings.enabled() || !this.settings.watch()) {
			this.running = true;
			return;
		}
		try {
			this.service = FileSystems.getDefault().newWatchService();
		}
		catch (IOException ex) {
			log.warn("file watching unavailable ({}); relying on the recurring scan", ex.getMessage());
			this.running = true;
			return;
		}
		registerNewRoots();
		this.eventThread = new Thread(this::loop, "cctracer-watch");
		this.eventThread.setDaemon(true);
		this.eventThread.start();
		this.ticker = Executors.newSingleThreadScheduledExecutor((r) -> {
			Thread t = new Thread(r, "cctracer-watch-debounce");
			t.setDaemon(true);
			return t;
		});
		long period = Math.max(20, this.settings.debounce().toMillis());
		this.ticker.scheduleWithFixedDelay(this::flush, period, period, TimeUnit.MILLISECONDS);
		this.running = true;
	}

	private void registerNewRoots() {
		for (Path root : this.roots.current()) {
			if (this.watchedRoots.add(root)) {
				registerTree(root, root);
			}
		}
	}

	private void registerTree(Path root, Path start) {
		try {
			Files.walkFileTree(start, Set.of(), 6, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
					if (!ScanService.isLayoutDir(root, dir)) {
						return FileVisitResult.SKIP_SUBTREE;
					}
					WatchKey key = dir.register(LogWatcher.this.service, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
					LogWatcher.this.keys.put(key, dir);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
					if (!start.equals(root) && file.getFileName().toString().endsWith(".jsonl")) {
						// files created together with their directory: no event will come
						// for them
						LogWatcher.this.pending.add(file);
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path file, IOException exc) {
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException | ClosedWatchServiceException ex) {
			log.debug("cannot watch {}: {}", start, ex.getMessage());
		}
	}

	private void loop() {
		while (this.running || this.service != null) {
			WatchKey key;
			try {
				key = this.service.take();
			}
			catch (InterruptedException | ClosedWatchServiceException ex) {
				return;
			}
			Path dir = this.keys.get(key);
			for (WatchEvent<?> event : key.pollEvents()) {
				if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
					this.rescan.set(true);
					continue;
				}
				if (dir == null) {
					continue;
				}
				Path child = dir.resolve((Path) event.context());
				if (event.kind() == StandardWatchEventKinds.ENTRY_CREATE
						&& Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
					Path root = rootOf(child);
					if (root != null) {
						registerTree(root, child);
					}
				}
				else if (child.getFileName().toString().endsWith(".jsonl")) {
					this.pending.add(child);
				}
			}
			if (!key.reset()) {
				this.keys.remove(key);
			}
		}
	}

	private Path rootOf(Path path) {
		for (Path root : this.watchedRoots) {
			if (path.startsWith(root)) {
				return root;
			}
		}
		return null;
	}

	private void flush() {
		try {
			registerNewRoots();
			if (this.rescan.getAndSet(false)) {
				this.indexer.scanAndIngest();
			}
			if (this.pending.isEmpty()) {
				return;
			}
			List<Path> paths = new ArrayList<>(this.pending);
			this.pending.removeAll(paths);
			this.indexer.ingestPaths(paths);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException ex) {
			log.warn("ingest after a file change failed (the recurring scan will retry): {}", ex.toString());
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.ticker != null) {
			this.ticker.shutdownNow();
		}
		WatchService s = this.service;
		this.service = null;
		if (s != null) {
			try {
				s.close();
			}
			catch (IOException ex) {
				// closing anyway
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

}
