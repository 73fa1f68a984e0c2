-- A usage line without a timestamp takes that of the last line before it in its file that has one,
-- read back from the file when such a line needs it, by the ingest and the facts alike; a segment no
-- longer carries its file's latest timestamp to the next one (which gave such a line the latest
-- timestamp so far at a sync's start, and the previous line's inside it).
ALTER TABLE fact_segment DROP COLUMN last_ts;
