package dev.cctracer.db.file;

/**
 * A file's ingest state with the totals the incremental engine counted for it (the
 * {@code source_file} columns), all in tokens except {@code messages}.
 *
 * @param state where the file is and how far it was read
 * @param messages counted messages (dedup winners)
 * @param inputTokens input tokens of those messages
 * @param outputTokens output tokens
 * @param cacheWrite5m tokens written to the 5-minute cache
 * @param cacheWrite1h tokens written to the 1-hour cache
 * @param cacheRead tokens read from the cache
 * @param toolUses {@code tool_use} blocks counted: those of its counted copies and of its
 * lines without usage
 */
public record CountedFile(FileState state, long messages, long inputTokens, long outputTokens, long cacheWrite5m,
		long cacheWrite1h, long cacheRead, long toolUses) {

}
