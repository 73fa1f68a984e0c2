package dev.cctracer.worker.indexing;

import java.util.List;

/**
 * What a scan found.
 *
 * @param filesSeen transcript files present under the roots
 * @param changed ids of files that are new, changed or gone (to ingest)
 * @param millis wall time
 */
public record ScanResult(int filesSeen, List<Long> changed, long millis) {

}
