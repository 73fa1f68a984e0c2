package dev.cctracer.worker;

import java.util.List;

/**
 * Index control for the web: an immediate scan and ingest on the single ingest thread,
 * and what the scans and reads saw.
 */
public interface IndexControl {

	/**
	 * Scans every root and ingests what changed; waits for the result.
	 * @throws InterruptedException when interrupted while waiting
	 * @throws IllegalStateException while the data dir's storage is at fault (ingest
	 * paused)
	 */
	IngestReport scanAndIngest() throws InterruptedException;

	/** Transcript files opened for reading since this process started. */
	long filesOpened();

	/**
	 * Paths the last scan could not read, with why (at most 100), then transcripts whose
	 * counts the database cannot hold (not counted, tried again at each scan).
	 */
	List<PathProblem> lastProblems();

}
