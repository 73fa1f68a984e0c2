-- A line's timestamp before 1970 or after 9999 (the year 1, the year 10000) now reads as none: the
-- line counts at the time of the last line before it in its file that has one, as a line without a
-- timestamp does (shared/log/Timestamps); the API takes dates from 1970 to 9999 only. Files on disk
-- that stored such a time (a counted copy's, a file's first or last activity from any line, a failed
-- tool result's or an API error's) are read again from their start through the ingest's own reset,
-- as V14 does: a head fingerprint no file has forces it. Deleted files keep what they stored.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
UPDATE source_file SET head_fingerprint = 'recount-times', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0 AND (
  first_ts < 0 OR first_ts > 253402300799999 OR last_ts < 0 OR last_ts > 253402300799999
  OR id IN (SELECT file_id FROM usage_copy WHERE ts < 0 OR ts > 253402300799999)
  OR id IN (SELECT file_id FROM tool_error WHERE ts < 0 OR ts > 253402300799999)
  OR id IN (SELECT file_id FROM api_error WHERE ts < 0 OR ts > 253402300799999)
);
