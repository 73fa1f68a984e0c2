-- The facts' searchable text now holds what the timeline shows of system, summary and hook lines (a
-- system line's content, a summary, a stop summary's hookErrors, hook commands and stopReason, a shown
-- hook failure's stderr, content, command and blocking error), so a search finds a hook's error. Facts
-- are written once per committed byte range and never rewritten, so every file with facts is marked
-- here, at the generation they were written for: the facts sync writes a marked file's facts again
-- from the log when the file on disk still holds the bytes read (its head and the bytes before its
-- committed offset), then swaps the new segments for the old in one transaction. Until then, and for
-- good when the file is gone (deleted while no process ran: the scan marks it deleted, its facts stay
-- as they were) or was read again from its start (its new facts are written anyway), the old facts
-- keep counting. Totals, offsets and the ingest's tables are untouched.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
CREATE TABLE facts_rewrite (
  file_id BIGINT NOT NULL PRIMARY KEY,
  generation INT NOT NULL
);

INSERT INTO facts_rewrite (file_id, generation)
SELECT DISTINCT s.file_id, s.generation
FROM fact_segment s JOIN source_file f ON f.id = s.file_id
WHERE f.deleted = FALSE AND s.generation = f.generation;
