package dev.cctracer.worker.indexing;

import dev.cctracer.db.file.FileState;
import dev.cctracer.shared.usage.ChunkResult;

/**
 * What the read phase found for one file, before the commit.
 *
 * @param state the state it was read against (the guard)
 * @param outcome what happened
 * @param reset whether the file was truncated or replaced (re-read from 0)
 * @param end the new committed offset
 * @param size size at this read
 * @param mtime mtime at this read
 * @param fileKey OS file key
 * @param head fingerprint of the head
 * @param headLength bytes it covers
 * @param tail fingerprint of the bytes before {@code end}
 * ({@link dev.cctracer.shared.discovery.FileIdentity#tailFingerprint})
 * @param chunk the parsed lines (null unless {@code READ})
 * @param error why reading failed (for {@code FAILED}); never transcript text
 */
record FileRead(FileState state, Outcome outcome, boolean reset, long end, long size, long mtime, String fileKey,
		String head, int headLength, String tail, ChunkResult chunk, String error) {

	enum Outcome {

		READ, UNCHANGED, GONE, FAILED

	}

	static FileRead unchanged(FileState s) {
		return new FileRead(s, Outcome.UNCHANGED, false, s.committedOffset(), s.sizeAtScan(), s.mtimeAtScan(),
				s.fileKey(), s.headFingerprint(), s.headLength(), s.tailFingerprint(), null, null);
	}

	static FileRead gone(FileState s) {
		return new FileRead(s, Outcome.GONE, false, s.committedOffset(), 0, 0, null, null, 0, null, null, null);
	}

	static FileRead failed(FileState s, String error) {
		return new FileRead(s, Outcome.FAILED, false, s.committedOffset(), 0, 0, null, null, 0, null, null, error);
	}

	long bytes() {
		return (this.outcome == Outcome.READ) ? this.end - (this.reset ? 0 : this.state.committedOffset()) : 0;
	}

	int copies() {
		return (this.chunk != null) ? this.chunk.copies().size() : 0;
	}

}
