package dev.cctracer.worker.indexing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

import dev.cctracer.db.file.FileState;
import dev.cctracer.db.file.SourceFileRepository;
import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.shared.discovery.FileIdentity;
import dev.cctracer.shared.discovery.Ids;
import dev.cctracer.shared.discovery.LogFile;
import dev.cctracer.shared.discovery.SafePaths;
import dev.cctracer.shared.log.LogText;
import dev.cctracer.shared.transcript.Redactor;
import dev.cctracer.worker.ClaudeRoots;
import dev.cctracer.worker.PathProblem;
import dev.cctracer.worker.TracerProperties;

/**
 * Stats every transcript under the roots and reports the files that need ingest. A file
 * whose size, mtime and file key are unchanged is not opened.
 */
@Service
public class ScanService {

	private static final Logger log = LoggerFactory.getLogger(ScanService.class);

	private final ClaudeRoots roots;

	private final SourceFileRepository files;

	private final MetaRepository meta;

	private final String origin;

	private final Timer scanTimer;

	/** Revives deleted rows (with their dedup winners, under the ingest lock). */
	private final IngestService ingest;

	public ScanService(ClaudeRoots roots, SourceFileRepository files, MetaRepository meta, TracerProperties properties,
			MeterRegistry meters, IngestService ingest) {
		this.scanTimer = Timer.builder("cctracer.scan")
			.description("stat every transcript and find the changed ones")
			.register(meters);
		this.roots = roots;
		this.files = files;
		this.meta = meta;
		this.ingest = ingest;
		this.origin = properties.effectiveOrigin();
		this.followLinks = properties.ingest().followLinks();
		this.quietTailMillis = properties.ingest().quietTail().toMillis();
	}

	/** {@code cctracer.ingest.follow-links}. */
	private final boolean followLinks;

	/** {@code cctracer.ingest.quiet-tail}, milliseconds. */
	private final long quietTailMillis;

	/** Paths the last scan could not read, with why (at most {@value #MAX_PROBLEMS}). */
	private volatile List<PathProblem> lastProblems = List.of();

	/** Problems already logged (each once per process). */
	private final Set<String> logged = ConcurrentHashMap.newKeySet();

	/** The projects dirs the last scan read ({@code null} before the first scan). */
	private List<Path> lastRoots;

	private static final int MAX_PROBLEMS = 100;

	/** What the last scan could not read (never skipped in silence). */
	public List<PathProblem> lastProblems() {
		return this.lastProblems;
	}

	private volatile boolean adopted;

	/**
	 * Rows registered before files carried an origin belong to this machine (only a
	 * single-machine database has them): done once, before the first scan.
	 */
	private void adoptUnownedOnce() {
		if (!this.adopted) {
			int n = this.files.adoptUnowned(this.origin, this.roots.current().stream().map(Path::toString).toList());
			if (n > 0) {
				log.info("{} files registered before origins were recorded now belong to origin '{}'", n, this.origin);
			}
			this.adopted = true;
		}
	}

	/**
	 * Says in the log when a projects dir the last scan read is gone (moved, unmounted,
	 * removed) or back: its files keep their totals and history (a scan marks none of
	 * them deleted), and {@code GET /health} says {@code no_data_dirs} when none is left;
	 * a user who only reads the log learnt nothing of it.
	 */
	private synchronized void sayWhenRootsChange(List<Path> current) {
		if (this.lastRoots != null) {
			for (Path gone : this.lastRoots) {
				if (!current.contains(gone)) {
					log.warn(
							"the projects dir {} is gone: its transcripts keep their totals and history; "
									+ "they are read again when it is back",
							LogText.safe(Redactor.redact(gone.toString())));
				}
			}
			for (Path back : current) {
				if (!this.lastRoots.contains(back)) {
					log.info("the projects dir {} is there (again): reading it", back);
				}
			}
		}
		this.lastRoots = List.copyOf(current);
	}

	/** This machine's name in the database. */
	public String origin() {
		return this.origin;
	}

	public ScanResult scan() {
		return this.scanTimer.record(this::scanNow);
	}

	private ScanResult scanNow() {
		long started = System.nanoTime();
		List<Path> current = this.roots.current();
		sayWhenRootsChange(current);
		adoptUnownedOnce();
		Map<String, FileState> known = new HashMap<>();
		for (FileState s : this.files.findActive(this.origin)) {
			known.put(s.root() + "\n" + s.relPath(), s);
		}
		List<Long> changed = new ArrayList<>();
		List<long[]> seen = new ArrayList<>();
		List<LogFile> newFiles = new ArrayList<>();
		List<long[]> newSizes = new ArrayList<>();
		int[] count = new int[1];
		List<PathProblem> problems = new ArrayList<>();
		long now = System.currentTimeMillis();
		for (Path root : current) {
			BiConsumer<Path, String> problem = (path, reason) -> {
				if (problems.size() < MAX_PROBLEMS) {
					problems.add(new PathProblem(path.toString(), reason));
				}
				if (this.logged.size() < 10_000 && this.logged.add(path + reason)) {
					// a path is redacted as every page shows it (a secret in a dir name
					// was
					// logged whole: a trial)
					log.warn("not indexed: {} ({})", LogText.safe(Redactor.redact(path.toString())), reason);
				}
			};
			walk(root, this.followLinks, problem, (file, attrs) -> {
				count[0]++;
				long size = attrs.size();
				long mtime = attrs.lastModifiedTime().toMillis();
				FileState state = known.remove(root + "\n" + file.relativePath());
				boolean toRead = state == null || state.sizeAtScan() != size || state.mtimeAtScan() != mtime
						|| !Objects.equals(state.fileKey(), FileIdentity.fileKey(attrs));
				if (toRead && !Files.isReadable(file.path())) {
					// not this process's to read (permissions): listed and said once,
					// not read (and failed, and said) at every scan; read once it can be
					problem.accept(file.path(), "permission denied");
					return;
				}
				if (state == null) {
					newFiles.add(file);
					newSizes.add(new long[] { size, mtime });
				}
				else if (state.sizeAtScan() != size || state.mtimeAtScan() != mtime
						|| !Objects.equals(state.fileKey(), FileIdentity.fileKey(attrs))) {
					changed.add(state.id());
					if (state.seenSize() != size || state.seenMtime() != mtime) {
						seen.add(new long[] { state.id(), size, mtime });
					}
				}
				else if (state.tailTurnedQuiet(size, mtime, now, this.quietTailMillis)) {
					// unchanged, but its last line without a line break is due now
					changed.add(state.id());
				}
			});
		}
		changed.addAll(registerAll(newFiles, newSizes));
		int present = changed.size();
		List<String> scannedRoots = current.stream().map(Path::toString).toList();
		for (FileState missing : known.values()) {
			if (scannedRoots.contains(missing.root())) {
				changed.add(missing.id());
			}
		}
		this.lastProblems = List.copyOf(problems);
		this.files.updateSeen(seen);
		this.meta.setLong(MetaRepository.LAST_SCAN_AT, System.currentTimeMillis());
		this.meta.setLong(MetaRepository.LAST_SCAN_FILES, count[0]);
		return new ScanResult(count[0], changed, count[0] - present, (System.nanoTime() - started) / 1_000_000);
	}

	/**
	 * The id of the active row for a path the watcher reported, registering it when new;
	 * empty when the path is not a transcript under a root, or is new and not what the
	 * scan registers: a regular file, reached through links only as
	 * {@code cctracer.ingest.follow-links} allows (a pipe or a device never).
	 */
	public Optional<Long> idOf(Path path) {
		for (Path root : this.roots.current()) {
			Path normalized = path.toAbsolutePath().normalize();
			if (!normalized.startsWith(root)) {
				continue;
			}
			LogFile file = LogFile.classify(root, FileIdentity.relative(root, normalized));
			if (file == null) {
				return Optional.empty();
			}
			adoptUnownedOnce();
			Optional<FileState> existing = this.files.findActiveByPath(this.origin, root.toString(),
					file.relativePath());
			if (existing.isPresent()) {
				return Optional.of(existing.get().id());
			}
			Optional<Path> real = SafePaths.registered(root, file.relativePath(), this.followLinks);
			// not readable by this process (permissions): as the scan, the unreadable
			// paths list it, not a pending file that fails at every read
			if (real.isEmpty() || !Files.isRegularFile(real.get()) || !Files.isReadable(real.get())) {
				// gone, a link the scan does not follow (follow-links), or a pipe, a
				// device or a link to one: never a transcript (the scan lists it among
				// the unreadable paths)
				return Optional.empty();
			}
			return Optional.of(register(file, 0, 0));
		}
		return Optional.empty();
	}

	private List<Long> registerAll(List<LogFile> allNew, List<long[]> allSizes) {
		List<Long> ids = new ArrayList<>(allNew.size());
		if (allNew.isEmpty()) {
			return ids;
		}
		// a transcript put back at a path whose row was deleted is that row again
		Map<String, FileState> deleted = this.files.deletedByPath(this.origin);
		List<LogFile> newFiles = new ArrayList<>(allNew.size());
		List<long[]> sizes = new ArrayList<>(allNew.size());
		for (int i = 0; i < allNew.size(); i++) {
			LogFile f = allNew.get(i);
			FileState row = deleted.get(f.root() + "\n" + f.relativePath());
			if (row != null && revived(row, f, allSizes.get(i)[0], allSizes.get(i)[1])) {
				ids.add(row.id());
			}
			else {
				newFiles.add(f);
				sizes.add(allSizes.get(i));
			}
		}
		if (newFiles.isEmpty()) {
			return ids;
		}
		if (this.files.insertAll(newFiles, this.origin, sizes)) {
			Map<String, Long> byPath = new HashMap<>();
			for (FileState s : this.files.findActive(this.origin)) {
				byPath.put(s.root() + "\n" + s.relPath(), s.id());
			}
			for (LogFile f : newFiles) {
				ids.add(byPath.get(f.root() + "\n" + f.relativePath()));
			}
			return ids;
		}
		for (int i = 0; i < newFiles.size(); i++) {
			ids.add(register(newFiles.get(i), sizes.get(i)[0], sizes.get(i)[1]));
		}
		return ids;
	}

	/**
	 * Makes a deleted row the path's again when the file now there is the transcript it
	 * was — put back from a copy, or moved away and back: it starts with the bytes the
	 * row read first ({@link FileState#startsWithTheHeadRead}). Another file at that path
	 * (Claude Code writing a new one) stays a file of its own, the deleted one's history
	 * kept beside it.
	 * @return whether the row was revived
	 */
	private boolean revived(FileState row, LogFile file, long size, long mtime) {
		Optional<Path> real = SafePaths.registered(file.root(), file.relativePath(), this.followLinks);
		if (real.isEmpty()) {
			return false;
		}
		try (FileChannel channel = FileChannel.open(real.get(), StandardOpenOption.READ)) {
			if (!row.startsWithTheHeadRead(channel)) {
				return false;
			}
		}
		catch (IOException ex) {
			// unreadable now: registered as a new file, whose read says why
			return false;
		}
		return this.ingest.revive(row.id(), file.root().toString(), file.relativePath(), size, mtime);
	}

	private long register(LogFile file, long size, long mtime) {
		Optional<FileState> deleted = this.files.deletedAt(this.origin, file.root().toString(), file.relativePath());
		if (deleted.isPresent() && revived(deleted.get(), file, size, mtime)) {
			return deleted.get().id();
		}
		try {
			return this.files.insert(file, this.origin, size, mtime);
		}
		catch (DuplicateKeyException ex) {
			// another scanner registered it first
			return this.files.findActiveByPath(this.origin, file.root().toString(), file.relativePath())
				.orElseThrow()
				.id();
		}
	}

	/**
	 * Visits the transcripts of one root in the four layouts, pruning every other
	 * directory, following links; unreadable paths are logged at debug level.
	 */
	public static void walk(Path root, Visitor visitor) {
		walk(root, true, (path, reason) -> log.debug("not indexed: {} ({})",
				LogText.safe(Redactor.redact(path.toString())), reason), visitor);
	}

	/**
	 * Visits the transcripts of one root in the four layouts, pruning every other
	 * directory.
	 * @param followLinks follow links to project dirs and transcripts wherever they point
	 * (else only a transcript link whose target stays inside the root)
	 * @param problems receives each path that could not be read and why
	 */
	public static void walk(Path root, boolean followLinks, BiConsumer<Path, String> problems, Visitor visitor) {
		EnumSet<FileVisitOption> options = followLinks ? EnumSet.of(FileVisitOption.FOLLOW_LINKS)
				: EnumSet.noneOf(FileVisitOption.class);
		try {
			Files.walkFileTree(root, options, 6, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
					if (isLayoutDir(root, dir)) {
						return FileVisitResult.CONTINUE;
					}
					if (root.relativize(dir).getNameCount() == 1) {
						// a dir copied in or renamed by hand (Claude Code writes every
						// other character of a path as '-'): its transcripts would just
						// be missing
						problems.accept(dir, "a project dir not named as Claude Code names them (letters, digits, "
								+ "'.', '_' and '-' only): not indexed; rename it");
					}
					else {
						strayTranscripts(dir, problems);
					}
					return FileVisitResult.SKIP_SUBTREE;
				}

				@Override
				public FileVisitResult visitFile(Path path, BasicFileAttributes attrs) throws IOException {
					if (attrs.isDirectory()) {
						// a dir past the deepest layout's depth, which the walk's
						// limit hands here: it holds no transcript of a known layout
						strayTranscripts(path, problems);
						return FileVisitResult.CONTINUE;
					}
					boolean transcript = path.getFileName().toString().endsWith(".jsonl");
					if (attrs.isSymbolicLink()) {
						// with FOLLOW_LINKS only a link that cannot be followed arrives
						// here
						if (followLinks) {
							if (transcript || (isLayoutDir(root, path) && root.relativize(path).getNameCount() == 1)) {
								problems.accept(path, brokenOrLoop(path));
							}
							return FileVisitResult.CONTINUE;
						}
						if (!transcript) {
							if (isLayoutDir(root, path) && root.relativize(path).getNameCount() == 1) {
								problems.accept(path,
										"link to a project dir not followed (cctracer.ingest.follow-links=false)");
							}
							return FileVisitResult.CONTINUE;
						}
					}
					if (!transcript) {
						return FileVisitResult.CONTINUE;
					}
					String relative = FileIdentity.relative(root, path);
					LogFile file = LogFile.classify(root, relative);
					if (file == null) {
						if (relative.indexOf('/') > 0) {
							// in a project dir, never skipped in silence: a renamed or
							// copied-in transcript would otherwise just be missing
							problems.accept(path,
									"not named as a transcript (<session id>.jsonl, or agent-<id>.jsonl in a session's subagents)");
						}
						return FileVisitResult.CONTINUE;
					}
					BasicFileAttributes effective = attrs;
					if (attrs.isSymbolicLink()) {
						Optional<Path> real = SafePaths.realInside(root, path);
						if (real.isEmpty()) {
							problems.accept(path,
									"link out of the Claude dir not followed (cctracer.ingest.follow-links=false)");
							return FileVisitResult.CONTINUE;
						}
						effective = Files.readAttributes(real.get(), BasicFileAttributes.class);
					}
					if (effective.isRegularFile()) {
						visitor.visit(file, effective);
					}
					else if (!effective.isDirectory()) {
						problems.accept(path, "not a regular file");
					}
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult visitFileFailed(Path path, IOException ex) {
					String reason = (ex instanceof FileSystemLoopException) ? "link loop"
							: (ex instanceof AccessDeniedException) ? "permission denied"
									: "cannot read: " + ex.getClass().getSimpleName();
					problems.accept(path, reason);
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException ex) {
			log.warn("cannot scan {}: {}", LogText.safe(Redactor.redact(String.valueOf(root))), LogText.failure(ex));
			problems.accept(root, "cannot scan: " + ex.getClass().getSimpleName());
		}
	}

	/** Whether a directory can hold transcripts in one of the layouts. */
	public static boolean isLayoutDir(Path root, Path dir) {
		if (dir.equals(root)) {
			return true;
		}
		Path rel = root.relativize(dir);
		String name = dir.getFileName().toString();
		return switch (rel.getNameCount()) {
			case 1 -> Ids.isProjectDir(name);
			case 2 -> Ids.isSessionId(name);
			case 3 -> name.equals("subagents");
			case 4 -> name.equals("workflows");
			case 5 -> Ids.isAgentId(name);
			default -> false;
		};
	}

	/**
	 * The directories Claude Code writes beside its transcripts that hold none: a
	 * session's {@code tool-results} (large tool outputs) and a project's {@code memory}
	 * (its auto memory); the walk skips them without a look.
	 */
	private static final Set<String> NOT_TRANSCRIPT_DIRS = Set.of("tool-results", "memory");

	/** The most stray transcripts listed per directory. */
	private static final int MAX_STRAY = 100;

	/**
	 * Lists the {@code *.jsonl} files under a directory none of the four layouts has (a
	 * {@code <session>/agents/} or {@code subagents/teams/} a later Claude Code may
	 * write, a project dir copied into another): not indexed, and never in silence (a
	 * drift trial's 6,000 tokens in such files had been missing without a word). A
	 * directory of {@link #NOT_TRANSCRIPT_DIRS} is not looked into; at most
	 * {@value #MAX_STRAY} files a directory, 4 levels down.
	 */
	static void strayTranscripts(Path dir, BiConsumer<Path, String> problems) {
		if (NOT_TRANSCRIPT_DIRS.contains(String.valueOf(dir.getFileName()))) {
			return;
		}
		try (Stream<Path> found = Files.find(dir, 4,
				(p, a) -> a.isRegularFile() && p.getFileName().toString().endsWith(".jsonl"))) {
			found.limit(MAX_STRAY)
				.forEach((p) -> problems.accept(p,
						"in a directory none of Claude Code's transcript layouts has "
								+ "(<session id>.jsonl, <session id>/subagents/agent-<id>.jsonl, "
								+ "…/subagents/workflows/<id>/agent-<id>.jsonl): not indexed"));
		}
		catch (IOException | UncheckedIOException ex) {
			problems.accept(dir, "cannot read: " + ex.getClass().getSimpleName());
		}
	}

	/** Receives each transcript found. */
	@FunctionalInterface
	public interface Visitor {

		void visit(LogFile file, BasicFileAttributes attrs) throws IOException;

	}

	/**
	 * Why a link cannot be followed: {@code link loop} when it leads back to itself
	 * (ELOOP), else {@code broken link} (its target is missing).
	 */
	static String brokenOrLoop(Path link) {
		try {
			link.toRealPath();
			return "broken link";
		}
		catch (NoSuchFileException ex) {
			return "broken link";
		}
		catch (FileSystemException ex) {
			String reason = String.valueOf(ex.getReason()).toLowerCase(Locale.ROOT);
			return reason.contains("symbolic link") ? "link loop" : "broken link";
		}
		catch (IOException ex) {
			return "broken link";
		}
	}

}
