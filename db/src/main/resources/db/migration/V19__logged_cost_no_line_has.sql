-- A logged cost (costUSD) outside $0 to $1M is now read as none logged, and its line's tokens count
-- (V14 had made such a line invalid, its tokens lost). Files on disk with an invalid line are read
-- again from their start through the ingest's own reset, as V14 did: a head fingerprint no file has
-- forces it; a line invalid for another reason is invalid again. Deleted files keep what they stored.
-- A cache-write split that names fewer writes than cache_creation_input_tokens now counts the rest
-- as 5-minute writes; no Claude Code log to date has such a split, so no file is read again for it
-- (a crafted one shows in verify as a file that differs, and a rebuild counts it).
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
UPDATE source_file SET head_fingerprint = 'recount-logged-cost', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0 AND invalid_lines > 0;
