-- A job's stored result had room for 1,000,000 characters: an analytics query grouped by session and
-- model over ~3,000 sessions passed it and the job failed. TEXT has no bound on PostgreSQL and is an
-- unbounded CHARACTER VARYING on H2 2.x; the answer itself is held to cctracer.duckdb.query-rows rows.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
ALTER TABLE job_request ALTER COLUMN result_json SET DATA TYPE TEXT;
