-- The facts' searchable text now holds what the timeline shows of system, summary and hook lines (a
-- top-level content, summary or stopReason, a stop summary's hookErrors and hook commands, a shown
-- hook failure's stderr, stdout, command and blocking error), so a search finds a hook's error. Facts
-- are written once per committed byte range and never rewritten, so the segments of every file on
-- disk are forgotten here: the next facts sync writes them again from the logs (the facts of a first
-- index; the batches no segment names are removed as orphans by the facts compaction an hour on).
-- A deleted file keeps its segments: its lines can no longer be read, and its facts still count.
-- Totals, offsets and the ingest's tables are untouched. Portable SQL: H2 2.x and PostgreSQL 15+.
DELETE FROM fact_segment
WHERE file_id IN (SELECT id FROM source_file WHERE deleted = FALSE);
