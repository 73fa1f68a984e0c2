-- Entry-level facts (issue 16): Parquet segments written from the ingest's parser, each holding the
-- lines of one committed byte range [from_offset, to_offset) of one generation of a file. Paths are
-- relative to the facts directory (shared storage in team mode). Compaction replaces a file's segments
-- by one segment from offset 0. They replace the Parquet archive of raw lines (parquet_file), which
-- only DuckDB's own JSON reader filled.
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

DROP TABLE parquet_file;
