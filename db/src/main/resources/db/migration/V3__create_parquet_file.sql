-- The Parquet archive: one Parquet file per transcript, valid for one (generation, committed offset).
CREATE TABLE parquet_file (
  file_id BIGINT PRIMARY KEY,
  generation INT NOT NULL,
  committed_offset BIGINT NOT NULL,
  path VARCHAR(2048) NOT NULL,
  row_count BIGINT NOT NULL,
  bytes BIGINT NOT NULL,
  created_at BIGINT NOT NULL
);
