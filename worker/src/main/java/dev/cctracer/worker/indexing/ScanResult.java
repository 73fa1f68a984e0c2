package dev.cctracer.worker.indexing;

import java.util.List;

/**
 * What a scan found.
 *
 * @param filesSeen transcript files present under the roots
 * @param changed ids of files that are new, changed or gone (to ingest)
 * @param unchanged files present whose size, mtime and file key had not changed (not
 * opened)
 * @param millis wall time
 */
public record ScanResult(int filesSeen, List<Long> changed, int unchanged, long millis) {

}
