package dev.cctracer.worker.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.cctracer.db.meta.MetaRepository;
import dev.cctracer.worker.DataChanged;
import dev.cctracer.worker.TracerProperties;
import dev.cctracer.worker.startup.DataDirCheck;

/**
 * The data version this process last committed to its H2 file, kept beside it
 * ({@code <db>.last-commit} next to {@code <db>.mv.db}, a decimal number), so that a
 * database that opens at an older version is said to have gone back, not taken as it is.
 * <p>
 * H2 opens a file cut short or partly overwritten at its last intact commit: with no
 * word, the totals of transcripts deleted from disk since that commit were gone (a fault
 * trial truncated the file by 8 KiB). Those transcripts cannot be read again; the ones on
 * disk are, from where the older state left them. At start, a database whose data version
 * is below the mark is reported in one WARN line and in {@code recovery.json} (the admin
 * console shows it) — 0 too: a file cut to half opened at the state before its first
 * commit, and the history of the deleted transcripts went without a word (a trial). A
 * database moved aside as corrupt takes its mark with it ({@link DataDirCheck}: every
 * {@code <db>.*} file moves), and a database file removed by hand leaves its mark to be
 * removed before the new one opens ({@link DataDirCheck#commitMarkOf}): a new, empty
 * database is no going back. The mark trails the commits by a few seconds
 * ({@link #committed}): what a killed process loses of its last commits is not said to be
 * a going back. Only an H2 file has a mark; a team's PostgreSQL does not go back this
 * way.
 */
@Component
class CommitMark implements DisposableBean {

	private static final Logger log = LoggerFactory.getLogger(CommitMark.class);

	private final MetaRepository meta;

	/** The mark file, or {@code null} when the database is not an H2 file. */
	private final Path mark;

	private final Path recovery;

	/** How long a commit is given to reach the file before it is marked: 5 s. */
	static final long SETTLE_NANOS = 5_000_000_000L;

	/** A data version read at a commit, to mark once settled; -1 for none. */
	private long candidate = -1;

	/** When {@link #candidate} was read ({@link System#nanoTime}). */
	private long candidateAt;

	@Autowired
	CommitMark(MetaRepository meta, TracerProperties properties, Environment env) {
		this(meta, DataDirCheck.commitMarkOf(DataDirCheck.databaseFile(env.getProperty("spring.datasource.url"))),
				properties.recoveryFile());
	}

	/**
	 * @param mark the mark file, {@code null} when the database is not an H2 file
	 * @param recovery where a going back is recorded ({@code recovery.json})
	 */
	CommitMark(MetaRepository meta, Path mark, Path recovery) {
		this.meta = meta;
		this.mark = mark;
		this.recovery = recovery;
		if (this.mark != null) {
			check(meta.dataVersion());
		}
	}

	/** Compares the database's version with the mark, says so when it went back. */
	void check(long version) {
		Long marked = read();
		if (marked != null && version < marked) {
			String lost = "the totals of transcripts deleted from disk after data version " + version
					+ " (they cannot be read again); every transcript on disk is read again from where that "
					+ "version left it";
			log.warn("the database opened at data version {}, older than the {} this data dir last committed: H2 "
					+ "went back to an earlier state of its file (cut short, partly overwritten, or restored from "
					+ "a copy); lost: {}", version, marked, lost);
			try {
				DataDirCheck.writeRecovery(this.recovery,
						"the database went back from data version " + marked + " to " + version, "", lost);
			}
			catch (IOException ex) {
				log.warn("cannot write {}: {}", this.recovery.getFileName(), ex.getMessage());
			}
		}
		write(version);
	}

	/**
	 * After a commit: marks the data version read at an earlier commit at least
	 * {@link #SETTLE_NANOS} ago. H2 writes its commits to the file a moment later (its
	 * write delay, half a second): a process killed with {@code kill -9} loses its last
	 * ones, which is no going back of the file — the transcripts are read again from the
	 * offsets the file kept — and a mark of the very last commit said it was (a crash
	 * recovery test). A clean stop marks the last one ({@link #destroy}).
	 */
	@EventListener(DataChanged.class)
	synchronized void committed() {
		if (this.mark == null) {
			return;
		}
		long now = System.nanoTime();
		if (this.candidate >= 0 && now - this.candidateAt >= SETTLE_NANOS) {
			write(this.candidate);
			this.candidate = -1;
		}
		if (this.candidate < 0) {
			this.candidate = this.meta.dataVersion();
			this.candidateAt = now;
		}
	}

	/** A clean stop: the last commit is in the file once H2 closes it. */
	@Override
	public synchronized void destroy() {
		if (this.mark == null) {
			return;
		}
		try {
			write(this.meta.dataVersion());
		}
		catch (RuntimeException ex) {
			// the database is failing (a storage fault): the last mark written stays
			log.debug("cannot read the data version at the stop: {}", ex.getMessage());
		}
	}

	private Long read() {
		try {
			return Files.isRegularFile(this.mark) ? Long.valueOf(Files.readString(this.mark).strip()) : null;
		}
		catch (IOException | NumberFormatException ex) {
			return null;
		}
	}

	/** Replaces the mark at once (a new file moved over it): never half written. */
	private void write(long version) {
		Path next = this.mark.resolveSibling(this.mark.getFileName() + ".next");
		try {
			Files.writeString(next, Long.toString(version), StandardCharsets.UTF_8);
			Files.move(next, this.mark, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (IOException ex) {
			// a full disk or a read-only dir: the storage guard says so; the check is
			// only as good as the last mark written
			log.debug("cannot write {}: {}", this.mark, ex.getMessage());
		}
	}

}
