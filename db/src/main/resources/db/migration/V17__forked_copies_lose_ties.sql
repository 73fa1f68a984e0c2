-- A line Claude Code copied from another session (a fork: /branch, --fork-session, the Agent SDK's
-- forkSession; the line carries a forkedFrom object) now loses the dedup rule's ties to the line it
-- copies (before, path order alone broke the tie, and a fork whose file sorted first took the
-- original session's responses, tokens, cost and tool calls). The flag is stored with each copy.
-- Only the winners of messages held by more than one file can change: those files on disk are read
-- again from their start through the ingest's own reset, as V13 did for deleted files' ties: a head
-- fingerprint no file has forces it. A fork's copies of failed tool results are marked too: a
-- session's failed calls leave out those the original session failed (web FileQueries), and the
-- files that share a failed call with another file are read again likewise.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
ALTER TABLE usage_copy ADD COLUMN forked BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE tool_error ADD COLUMN forked BOOLEAN DEFAULT FALSE NOT NULL;
-- a failure's call looked up in other files
CREATE INDEX ix_tool_error_call ON tool_error (tool_use_id);
-- A bulk first index cut short leaves the message-hash index dropped until the next ingest builds
-- it; the look-up below needs it (as that ingest would build it anyway).
CREATE INDEX IF NOT EXISTS ix_usage_copy_msg_hash ON usage_copy (msg_hash);
UPDATE source_file SET head_fingerprint = 'recount-fork-ties', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0 AND id IN (
  SELECT c.file_id FROM usage_copy c
  JOIN usage_copy o ON o.msg_hash = c.msg_hash AND o.file_id <> c.file_id
  WHERE c.msg_hash IS NOT NULL
) OR id IN (
  SELECT e.file_id FROM tool_error e
  JOIN tool_error o ON o.tool_use_id = e.tool_use_id AND o.file_id <> e.file_id
);
