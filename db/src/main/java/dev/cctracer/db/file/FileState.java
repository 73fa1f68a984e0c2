package dev.cctracer.db.file;

import java.io.IOException;
import java.nio.channels.FileChannel;

import dev.cctracer.shared.discovery.FileIdentity;
import dev.cctracer.shared.discovery.FileKind;

/**
 * The ingest state of one transcript file.
 *
 * @param id row id
 * @param root projects dir it was found under
 * @param relPath path below the root
 * @param pathOrder full path, the dedup tie-break order
 * @param projectDir project directory name
 * @param kind layout
 * @param sessionId session, once known
 * @param agentId subagent id for subagent files
 * @param deleted whether the file vanished (its history is kept)
 * @param generation bumped by every reset (truncation or replacement)
 * @param fileKey OS file key at the last ingest
 * @param headFingerprint hash of the first {@code headLength} bytes at the last ingest
 * @param headLength bytes covered by the fingerprint
 * @param tailFingerprint hash of the bytes before {@code committedOffset}
 * ({@link dev.cctracer.shared.discovery.FileIdentity#tailFingerprint}), {@code null} for
 * a file last read before it was kept
 * @param committedOffset offset just after the last consumed line
 * @param sizeAtScan size when last ingested
 * @param mtimeAtScan mtime (ms) when last ingested
 * @param seenSize size when last seen by a scan
 * @param seenMtime mtime when last seen by a scan
 * @param lastTs latest timestamp seen
 * @param origin the machine that registered it ({@code ''} before origins were recorded)
 * @param lastIngestAt when it was last read (epoch milliseconds), {@code null} before its
 * first read
 */
public record FileState(long id, String root, String relPath, String pathOrder, String projectDir, FileKind kind,
		String sessionId, String agentId, boolean deleted, int generation, String fileKey, String headFingerprint,
		int headLength, String tailFingerprint, long committedOffset, long sizeAtScan, long mtimeAtScan, long seenSize,
		long seenMtime, Long lastTs, String origin, Long lastIngestAt) {

	/**
	 * Whether a last line without a line break waits here to be consumed once the file is
	 * quiet ({@code quietMillis} after its mtime), and the last read came before that:
	 * the file is unchanged, so only such a read takes the line (a scan and a read look
	 * again once, when the time has come).
	 * @param size the file's size now (bytes)
	 * @param mtime its modification time now (epoch ms)
	 * @param now the clock (epoch ms)
	 * @param quietMillis {@code cctracer.ingest.quiet-tail} (milliseconds)
	 */
	public boolean tailTurnedQuiet(long size, long mtime, long now, long quietMillis) {
		return this.committedOffset < size && now - mtime >= quietMillis
				&& (this.lastIngestAt == null || this.lastIngestAt - mtime < quietMillis);
	}

	/**
	 * Whether the file was written without growing since its last ingest (the same size
	 * at another modification time): rewritten in place, or appended to between the time
	 * and the size being set; the ingest reads it again from its start once it is quiet.
	 * @param size the file's size now (bytes)
	 * @param mtime its modification time now (epoch ms)
	 */
	public boolean rewrittenInPlace(long size, long mtime) {
		return size == this.sizeAtScan && mtime != this.mtimeAtScan;
	}

	/**
	 * Whether the file still holds the bytes read at the last ingest where they are
	 * fingerprinted: its head, and the bytes before the committed offset (not checked for
	 * a file last read before their fingerprint was kept). A file that fails it was
	 * replaced or rewritten, not appended to.
	 * @param channel the file, at least {@code committedOffset} and {@code headLength}
	 * bytes long
	 * @throws IOException when the file cannot be read
	 */
	public boolean holdsTheBytesRead(FileChannel channel) throws IOException {
		if (this.headLength > 0 && !startsWithTheHeadRead(channel)) {
			return false;
		}
		return this.tailFingerprint == null || this.committedOffset <= 0
				|| this.tailFingerprint.equals(FileIdentity.tailFingerprint(channel, this.committedOffset));
	}

	/**
	 * Whether the file starts with the bytes this row read first (its head's fingerprint,
	 * {@code headLength} bytes): the same transcript, whatever came after. False when no
	 * head was read yet, or the file is shorter than it.
	 * @throws IOException when the file cannot be read
	 */
	public boolean startsWithTheHeadRead(FileChannel channel) throws IOException {
		return this.headLength > 0 && this.headFingerprint != null && channel.size() >= this.headLength
				&& FileIdentity.headFingerprint(channel, this.headLength).equals(this.headFingerprint);
	}

}
