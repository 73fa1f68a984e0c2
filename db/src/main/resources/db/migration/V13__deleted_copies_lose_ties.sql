-- A deleted file's usage copies now lose the dedup rule's ties to copies in files on disk (before,
-- path order alone broke ties, so a project dir renamed or moved kept its whole history on the
-- deleted rows of the old name, often first in path order, and showed nothing under the new one).
-- Only the winners of messages a deleted file shares with a file on disk can change: those files
-- on disk are read again from their start through the ingest's own reset (its copies, rollups and
-- errors removed, the dedup recomputed for its messages with the deleted copies among them), as V9
-- did for every file: a head fingerprint no file has forces it. Most databases have none to read.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
-- A bulk first index cut short leaves the message-hash index dropped until the next ingest builds
-- it; the look-up below needs it (as that ingest would build it anyway).
CREATE INDEX IF NOT EXISTS ix_usage_copy_msg_hash ON usage_copy (msg_hash);
-- From the deleted side: nothing to join where no file is deleted.
UPDATE source_file SET head_fingerprint = 'recount-deleted-ties', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0 AND id IN (
  SELECT c.file_id FROM source_file g
  JOIN usage_copy d ON d.file_id = g.id
  JOIN usage_copy c ON c.msg_hash = d.msg_hash
  WHERE g.deleted = TRUE AND d.msg_hash IS NOT NULL
);
