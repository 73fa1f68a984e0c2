-- A response's tool calls count each tool_use id once: a stored copy keeps the ids of the calls of its
-- response's lines in its file (sorted, joined by spaces; NULL when none), so a line Claude Code wrote
-- again into the same transcript (VSCode reopening a session, anthropics/claude-code#56196; concurrent
-- sessions, #66454; --input-format stream-json, #5034) adds no call. Before, every line's tool_use
-- blocks were added, and a transcript followed by a copy of itself counted each call twice.
-- Portable SQL: runs on H2 2.x and PostgreSQL 15+.
ALTER TABLE usage_copy ADD COLUMN tool_use_ids VARCHAR(20000);
-- Every file on disk is read again from its start through the ingest's own reset, as V9 does (a head
-- fingerprint no file has forces it), so the copies stored before this version get their ids and a
-- call already counted twice counts once. A file gone before the next scan keeps its totals.
UPDATE source_file SET head_fingerprint = 'recount-tool-call-ids', size_at_scan = -1, mtime_at_scan = -1
WHERE deleted = FALSE AND head_length > 0;
