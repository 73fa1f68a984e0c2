-- Entry-level facts (issue 16): each row a segment, the lines of one committed byte range
-- [from_offset, to_offset) of one generation of a file, held in a batch of Parquet files (entries and
-- tools) that holds many files' segments. Paths are relative to the facts directory (shared storage in
-- team mode). Compaction merges small batches. They replace the Parquet archive of raw lines
-- (parquet_file), which only DuckDB's own JSON reader filled.
CREATE TABLE fact_segment (
  file_id BIGINT NOT NULL,
  generation INT NOT NULL,
  from_offset BIGINT NOT NULL,
  to_offset BIGINT NOT NULL,
  entries_path VARCHAR(2048) NOT NULL,
  tools_path VARCHAR(2048) NOT NULL,
  entry_rows BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  last_ts BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (file_id, generation, from_offset)
);

CREATE INDEX fact_segment_batch ON fact_segment (entries_path);

DROP TABLE parquet_file;
