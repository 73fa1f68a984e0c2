-- The rollups' bucket index holds the whole key after the bucket. H2 chose the index on (bucket)
-- alone for the upsert's "file_id = ? AND bucket = ? AND model = ? AND agent_id = ?" whenever its
-- statistics were those of a small table (H2 re-analyses a growing table ever more rarely, on a
-- sample of its first 1,000 rows): every look-up then read each rollup of that bucket, of every
-- file, to find one or none, and that grew with the history (about 50 rows a bucket on 15,000
-- files; 0.7 s for 5,000 look-ups of absent keys against 0.07-0.1 s with this index). With the key in
-- the index, either index the planner picks answers a look-up exactly; range scans by bucket (the
-- reports over a time window) read it as before. Portable SQL: runs on H2 2.x and PostgreSQL 15+.
DROP INDEX ix_usage_rollup_bucket;
CREATE INDEX ix_usage_rollup_bucket ON usage_rollup (bucket, file_id, model, agent_id);
