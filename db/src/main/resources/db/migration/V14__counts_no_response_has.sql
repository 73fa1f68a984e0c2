-- A line with a count no real response has (above 10^9 tokens or web searches: 1e30 was read as
-- Long.MAX_VALUE and wrapped the sums negative) or a logged cost outside $0 to $1M is now invalid,
-- counted among the invalid lines. Files on disk whose stored copies hold such a value are read again
-- from their start through the ingest's own reset, as V9 did for every file: a head fingerprint no
-- file has forces it. Deleted files keep what they stored (their lines cannot be read again).
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
UPDATE source_file SET head_fingerprint = 'recount-counts', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0 AND id IN (
  SELECT file_id FROM usage_copy
  WHERE input_tokens > 1000000000 OR output_tokens > 1000000000 OR cache_write_5m > 1000000000
    OR cache_write_1h > 1000000000 OR cache_read > 1000000000 OR web_searches > 1000000000
    OR cost_logged < 0 OR cost_logged > 1000000000000000000
);
