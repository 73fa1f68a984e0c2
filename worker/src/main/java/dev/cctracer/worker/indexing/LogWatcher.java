package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
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

import dev.cctracer.shared.log.LogText;
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

	/** How a created path is looked at: through links as the scan follows them. */
	private final LinkOption[] linkOptions;

	/**
	 * The layout dirs of each watch key: more than one when two paths reach the same
	 * directory (a linked project dir and its target both under a root), which the OS
	 * watches once.
	 */
	private final Map<WatchKey, Set<Path>> keys = new ConcurrentHashMap<>();

	/**
	 * Directories watched for the targets of linked transcripts (a transcript that is a
	 * link to a file elsewhere): their changes fire there, not in the link's directory.
	 */
	private final Map<WatchKey, Path> targetDirs = new ConcurrentHashMap<>();

	/**
	 * The real file of each linked transcript, and the link paths the scan knows it by.
	 */
	private final Map<Path, Set<Path>> linkedFiles = new ConcurrentHashMap<>();

	/**
	 * Linked transcripts and project dirs whose target did not exist when they were seen
	 * (a link made before its file or directory), each with when to look at it again
	 * ({@link System#nanoTime}) and the wait after that: a second at first, doubled after
	 * each look up to a minute (a link whose target never comes costs a stat a minute;
	 * the recurring scan reads it anyway once it resolves).
	 */
	private final Map<Path, long[]> danglingLinks = new ConcurrentHashMap<>();

	private static final long FIRST_LOOK_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final long LAST_LOOK_NANOS = TimeUnit.MINUTES.toNanos(1);

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
		this.linkOptions = this.settings.followLinks() ? new LinkOption[0]
				: new LinkOption[] { LinkOption.NOFOLLOW_LINKS };
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
			log.warn("file watching unavailable ({}); relying on the recurring scan", LogText.failure(ex));
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

	/**
	 * {@link #registerTree(Path, Path)} for a directory under one of the watched roots.
	 */
	private void registerTree(Path start) {
		Path root = rootOf(start);
		if (root != null) {
			registerTree(root, start);
		}
	}

	/**
	 * Watches the layout dirs under {@code start}, following links as the scan does
	 * ({@code cctracer.ingest.follow-links}): a linked project dir is watched through its
	 * link, a linked transcript through its target's directory.
	 */
	private void registerTree(Path root, Path start) {
		Set<FileVisitOption> options = this.settings.followLinks() ? Set.of(FileVisitOption.FOLLOW_LINKS) : Set.of();
		try {
			Files.walkFileTree(start, options, 6, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
					if (!ScanService.isLayoutDir(root, dir)) {
						return FileVisitResult.SKIP_SUBTREE;
					}
					WatchKey key = dir.register(LogWatcher.this.service, StandardWatchEventKinds.ENTRY_CREATE,
							StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
					LogWatcher.this.keys.computeIfAbsent(key, (k) -> ConcurrentHashMap.newKeySet()).add(dir);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
					if (attrs.isSymbolicLink() && LogWatcher.this.settings.followLinks()
							&& ScanService.isLayoutDir(root, file)) {
						// with links followed, only a broken link arrives here: a
						// project dir's link made before its target
						lookLater(file);
					}
					else if (file.getFileName().toString().endsWith(".jsonl")) {
						watchLinkTarget(file);
						if (!start.equals(root)) {
							// files created together with their directory: no event will
							// come for them
							LogWatcher.this.pending.add(file);
						}
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

	/**
	 * When {@code transcript} is a link followed by the scan, watches its target's
	 * directory for changes of the target; a link whose target does not exist yet is
	 * looked at again later ({@link #watchDanglingLinks}).
	 */
	private void watchLinkTarget(Path transcript) {
		if (!this.settings.followLinks() || !Files.isSymbolicLink(transcript)) {
			return;
		}
		try {
			Path real;
			try {
				real = transcript.toRealPath();
			}
			catch (NoSuchFileException ex) {
				lookLater(transcript);
				return;
			}
			if (!Files.isRegularFile(real)) {
				// a link to a pipe or a device is never a transcript
				return;
			}
			Path dir = real.getParent();
			this.linkedFiles.computeIfAbsent(real, (k) -> ConcurrentHashMap.newKeySet()).add(transcript);
			WatchKey key = dir.register(this.service, StandardWatchEventKinds.ENTRY_CREATE,
					StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
			this.targetDirs.put(key, dir);
		}
		catch (IOException | ClosedWatchServiceException ex) {
			// an unreadable target: the scan lists it among the unreadable paths
			log.debug("cannot watch the target of {}: {}", transcript, ex.getMessage());
		}
	}

	/** Looks at a link without a target again later ({@link #watchDanglingLinks}). */
	private void lookLater(Path link) {
		this.danglingLinks.putIfAbsent(link, new long[] { System.nanoTime() + FIRST_LOOK_NANOS, FIRST_LOOK_NANOS });
	}

	/**
	 * Looks again at the links whose target was missing, each when its wait is over: a
	 * project dir's whose target appeared is watched and its transcripts read, a
	 * transcript's is read (and its target's directory watched); one that is gone is
	 * forgotten; the others wait twice as long.
	 */
	private void watchDanglingLinks() {
		long now = System.nanoTime();
		for (Map.Entry<Path, long[]> e : this.danglingLinks.entrySet()) {
			Path link = e.getKey();
			long[] look = e.getValue();
			if (now - look[0] < 0) {
				continue;
			}
			if (!Files.isSymbolicLink(link)) {
				this.danglingLinks.remove(link);
			}
			else if (Files.isDirectory(link)) {
				this.danglingLinks.remove(link);
				registerTree(link);
			}
			else if (Files.exists(link)) {
				this.danglingLinks.remove(link);
				watchLinkTarget(link);
				if (Files.isRegularFile(link)) {
					// read even if its target could not be watched (e.g. the OS's limit
					// of watches): the recurring scan follows its later appends then
					this.pending.add(link);
				}
			}
			else {
				look[1] = Math.min(LAST_LOOK_NANOS, look[1] * 2);
				look[0] = now + look[1];
			}
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
			Set<Path> dirs = this.keys.getOrDefault(key, Set.of());
			Path targetDir = this.targetDirs.get(key);
			for (WatchEvent<?> event : key.pollEvents()) {
				if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
					this.rescan.set(true);
					continue;
				}
				if (targetDir != null) {
					Set<Path> linked = this.linkedFiles.get(targetDir.resolve((Path) event.context()));
					if (linked != null) {
						this.pending.addAll(linked);
					}
				}
				for (Path dir : dirs) {
					queue(dir.resolve((Path) event.context()), event.kind());
				}
			}
			if (!key.reset()) {
				this.keys.remove(key);
				this.targetDirs.remove(key);
			}
		}
	}

	/** A change of {@code child}, an entry of a watched layout dir. */
	private void queue(Path child, WatchEvent.Kind<?> kind) {
		if (kind == StandardWatchEventKinds.ENTRY_CREATE && Files.isDirectory(child, this.linkOptions)) {
			registerTree(child);
		}
		else if (kind == StandardWatchEventKinds.ENTRY_CREATE && this.settings.followLinks()
				&& !child.getFileName().toString().endsWith(".jsonl") && Files.isSymbolicLink(child)
				&& !Files.exists(child)) {
			// a project dir's link made before its target
			Path root = rootOf(child);
			if (root != null && ScanService.isLayoutDir(root, child)) {
				lookLater(child);
			}
		}
		else if (kind == StandardWatchEventKinds.ENTRY_DELETE && !child.getFileName().toString().endsWith(".jsonl")
				&& holdsWatchedDirs(child)) {
			// a project or session dir removed or moved away (a project dir renamed):
			// no event comes for the transcripts in it, and until they are marked
			// deleted their rows keep the dedup's ties the moved copies should take
			this.rescan.set(true);
		}
		else if (child.getFileName().toString().endsWith(".jsonl")) {
			if (kind == StandardWatchEventKinds.ENTRY_CREATE) {
				watchLinkTarget(child);
			}
			else if (kind == StandardWatchEventKinds.ENTRY_DELETE) {
				// a removed link no longer follows its target's changes
				this.danglingLinks.remove(child);
				this.linkedFiles.values().forEach((paths) -> paths.remove(child));
				this.linkedFiles.values().removeIf(Set::isEmpty);
			}
			this.pending.add(child);
		}
	}

	/** Whether {@code path} is a watched dir or holds one. */
	private boolean holdsWatchedDirs(Path path) {
		for (Set<Path> dirs : this.keys.values()) {
			for (Path dir : dirs) {
				if (dir.startsWith(path)) {
					return true;
				}
			}
		}
		return false;
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
			watchDanglingLinks();
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
			log.warn("ingest after a file change failed (the recurring scan will retry): {}", LogText.failure(ex));
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
